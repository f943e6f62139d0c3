from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from autonomy.models.catalog import Autonomy, Domain
from core.models import StatusEvent, TimeStampedModel
from metrics.fields import value_field
from metrics.models import Metric
from schools.models import ReviewFunction, School
from schools.periods import validate_school_year


class CallForProposals(TimeStampedModel):
    """A window in which schools may request programmatic (and other) autonomies."""

    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    closes_on = models.DateField()
    guidance = models.TextField(blank=True, help_text="What the district hopes to see in proposals.")
    autonomies = models.ManyToManyField(Autonomy, related_name="calls")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = "call for proposals"
        verbose_name_plural = "calls for proposals"
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="call_closes_after_opening")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "The call must close on or after the day it opens."})

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class CallQuestion(models.Model):
    """A question every proposal in the call must answer."""

    call = models.ForeignKey(CallForProposals, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return self.text


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REQUEST_STATUSES = (
    RequestStatus.DRAFT,
    RequestStatus.SUBMITTED,
    RequestStatus.UNDER_REVIEW,
    RequestStatus.CHANGES_REQUESTED,
)
EDITABLE_REQUEST_STATUSES = (RequestStatus.DRAFT, RequestStatus.CHANGES_REQUESTED)
IN_REVIEW_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW)


class AutonomyRequest(TimeStampedModel):
    """A school's proposal in a call: the autonomies it asks for, why, its plan and target outcomes."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="autonomy_requests")
    call = models.ForeignKey(CallForProposals, on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    plan = models.TextField(blank=True, help_text="How the school will use these decisions.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="request_status_valid"),
            models.UniqueConstraint(
                fields=["school", "call"],
                condition=Q(status__in=OPEN_REQUEST_STATUSES),
                name="request_one_open_per_school_call",
            ),
        ]
        indexes = [models.Index(fields=["status", "school"])]

    def __str__(self):
        return f"{self.school.code}: {self.call} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_REQUEST_STATUSES


class RequestRoute(models.Model):
    """A central-office function that reviews the request, from the domains its autonomies touch."""

    request = models.ForeignKey(AutonomyRequest, on_delete=models.CASCADE, related_name="routes")
    function = models.CharField(max_length=12, choices=ReviewFunction.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "function"], name="route_unique")]
        indexes = [models.Index(fields=["function", "request"])]

    def __str__(self):
        return self.get_function_display()


class ItemDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CLARIFIED = "clarified", _("Already allowed — no rule prevents this")


class RequestItem(TimeStampedModel):
    """One autonomy asked for in a request, with the school's reason and the barrier it names."""

    request = models.ForeignKey(AutonomyRequest, on_delete=models.CASCADE, related_name="items")
    autonomy = models.ForeignKey(Autonomy, on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(blank=True)
    barrier = models.TextField(
        blank=True,
        help_text="The district policy, procedure or agreement clause that stands in the way today.",
    )
    decision = models.CharField(max_length=10, choices=ItemDecision.choices, default=ItemDecision.PENDING)
    decision_note = models.TextField(blank=True)
    eligibility = models.JSONField(default=dict, blank=True, help_text="Criteria evidence shown at decision.")
    override_reason = models.TextField(blank=True, help_text="Why an earned autonomy was approved unmet.")

    class Meta:
        ordering = ["request", "autonomy__domain", "autonomy__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "autonomy"], name="request_item_unique_autonomy"),
            models.CheckConstraint(condition=Q(decision__in=ItemDecision.values), name="request_item_decision_valid"),
        ]

    def __str__(self):
        return f"{self.autonomy.code} ({self.decision})"


class RequestAnswer(models.Model):
    request = models.ForeignKey(AutonomyRequest, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CallQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "question"], name="answer_one_per_question")]

    def __str__(self):
        return self.text[:60]


class TargetOutcome(TimeStampedModel):
    """A measurable result the school commits to: metric, baseline, target, by which period."""

    request = models.ForeignKey(AutonomyRequest, on_delete=models.CASCADE, related_name="outcomes")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    baseline = value_field(optional=True)
    target = value_field()
    by_period = models.CharField(max_length=7, validators=[validate_school_year])

    class Meta:
        ordering = ["request", "pk"]

    def __str__(self):
        return f"{self.metric.name}: {self.target.normalize()} by {self.by_period}"


class RequestEvent(StatusEvent):
    """The audit trail of a request: append-only, shown as its timeline."""

    subject_field = "request"
    request = models.ForeignKey(AutonomyRequest, on_delete=models.CASCADE, related_name="events")


class Recommendation(models.TextChoices):
    NONE = "", _("No recommendation")
    APPROVE = "approve", _("Recommend approval")
    DECLINE = "decline", _("Recommend declining")
    RETURN = "return", _("Recommend returning for changes")


class ReviewComment(TimeStampedModel):
    request = models.ForeignKey(AutonomyRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    function = models.CharField(max_length=12, choices=ReviewFunction.choices, blank=True)
    body = models.TextField()
    to_school = models.BooleanField(default=False, help_text="Visible to the school; otherwise internal.")
    recommendation = models.CharField(max_length=8, choices=Recommendation.choices, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]


class ClarifiedFlexibility(TimeStampedModel):
    """A barrier a school named that turned out not to be a rule: every school may already do this."""

    autonomy = models.ForeignKey(Autonomy, on_delete=models.PROTECT, related_name="clarifications")
    domain = models.CharField(max_length=8, choices=Domain.choices)
    barrier = models.TextField()
    explanation = models.TextField()
    clarified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source_item = models.OneToOneField(
        RequestItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="clarification"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "clarified flexibilities"
