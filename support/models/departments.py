"""The central office's departments, who works in each, and the district's settings for serving schools."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

# Results of a service survey are shown only where at least this many principals answered: a district may
# ask for more (ServicePolicy.survey_min_respondents), never fewer.
SURVEY_MIN_RESPONDENTS_FLOOR = 5


class Department(models.TextChoices):
    """The functions a network's support team is made of, and the departments principals rate."""

    ACADEMICS = "academics", _("Academics")
    HR = "hr", _("Talent and human resources")
    FINANCE = "finance", _("Finance")
    OPERATIONS = "operations", _("Operations")
    SPECIAL_EDUCATION = "special_education", _("Special education")
    DATA = "data", _("Data and assessment")


class DepartmentStaff(TimeStampedModel):
    """A central-office person who answers for a department: its support requests come to them, and the
    head sees the department's overdue list and scorecard."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="departments")
    department = models.CharField(max_length=20, choices=Department.choices)
    is_head = models.BooleanField(default=False, help_text="The head of the department.")

    class Meta:
        ordering = ["department", "-is_head", "user__username"]
        verbose_name_plural = "department staff"
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="department_staff_once"),
            models.UniqueConstraint(fields=["department"], condition=Q(is_head=True), name="department_one_head"),
        ]

    def __str__(self):
        role = "head" if self.is_head else "staff"
        return f"{self.user} — {self.get_department_display()} ({role})"


class ServicePolicy(TimeStampedModel):
    """What the district sets for its service to schools; one row (key 1), edited by the autonomy office."""

    key = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    caseload_limit = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The most schools one liaison should hold.",
    )
    liaison_hours_per_week = models.PositiveSmallIntegerField(
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
        help_text="A liaison's working week, against which the time logged with principals is counted.",
    )
    principal_time_target_percent = models.PositiveSmallIntegerField(
        default=61,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The share of a liaison's time the district means to be spent with principals.",
    )
    survey_min_respondents = models.PositiveSmallIntegerField(
        default=SURVEY_MIN_RESPONDENTS_FLOOR,
        validators=[MinValueValidator(SURVEY_MIN_RESPONDENTS_FLOOR), MaxValueValidator(100)],
        help_text="Survey results are shown only where at least this many principals answered.",
    )
    survey_target_percent = models.PositiveSmallIntegerField(
        default=85,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The share of positive answers each department aims for.",
    )

    class Meta:
        verbose_name_plural = "service policy"
        constraints = [
            models.CheckConstraint(condition=Q(key=1), name="service_policy_only_one"),
            models.CheckConstraint(
                condition=Q(survey_min_respondents__gte=SURVEY_MIN_RESPONDENTS_FLOOR),
                name="service_policy_min_respondents_floor",
            ),
        ]

    def __str__(self):
        return "The district's service policy"
