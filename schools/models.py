from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from schools.periods import validate_school_year


class District(TimeStampedModel):
    """The one district of a deployment."""

    # A deployment serves one district: the key is always 1 and unique, so a second row is refused.
    key = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="America/Chicago")
    sourced_id = models.CharField(
        max_length=255, blank=True, help_text="The district's sourcedId in its OneRoster files, once imported."
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(key=1), name="district_only_one")]

    def __str__(self):
        return self.name


class SchoolYear(TimeStampedModel):
    label = models.CharField(
        max_length=7,
        unique=True,
        validators=[validate_school_year],
        help_text="As 2026-27.",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    first_day = models.DateField(help_text="The first day of school for students.")

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="schoolyear_end_after_start"),
            models.CheckConstraint(
                condition=Q(first_day__gte=F("start_date")) & Q(first_day__lte=F("end_date")),
                name="schoolyear_first_day_within",
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = "The end of the school year must come after its start."
        if (
            self.first_day
            and self.start_date
            and self.end_date
            and not (self.start_date <= self.first_day <= self.end_date)
        ):
            errors["first_day"] = "The first day of school must fall within the school year."
        if errors:
            raise ValidationError(errors)


class NamedGroup(TimeStampedModel):
    """A named group of schools, listed by name."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class NetworkKind(models.TextChoices):
    GEOGRAPHIC = "geographic", _("Geographic")
    AFFINITY = "affinity", _("Affinity (by priorities, grades or philosophy)")
    INNOVATION_ZONE = "innovation_zone", _("Innovation zone")
    INDEPENDENT = "independent", _("Independent schools")


class Network(NamedGroup):
    """A group of schools served by one cross-functional team of central-office staff. Schools opt into
    a network for a school year (support.NetworkMembership keeps the history; `School.network` is the
    network a school belongs to now)."""

    kind = models.CharField(max_length=16, choices=NetworkKind.choices, default=NetworkKind.GEOGRAPHIC)
    offers = models.TextField(blank=True, help_text="What the network's team offers its schools, in a few lines.")
    capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The most schools the network takes; empty: no limit."
    )

    class Meta(NamedGroup.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0), name="network_capacity_positive"
            )
        ]


class Cohort(NamedGroup):
    """A pilot group of schools that receives an autonomy together."""


class GradeBand(models.TextChoices):
    ELEMENTARY = "elementary", "Elementary (K-5)"
    MIDDLE = "middle", "Middle (6-8)"
    HIGH = "high", "High (9-12)"
    K8 = "k8", "K-8"


class School(TimeStampedModel):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    grade_band = models.CharField(max_length=12, choices=GradeBand.choices)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, null=True, blank=True, related_name="schools")
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="schools")
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        help_text="The central-office liaison (Instructional Leadership Director) for this school.",
    )
    enrollment = models.PositiveIntegerField(default=0)
    opened_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Calendar year the school opened; new schools get exceptions."
    )
    sourced_id = models.CharField(
        max_length=255, blank=True, help_text="The school's sourcedId in the district's OneRoster files."
    )
    # A closed school keeps its rows (contracts, grants, results): it is marked, never deleted.
    closed_on = models.DateField(null=True, blank=True, help_text="The day the roster closed the school.")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="school_name_id")]  # the overview's order
        constraints = [
            models.UniqueConstraint(fields=["sourced_id"], condition=~Q(sourced_id=""), name="school_sourced_id_unique")
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Role(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    SCHOOL_TEAM = "school_team", "School leadership team"
    LIAISON = "liaison", "Liaison"
    REVIEWER = "reviewer", "Central-office reviewer"
    ADMIN = "admin", "Autonomy office (admin)"
    VIEWER = "viewer", "Viewer"


SCHOOL_ROLES = (Role.PRINCIPAL, Role.SCHOOL_TEAM)


class MembershipSource(models.TextChoices):
    """Who keeps a membership: the roster import (added and ended by each import) or the autonomy office
    (its own assignments, which no import touches)."""

    ROSTER = "roster", "The district's roster"
    DISTRICT = "district", "The autonomy office"


DISTRICT_ROLES = (Role.LIAISON, Role.REVIEWER, Role.ADMIN, Role.VIEWER)


class ReviewFunction(models.TextChoices):
    FINANCE = "finance", "Finance"
    HR = "hr", "Human resources"
    ACADEMICS = "academics", "Academics"
    OPERATIONS = "operations", "Operations"


class Membership(TimeStampedModel):
    """A user's role: at one school (principal, school team) or district-wide (the other roles)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    function = models.CharField(max_length=12, choices=ReviewFunction.choices, blank=True, help_text="Reviewers only.")
    source = models.CharField(max_length=8, choices=MembershipSource.choices, default=MembershipSource.DISTRICT)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=SCHOOL_ROLES, school__isnull=False)
                | Q(~Q(role__in=SCHOOL_ROLES), school__isnull=True),
                name="membership_school_iff_school_role",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.REVIEWER, function__gt="") | Q(~Q(role=Role.REVIEWER), function=""),
                name="membership_function_iff_reviewer",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(role=Role.PRINCIPAL),
                name="membership_one_principal_per_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="membership_unique_at_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "function"],
                condition=Q(school__isnull=True),
                name="membership_unique_district_role",
            ),
        ]

    def __str__(self):
        where = self.school or "district"
        return f"{self.user} — {self.get_role_display()} ({where})"

    def clean(self):
        errors = {}
        if self.role in SCHOOL_ROLES and not self.school_id:
            errors["school"] = "A principal or school-team member belongs to a school."
        if self.role not in SCHOOL_ROLES and self.school_id:
            errors["school"] = "Only principals and school-team members belong to a school."
        if self.role == Role.REVIEWER and not self.function:
            errors["function"] = "A reviewer reviews for a function: finance, HR, academics or operations."
        if self.role != Role.REVIEWER and self.function:
            errors["function"] = "Only reviewers have a function."
        if errors:
            raise ValidationError(errors)


# The roster import's and the first setup's own tables, imported here so that Django finds them.
from schools.first_setup.models import SetupStep  # noqa: E402, F401
from schools.roster.models import RosterImport, RosterPerson, RosterRoleMapping  # noqa: E402, F401
