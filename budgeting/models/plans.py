"""A school's budget plan for a year, built against its released allocation.

Which lines the principal may change follows the school's Money grants: a category is discretionary while
the school holds the autonomy that covers it and locked otherwise (budgeting.selectors.plan_locks); a
mandated or restricted line is always locked. Locks are derived from grants, never stored by hand; a
change of lock is recorded on the plan as an event (`categories_locked` / `categories_unlocked`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from autonomy.models import Autonomy
from budgeting.models.allocations import SchoolAllocation
from budgeting.models.formula import MONEY
from core.models import StatusEvent, TimeStampedModel
from schools.models import School, SchoolYear


class BudgetCategory(TimeStampedModel):
    """A category of spending (salary, operations, curriculum, assessment, professional development) and
    the Money autonomy that lets a school decide it. No autonomy: the district always sets it."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    autonomy = models.ForeignKey(Autonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "code"]
        verbose_name_plural = "budget categories"

    def __str__(self):
        return self.name


class FundingSource(TimeStampedModel):
    """Where a line's money comes from: the formula allocation, or a restricted fund such as Title I."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    restricted = models.BooleanField(default=False, help_text="Spent only as its rules allow; set by the district.")

    class Meta:
        ordering = ["restricted", "code"]

    def __str__(self):
        return self.name


class JobType(TimeStampedModel):
    """A kind of position, costed at the district's average salary (every teacher line costs the same)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    category = models.ForeignKey(BudgetCategory, on_delete=models.PROTECT, related_name="job_types")
    average_salary = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    actual_salary_allowed = models.BooleanField(
        default=False, help_text="The district costs this job at the person's actual salary instead."
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(average_salary__gt=0), name="job_type_salary_positive")]

    def __str__(self):
        return self.name


class PlanStatus(models.TextChoices):
    # A plan is masculine in Spanish ("el plan"): its own context, not the requests' feminine words.
    DRAFT = "draft", pgettext_lazy("budget plan", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("budget plan", "Submitted")
    RETURNED = "returned", pgettext_lazy("budget plan", "Returned for changes")
    APPROVED = "approved", pgettext_lazy("budget plan", "Approved")


class BudgetPlan(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="budget_plans")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="budget_plans")
    allocation = models.ForeignKey(SchoolAllocation, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=9, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    due_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school_year__start_date", "school__name"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="plan_one_per_school_year")]

    def __str__(self):
        return f"{self.school.code} budget plan {self.school_year.label} ({self.status})"


class PlanEvent(StatusEvent):
    subject_field = "plan"
    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, related_name="events")


class PlanVersion(models.Model):
    """What the plan held when it was submitted, kept so that two versions can be compared line by line."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(help_text="The positions and lines as submitted.")
    total = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number")]

    def __str__(self):
        return f"{self.plan}, version {self.number}"


class Position(models.Model):
    """A position the plan pays for: a job type × FTE, costed at the district average (or the actual
    salary where the job type allows it), split across funding sources."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, related_name="positions")
    job_type = models.ForeignKey(JobType, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    fte = models.DecimalField(max_digits=4, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    actual_salary = models.DecimalField(**MONEY, null=True, blank=True)
    cost = models.DecimalField(**MONEY, help_text="FTE × salary, to the cent, set by the plan's services.")
    mandated = models.BooleanField(default=False, help_text="An essential position the district requires.")

    class Meta:
        ordering = ["plan_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="position_fte_within_one"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="position_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.title or self.job_type_id} ({self.fte} FTE)"


class PositionFunding(models.Model):
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="funding")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(max_digits=5, decimal_places=4, help_text="Of the position's cost; shares add to 1.")
    amount = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["position", "source"], name="position_funding_once_per_source"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1), name="position_funding_share"),
        ]

    def __str__(self):
        return f"{self.source_id}: {self.share}"


class PlanLine(models.Model):
    """A non-personnel line: an amount in a category from a funding source."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, related_name="lines")
    category = models.ForeignKey(BudgetCategory, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)
    mandated = models.BooleanField(default=False, help_text="Set by the district (mandated services).")

    class Meta:
        ordering = ["plan_id", "category__display_order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="plan_line_not_negative")]

    def __str__(self):
        return f"{self.description}: {self.amount}"
