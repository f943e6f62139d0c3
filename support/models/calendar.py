"""The district's planning calendar: the dates every school plans its year around, and a feed per person."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from schools.models import SchoolYear


class MilestoneKind(models.TextChoices):
    ALLOCATIONS_RELEASED = "allocations", _("School allocations released")
    STAFFING_DEADLINE = "staffing", _("Staffing deadline")
    SCHEDULES_DUE = "schedules", _("School schedules due")
    CALL_FOR_PROPOSALS = "call", _("Call for proposals")
    SURVEY_CYCLE = "survey", _("Central-office survey")
    CONTRACT_SIGNING = "contracts", _("Performance contracts signed")
    NETWORK_CHOICE = "networks", _("Network choice")
    DISTRICT_CLOSED = "closed", _("District offices closed")
    OTHER = "other", _("Other")


class Milestone(TimeStampedModel):
    """A date (or span of days) in the district's year, visible to every school."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=MilestoneKind.choices)
    title = models.CharField(max_length=200)
    on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The last day, for a span of days.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["school_year", "on"], name="milestone_year_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("on")), name="milestone_ends_after"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.on})"


class CalendarFeed(TimeStampedModel):
    """A person's private calendar address: calendar apps fetch it without signing in, so its token is the
    only key, and the person can replace it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"
