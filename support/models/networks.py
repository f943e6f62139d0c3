"""Networks' support teams, the yearly opt-in, the memberships it makes, and services a school opts out of.

`schools.Network` is the network itself (name, kind, offers, capacity) and `School.network` the one a school
belongs to now; everything about choosing and serving a network lives here.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent, TimeStampedModel
from schools.models import Network, School, SchoolYear
from support.models.departments import Department


class TeamSeat(TimeStampedModel):
    """A central-office person on a network's cross-functional support team, for one function."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="team_seats")
    department = models.CharField(max_length=20, choices=Department.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_seats")
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["network__name", "department", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["network", "department", "user"], name="team_seat_once"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_department_display()}, {self.network}"


class OptOutAllowance(TimeStampedModel):
    """The network's agreement lets its schools opt out of this central service (and buy or run it
    themselves). Denver's first innovation zone learned such agreements must be written down."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="opt_out_allowances")
    department = models.CharField(max_length=20, choices=Department.choices)
    terms = models.TextField(blank=True, help_text="What the school takes on when it opts out.")

    class Meta:
        ordering = ["network__name", "department"]
        constraints = [models.UniqueConstraint(fields=["network", "department"], name="opt_out_allowance_once")]

    def __str__(self):
        return f"{self.network}: may opt out of {self.get_department_display()}"


class OptInWindow(TimeStampedModel):
    """When principals may ask to join a network for a school year."""

    school_year = models.OneToOneField(SchoolYear, on_delete=models.CASCADE, related_name="opt_in_window")
    opens_on = models.DateField()
    closes_on = models.DateField()

    class Meta:
        ordering = ["opens_on"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="opt_in_window_closes_after_opens")
        ]

    def __str__(self):
        return f"Network choice for {self.school_year}: {self.opens_on} to {self.closes_on}"


class NetworkRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NetworkRequest(TimeStampedModel):
    """A principal asks to join a network for a school year; the autonomy office approves or declines."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="network_requests")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="requests")
    reason = models.TextField(help_text="Why this network suits the school.")
    status = models.CharField(max_length=12, choices=NetworkRequestStatus.choices, default=NetworkRequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=Q(status="pending"),
                name="network_request_one_pending_per_year",
            )
        ]

    def __str__(self):
        return f"{self.school} asks to join {self.network} for {self.school_year}"


class NetworkRequestEvent(StatusEvent):
    subject_field = "network_request"

    network_request = models.ForeignKey(NetworkRequest, on_delete=models.CASCADE, related_name="events")


class NetworkMembership(TimeStampedModel):
    """A school's place in a network for a school year, kept when it ends (the history of its choices)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="network_memberships")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    request = models.ForeignKey(NetworkRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=Q(ended_on__isnull=True),
                name="network_membership_one_current_per_year",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="network_membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.school} in {self.network} ({self.school_year})"


class ServiceOptOut(TimeStampedModel):
    """A school runs or buys a central service itself this year, as its network's agreement allows."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="service_opt_outs")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    department = models.CharField(max_length=20, choices=Department.choices)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["school_year__start_date", "department"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "department"], name="service_opt_out_once")
        ]

    def __str__(self):
        return f"{self.school} opts out of {self.get_department_display()} in {self.school_year}"
