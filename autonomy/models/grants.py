import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autonomy.models.catalog import AccountabilityModel, Autonomy
from core.models import StatusEvent, TimeStampedModel
from schools.models import School


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    AT_RISK = "at_risk", _("At risk")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


# A school holds the decision while its grant is in one of these states.
HELD_STATUSES = (GrantStatus.ACTIVE, GrantStatus.AT_RISK)
LIVE_STATUSES = (GrantStatus.ACTIVE, GrantStatus.AT_RISK, GrantStatus.SUSPENDED)


class GrantQuerySet(models.QuerySet):
    def held_on(self, day: datetime.date | None = None) -> "GrantQuerySet":
        """Grants a school holds on a day (today in the district's time zone by default): in a held status,
        and started — a grant decided today to start next term is not held yet."""
        return self.filter(status__in=HELD_STATUSES, starts_on__lte=day or timezone.localdate())


class AutonomyGrant(TimeStampedModel):
    """The ledger entry of an autonomy a school holds. Changed only through autonomy.services."""

    objects = GrantQuerySet.as_manager()

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="grants")
    autonomy = models.ForeignKey(Autonomy, on_delete=models.PROTECT, related_name="grants")
    model = models.CharField("accountability model", max_length=12, choices=AccountabilityModel.choices)
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default=GrantStatus.ACTIVE)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    at_risk_until = models.DateField(
        null=True, blank=True, help_text="While at risk: the last day of the cure period, after which it is suspended."
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)
    retention_benchmarks = models.TextField(
        blank=True, help_text="Full autonomy: the benchmarks the school must meet to keep it."
    )
    request_item = models.ForeignKey(
        "autonomy.RequestItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="grants"
    )

    class Meta:
        ordering = ["school_id", "autonomy_id"]  # by id: ordering by the relations would join to sort
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
        return self.status in HELD_STATUSES and not self.is_upcoming

    @property
    def is_upcoming(self) -> bool:
        """Decided, but its start date is still ahead: the school does not hold the decision yet."""
        return self.status in HELD_STATUSES and self.starts_on > timezone.localdate()


class GrantEvent(StatusEvent):
    """Who changed a grant, when, from what to what, why, on which evidence."""

    subject_field = "grant"
    grant = models.ForeignKey(AutonomyGrant, on_delete=models.CASCADE, related_name="events")
