"""Support requests: a school asks central office for help, and the department answers by a deadline."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent, TimeStampedModel
from schools.models import Network, School
from support.models.departments import Department

DEFAULT_DEADLINE_BUSINESS_DAYS = 5


class SupportCategory(TimeStampedModel):
    """What a school can ask for help with, the department that answers, and in how many business days."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    department = models.CharField(max_length=20, choices=Department.choices)
    deadline_business_days = models.PositiveSmallIntegerField(
        default=DEFAULT_DEADLINE_BUSINESS_DAYS, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["department", "name"]
        verbose_name_plural = "support categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_business_days__gte=1) & Q(deadline_business_days__lte=60),
                name="support_category_deadline_in_range",
            )
        ]

    def __str__(self):
        return self.name


class SupportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting on the school")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")


class SupportRequest(TimeStampedModel):
    """A case: routed to the network team member of the category's function, else the department's queue."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="support_requests")
    category = models.ForeignKey(SupportCategory, on_delete=models.PROTECT, related_name="requests")
    department = models.CharField(max_length=20, choices=Department.choices)
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="The school's then."
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_cases"
    )
    status = models.CharField(max_length=10, choices=SupportStatus.choices, default=SupportStatus.OPEN)
    due_on = models.DateField(help_text="The service deadline: the category's business days from the request.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="support_request_queue"),
            models.Index(fields=["school", "-created_at"], name="support_request_school"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="support_request_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(status="closed"), name="support_request_rated_when_closed"
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.school})"


class SupportRequestEvent(StatusEvent):
    subject_field = "support_request"

    support_request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="events")


class SupportMessage(TimeStampedModel):
    """A reply the school sees, or an internal note only central office sees."""

    support_request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    internal = models.BooleanField(default=False, help_text="Only central office sees an internal note.")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{'Note' if self.internal else 'Reply'} by {self.author} on {self.support_request}"
