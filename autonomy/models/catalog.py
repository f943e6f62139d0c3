from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.translated import TranslatedCharField, TranslatedTextField
from metrics.fields import value_field
from metrics.models import Metric
from schools.models import ReviewFunction


class Domain(models.TextChoices):
    PEOPLE = "people", _("People")
    TIME = "time", _("Time")
    MONEY = "money", _("Money")
    PROGRAM = "program", _("Program")


# Which central-office functions review a request touching each domain.
REVIEW_FUNCTIONS = {
    Domain.PEOPLE: (ReviewFunction.HR,),
    Domain.TIME: (ReviewFunction.OPERATIONS, ReviewFunction.ACADEMICS),
    Domain.MONEY: (ReviewFunction.FINANCE,),
    Domain.PROGRAM: (ReviewFunction.ACADEMICS,),
}


class AccountabilityModel(models.TextChoices):
    EARNED = "earned", _("Earned autonomy")
    FULL = "full", _("Full autonomy with expectations")
    PROGRAMMATIC = "programmatic", _("Programmatic autonomy by request")


ACCOUNTABILITY_MODEL_SHORT = {
    AccountabilityModel.EARNED: _("Earned"),
    AccountabilityModel.FULL: _("Full, with expectations"),
    AccountabilityModel.PROGRAMMATIC: _("By request"),
}

ACCOUNTABILITY_MODEL_HELP = {
    AccountabilityModel.EARNED: _("The school must meet eligibility criteria before it is granted."),
    AccountabilityModel.FULL: _("Granted up front; kept while the school meets its retention benchmarks."),
    AccountabilityModel.PROGRAMMATIC: _("Requested in a call for proposals with a plan and target outcomes."),
}


class Autonomy(TimeStampedModel):
    """A decision right the district can hand to a school: an entry of the catalog."""

    code = models.CharField(
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z]+\.[a-z_]+$", "Write the code as domain.name, as people.hiring.")],
        help_text="As people.hiring: the domain, a dot, a short name.",
    )
    domain = models.CharField(max_length=8, choices=Domain.choices)
    # The entry's words, in English and as the district writes them in Spanish (core.translated): the
    # catalog page edits both, and schools and the public read the one of their language.
    name = TranslatedCharField(max_length=200)
    name_es = models.CharField("name in Spanish", max_length=200, blank=True)
    description = TranslatedTextField(blank=True)
    description_es = models.TextField("summary in Spanish", blank=True)
    # The boundaries of the autonomy, as the catalog page states them to every signed-in person.
    school_decides = TranslatedTextField(
        "what the school decides", blank=True, help_text="The decisions a school holding this autonomy makes."
    )
    school_decides_es = models.TextField("what the school decides, in Spanish", blank=True)
    district_keeps = TranslatedTextField(
        "what stays with the district",
        blank=True,
        help_text="The boundaries: the non-negotiables every school keeps to, holding this autonomy or not.",
    )
    district_keeps_es = models.TextField("what stays with the district, in Spanish", blank=True)
    retention_expectations = TranslatedTextField(
        "what a school must keep meeting",
        blank=True,
        help_text="The results or conduct a school must keep up to keep this autonomy.",
    )
    retention_expectations_es = models.TextField("what a school must keep meeting, in Spanish", blank=True)
    model = models.CharField("accountability model", max_length=12, choices=AccountabilityModel.choices)
    display_order = models.PositiveSmallIntegerField(default=0)
    # The district's latest decision about the autonomy from its evaluation, as the catalog states it. Set
    # only through autonomy.services.evaluation (the evaluation's decision log calls it); never by hand.
    evaluation_decision = models.CharField("latest evaluation decision", max_length=200, blank=True)
    evaluation_decided_on = models.DateField("decided on", null=True, blank=True)
    evaluation_evidence_path = models.CharField(
        "the evidence", max_length=500, blank=True, help_text="The page of the evaluation the decision came from."
    )

    class Meta:
        ordering = ["domain", "display_order", "name"]
        verbose_name_plural = "autonomies"
        constraints = [
            models.CheckConstraint(condition=Q(domain__in=Domain.values), name="autonomy_domain_valid"),
            models.CheckConstraint(condition=Q(model__in=AccountabilityModel.values), name="autonomy_model_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def model_short(self) -> str:
        return ACCOUNTABILITY_MODEL_SHORT.get(self.model, self.model)

    def clean(self):
        if self.code and self.domain and not self.code.startswith(f"{self.domain}."):
            raise ValidationError({"code": f"The code of a {self.domain} autonomy starts with '{self.domain}.'."})


class Comparator(models.TextChoices):
    GTE = ">=", _("at least")
    GT = ">", _("more than")
    LTE = "<=", _("at most")
    LT = "<", _("less than")


def compare(value, comparator: str, threshold) -> bool:
    return {
        Comparator.GTE: value >= threshold,
        Comparator.GT: value > threshold,
        Comparator.LTE: value <= threshold,
        Comparator.LT: value < threshold,
    }[comparator]


class CriterionKind(models.TextChoices):
    LEVEL = "level", "A level: the latest value compared with a threshold"
    IMPROVEMENT = "improvement", "Improvement: better by at least the threshold over some years"


class EligibilityCriterion(TimeStampedModel):
    """What a school must show before an earned autonomy is approved, and keep showing to keep it: a level
    (finance rating at least 4) or an improvement (ELA proficiency up by at least 3 points over 2 years),
    the sources' "high or improving achievement".

    The school's most recent observation of the metric is the one that counts; an improvement compares
    it with the observation `years` school years before it ("better" follows the metric's direction).
    """

    autonomy = models.ForeignKey(Autonomy, on_delete=models.CASCADE, related_name="criteria")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=CriterionKind.choices, default=CriterionKind.LEVEL)
    comparator = models.CharField(
        max_length=2, choices=Comparator.choices, help_text="For a level; an improvement is always at least."
    )
    threshold = value_field()
    years = models.PositiveSmallIntegerField(default=1, help_text="For an improvement: over how many school years.")

    class Meta:
        ordering = ["autonomy", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["autonomy", "metric"], name="criterion_one_per_metric"),
            models.CheckConstraint(condition=Q(comparator__in=Comparator.values), name="criterion_comparator_valid"),
            models.CheckConstraint(condition=Q(kind__in=CriterionKind.values), name="criterion_kind_valid"),
            models.CheckConstraint(condition=Q(years__gte=1), name="criterion_years_positive"),
        ]

    def __str__(self):
        if self.kind == CriterionKind.IMPROVEMENT:
            return f"{self.metric.name} improved by at least {self.threshold.normalize()} over {self.years} years"
        return f"{self.metric.name} {self.get_comparator_display()} {self.threshold.normalize()}"


