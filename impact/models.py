"""impact's own tables: the district's decisions taken from the evidence, and the comparison groups kept
for pilot cohorts. Every figure the pages show is read from the apps below and computed on request (the
estimates kept in the shared cache, impact.cache)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from autonomy.models import Autonomy
from metrics.models import Metric
from schools.models import Cohort, School

RATIONALE_MAX, EVIDENCE_MAX = 4000, 500  # a decision's why and its link: the page's form and the API's alike


class DecisionKind(models.TextChoices):
    EXTEND = "extend", "Extend it to more schools"
    KEEP = "keep", "Keep it as it is"
    ADJUST = "adjust", "Adjust its terms"
    CRITERION = "criterion", "Change an eligibility criterion"
    RETIRE = "retire", "Retire it"


class AutonomyDecision(models.Model):
    """What the district decided about an autonomy from the evaluation, and the view it looked at.
    Append-only: a later decision supersedes an earlier one, which stays in the log."""

    autonomy = models.ForeignKey(Autonomy, on_delete=models.PROTECT, related_name="impact_decisions")
    decision = models.CharField(max_length=10, choices=DecisionKind.choices)
    rationale = models.TextField(help_text="What in the evidence led to the decision, in a few sentences.")
    evidence_path = models.CharField(
        max_length=EVIDENCE_MAX,
        blank=True,
        validators=[RegexValidator(r"^/impact/", "Link to a page of Is autonomy working?")],
        help_text="The page of the evaluation the decision came from.",
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=DecisionKind.values), name="impact_decision_kind_valid"),
            models.CheckConstraint(
                condition=Q(evidence_path="") | Q(evidence_path__startswith="/impact/"),
                name="impact_decision_evidence_is_impact",
            ),
        ]

    def __str__(self):
        return f"{self.autonomy.code}: {self.decision} ({self.decided_at:%Y-%m-%d})"


class PilotComparison(models.Model):
    """The schools a pilot cohort's results are compared with for an autonomy, as the evaluation team
    kept them (impact.services.pilots): frozen once kept. Keeping a new group for the same cohort and
    autonomy supersedes the current one, which stays as history.

    `matches` is {pilot school code: [comparison school codes]}, `features` the names matched on,
    `balance` the balance table as it read when kept (rows of feature, pilot mean, comparison mean,
    standardized difference)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="+")
    autonomy = models.ForeignKey(Autonomy, on_delete=models.PROTECT, related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    prior_year = models.CharField(max_length=7, help_text="The school year whose results and students were matched.")
    per_school = models.PositiveSmallIntegerField(default=1)
    schools = models.ManyToManyField(School, related_name="+", help_text="The comparison schools.")
    pilot_schools = models.ManyToManyField(School, related_name="+", help_text="The cohort's schools matched.")
    features = models.JSONField(default=list)
    matches = models.JSONField(default=dict)
    balance = models.JSONField(default=list)
    kept_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kept_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-kept_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "autonomy"],
                condition=Q(superseded_at__isnull=True),
                name="impact_one_current_comparison_per_pilot",
            ),
            models.CheckConstraint(condition=Q(per_school__gte=1), name="impact_comparison_per_school_positive"),
        ]

    def __str__(self):
        return f"{self.cohort} × {self.autonomy.code} ({self.kept_at:%Y-%m-%d})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
