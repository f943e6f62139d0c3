from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel
from schools.models import ReviewFunction, School


class Domain(models.TextChoices):
    PEOPLE = "people", "People"
    TIME = "time", "Time"
    MONEY = "money", "Money"
    PROGRAM = "program", "Program"


# Which central-office functions review a request touching each domain.
REVIEW_FUNCTIONS = {
    Domain.PEOPLE: (ReviewFunction.HR,),
    Domain.TIME: (ReviewFunction.OPERATIONS, ReviewFunction.ACADEMICS),
    Domain.MONEY: (ReviewFunction.FINANCE,),
    Domain.PROGRAM: (ReviewFunction.ACADEMICS,),
}


class AccountabilityModel(models.TextChoices):
    EARNED = "earned", "Earned autonomy"
    FULL = "full", "Full autonomy with expectations"
    PROGRAMMATIC = "programmatic", "Programmatic autonomy by request"


ACCOUNTABILITY_MODEL_SHORT = {
    AccountabilityModel.EARNED: "Earned",
    AccountabilityModel.FULL: "Full, with expectations",
    AccountabilityModel.PROGRAMMATIC: "By request",
}

ACCOUNTABILITY_MODEL_HELP = {
    AccountabilityModel.EARNED: "The school must meet eligibility criteria before it is granted.",
    AccountabilityModel.FULL: "Granted up front; kept while the school meets its retention benchmarks.",
    AccountabilityModel.PROGRAMMATIC: "Requested in a call for proposals with a plan and target outcomes.",
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
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    model = models.CharField("accountability model", max_length=12, choices=AccountabilityModel.choices)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain", "display_order", "name"]
        verbose_name_plural = "autonomies"
        constraints = [
            models.CheckConstraint(condition=Q(domain__in=Domain.values), name="autonomy_domain_valid"),
            models.CheckConstraint(
                condition=Q(model__in=AccountabilityModel.values), name="autonomy_model_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def model_short(self) -> str:
        return ACCOUNTABILITY_MODEL_SHORT.get(self.model, self.model)

    def clean(self):
        if self.code and self.domain and not self.code.startswith(f"{self.domain}."):
            raise ValidationError(
                {"code": f"The code of a {self.domain} autonomy starts with '{self.domain}.'."}
            )


class GrantStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    AT_RISK = "at_risk", "At risk"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


# A school holds the decision while its grant is in one of these states.
HELD_STATUSES = (GrantStatus.ACTIVE, GrantStatus.AT_RISK)
LIVE_STATUSES = (GrantStatus.ACTIVE, GrantStatus.AT_RISK, GrantStatus.SUSPENDED)


class AutonomyGrant(TimeStampedModel):
    """The ledger entry of an autonomy a school holds. Changed only through autonomy.services."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="grants")
    autonomy = models.ForeignKey(Autonomy, on_delete=models.PROTECT, related_name="grants")
    model = models.CharField("accountability model", max_length=12, choices=AccountabilityModel.choices)
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default=GrantStatus.ACTIVE)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["school", "autonomy"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "autonomy"],
                condition=Q(status__in=LIVE_STATUSES),
                name="grant_one_live_per_school_autonomy",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="grant_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.school.code}: {self.autonomy.code} ({self.status})"

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES


class GrantEvent(models.Model):
    """Who changed a grant, when, from what to what, why, on which evidence."""

    grant = models.ForeignKey(AutonomyGrant, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    from_status = models.CharField(max_length=10, choices=GrantStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=GrantStatus.choices)
    reason = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.grant}: {self.from_status or '—'} → {self.to_status}"