# The catalog's words a person edits in the portal, in the order the entry's page shows them, with the
# label the page and the history give each.
CATALOG_TEXT_LABELS = {
    "name": _("Name"),
    "description": _("Summary"),
    "school_decides": _("What the school decides"),
    "district_keeps": _("What stays with the district"),
    "retention_expectations": _("What a school must keep meeting"),
    # The same words as Spanish readers see them (core.translated); blank, they see the English.
    "name_es": _("Name in Spanish"),
    "description_es": _("Summary in Spanish"),
    "school_decides_es": _("What the school decides, in Spanish"),
    "district_keeps_es": _("What stays with the district, in Spanish"),
    "retention_expectations_es": _("What a school must keep meeting, in Spanish"),
}
CATALOG_TEXT_FIELDS = tuple(CATALOG_TEXT_LABELS)


class AutonomyRevision(models.Model):
    """One change to a catalog entry's words: who made it, when, and each field's text before and after.

    Append-only; written by autonomy.services.catalog in the same transaction as the change itself.
    `changes` maps a field of CATALOG_TEXT_FIELDS to {"from": old text, "to": new text}.
    """

    autonomy = models.ForeignKey(Autonomy, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)
    note = models.TextField(blank=True, help_text="Why the entry was changed, in a sentence.")

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.autonomy.code}: {', '.join(self.changes)} ({self.changed_at:%Y-%m-%d})"

    @property
    def changed_fields(self) -> list[tuple[str, str, str]]:
        """(label, before, after) for each field changed, in the page's order."""
        return [
            (CATALOG_TEXT_LABELS[name], self.changes[name].get("from", ""), self.changes[name].get("to", ""))
            for name in CATALOG_TEXT_FIELDS
            if name in self.changes
        ]
