"""What the formula gives each school, line by line, so that every number explains itself.

An AllocationSet is one computation of a published formula over one enrollment snapshot: the first
(`initial`) on projections, later ones (`true_up`) on official counts. Finance releases a set to the
principals on a date; a released set is the one their plans are built against.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from budgeting.models.enrollment import EnrollmentSnapshot
from budgeting.models.formula import MONEY, WEIGHT, EnrollmentCategory, FormulaVersion
from core.models import TimeStampedModel
from schools.models import School


class SetKind(models.TextChoices):
    INITIAL = "initial", _("Initial allocation")
    TRUE_UP = "true_up", _("True-up")


class AllocationSet(TimeStampedModel):
    formula = models.ForeignKey(FormulaVersion, on_delete=models.PROTECT, related_name="allocation_sets")
    snapshot = models.ForeignKey(EnrollmentSnapshot, on_delete=models.PROTECT, related_name="allocation_sets")
    kind = models.CharField(max_length=7, choices=SetKind.choices, default=SetKind.INITIAL)
    computed_at = models.DateTimeField()
    released_on = models.DateField(null=True, blank=True, help_text="The day principals were given it.")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staffing_deadline = models.DateField(null=True, blank=True, help_text="When school staffing plans are due.")
    plans_due_on = models.DateField(null=True, blank=True, help_text="When budget plans are due against it.")
    total = models.DecimalField(**MONEY, default=0)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["formula", "snapshot"], name="allocation_set_once")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.formula} on {self.snapshot}"


class SchoolAllocation(models.Model):
    allocation_set = models.ForeignKey(AllocationSet, on_delete=models.CASCADE, related_name="allocations")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="allocations")
    students = models.PositiveIntegerField()
    formula_amount = models.DecimalField(**MONEY, help_text="Before the transition rule.")
    transition_adjustment = models.DecimalField(**MONEY, default=0)
    final_amount = models.DecimalField(**MONEY)
    per_pupil = models.DecimalField(**MONEY)
    previous_amount = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Last year's final allocation, for the transition rule."
    )

    class Meta:
        ordering = ["school_id"]
        constraints = [
            models.UniqueConstraint(fields=["allocation_set", "school"], name="allocation_one_per_school"),
            models.CheckConstraint(condition=Q(final_amount__gte=0), name="allocation_not_negative"),
        ]

    def __str__(self):
        return f"{self.school_id}: {self.final_amount}"


class LineKind(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    WEIGHT = "weight", _("Weighted students")
    CONCENTRATION = "concentration", _("Concentration")
    SMALL_SCHOOL = "small_school", _("Small school")
    TRANSITION = "transition", _("Transition")


class AllocationLine(models.Model):
    """One line of a school's allocation: basis count × weight × per-capita amount = amount."""

    allocation = models.ForeignKey(SchoolAllocation, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=13, choices=LineKind.choices)
    category = models.ForeignKey(EnrollmentCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    label = models.CharField(max_length=200)
    basis = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(**WEIGHT, null=True, blank=True)
    per_capita = models.DecimalField(**MONEY, null=True, blank=True)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["allocation_id", "position"]
        constraints = [models.UniqueConstraint(fields=["allocation", "position"], name="allocation_line_position")]

    def __str__(self):
        return f"{self.label}: {self.amount}"
