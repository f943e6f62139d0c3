"""The weighted student formula of a school year, versioned: draft → published (immutable) → superseded.

A formula's amount for a school is its foundation (by school type) + Σ over the enrollment categories of
students × base per pupil × weight + concentration + small-school amount, then the transition rule. Every
figure is a Decimal; amounts are rounded once, to the cent, line by line (budgeting.services.engine).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent, TimeStampedModel
from schools.models import GradeBand, SchoolYear

MONEY = dict(max_digits=14, decimal_places=2)
WEIGHT = dict(max_digits=7, decimal_places=4)
SHARE = dict(max_digits=5, decimal_places=4)  # 0.0000 … 1.0000


class CategoryKind(models.TextChoices):
    GRADE = "grade", "Grade band"  # every student is counted in exactly one grade category
    NEED = "need", "Need"  # a student may be counted in several need categories, or none


class EnrollmentCategory(TimeStampedModel):
    """A way the district counts students: a grade band (K-5, 6-8, 9-12) or a need (poverty, English
    learner, disability …). Grade categories partition a school's students; need categories overlap."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=5, choices=CategoryKind.choices)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "display_order", "code"]
        verbose_name_plural = "enrollment categories"

    def __str__(self):
        return self.name


class FormulaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class BaseMode(models.TextChoices):
    ENTERED = "entered", "Entered"  # finance types the base per pupil
    POOL = "pool", "Solved from a fixed pool"  # base = (pool − foundations − small school) ÷ weighted students


class TransitionMode(models.TextChoices):
    NONE = "none", _("None")
    STOP_LOSS = "stop_loss", _("Stop-loss funded by a cap on gains")
    PERCENT_OF_FORMULA = "percent_of_formula", _("Percent of formula")


class FormulaVersion(TimeStampedModel):
    """One version of a school year's formula. Edited only while a draft; published, it never changes."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="formula_versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=FormulaStatus.choices, default=FormulaStatus.DRAFT)
    name = models.CharField(max_length=200, blank=True)
    base_mode = models.CharField(max_length=7, choices=BaseMode.choices, default=BaseMode.ENTERED)
    base_per_pupil = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Entered, or solved from the pool when the base is solved."
    )
    pool = models.DecimalField(**MONEY, null=True, blank=True, help_text="The whole sum to share (pool mode).")
    small_school_rate = models.DecimalField(
        **MONEY, default=Decimal("0"), help_text="Dollars per student below a level's small-school threshold."
    )
    small_school_cap_share = models.DecimalField(
        **SHARE, default=Decimal("0"), help_text="The small-school amount is capped at this share of the formula."
    )
    transition_mode = models.CharField(max_length=20, choices=TransitionMode.choices, default=TransitionMode.NONE)
    stop_loss_share = models.DecimalField(
        **SHARE, null=True, blank=True, help_text="Stop-loss: the most a school may lose of last year's allocation."
    )
    gain_cap_share = models.DecimalField(
        **SHARE, null=True, blank=True, help_text="Stop-loss: the most a school may gain; blank to solve it."
    )
    percent_of_formula = models.DecimalField(
        **SHARE, null=True, blank=True, help_text="Percent of formula: the share of a change in students funded."
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school_year__start_date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="formula_number_per_year"),
            models.UniqueConstraint(
                fields=["school_year"], condition=Q(status="published"), name="formula_one_published_per_year"
            ),
            models.CheckConstraint(
                condition=Q(base_per_pupil__isnull=True) | Q(base_per_pupil__gt=0), name="formula_base_positive"
            ),
            models.CheckConstraint(condition=Q(pool__isnull=True) | Q(pool__gt=0), name="formula_pool_positive"),
        ]

    def __str__(self):
        return f"{self.school_year.label} formula, version {self.number} ({self.status})"


class FormulaEvent(StatusEvent):
    subject_field = "formula"
    formula = models.ForeignKey(FormulaVersion, on_delete=models.CASCADE, related_name="events")


class Foundation(models.Model):
    """The fixed amount every school of a type receives before any student is counted (a principal …)."""

    formula = models.ForeignKey(FormulaVersion, on_delete=models.CASCADE, related_name="foundations")
    grade_band = models.CharField(max_length=12, choices=GradeBand.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["grade_band"]
        constraints = [
            models.UniqueConstraint(fields=["formula", "grade_band"], name="foundation_one_per_type"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="foundation_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_grade_band_display()}: {self.amount}"


class WeightConvention(models.TextChoices):
    # NYC's grade weights: the student counts as `value` students (1.08 → 108 % of the base).
    MULTIPLIER = "multiplier", _("Multiplier of the base")
    # NYC's need weights: the student brings `value` × base on top of their grade weight (0.12 → +12 %).
    ADD_ON = "add_on", _("Add-on to the base")


class Weight(models.Model):
    """What one student of a category brings, as a multiplier of the base or an add-on to it."""

    formula = models.ForeignKey(FormulaVersion, on_delete=models.CASCADE, related_name="weights")
    category = models.ForeignKey(EnrollmentCategory, on_delete=models.PROTECT, related_name="+")
    convention = models.CharField(max_length=10, choices=WeightConvention.choices)
    value = models.DecimalField(**WEIGHT, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["category__kind", "category__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["formula", "category"], name="weight_one_per_category"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=20), name="weight_within_range"),
        ]

    def __str__(self):
        return f"{self.category}: {self.value} ({self.get_convention_display().lower()})"


class ConcentrationCurve(models.Model):
    """An extra add-on weight for a need that rises linearly from 0 at `start_share` of the school's
    students to `max_weight` at `full_share` and above."""

    formula = models.ForeignKey(FormulaVersion, on_delete=models.CASCADE, related_name="concentration_curves")
    category = models.ForeignKey(EnrollmentCategory, on_delete=models.PROTECT, related_name="+")
    start_share = models.DecimalField(**SHARE)
    full_share = models.DecimalField(**SHARE)
    max_weight = models.DecimalField(**WEIGHT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["formula", "category"], name="concentration_one_per_category"),
            models.CheckConstraint(condition=Q(full_share__gt=models.F("start_share")), name="concentration_rises"),
            models.CheckConstraint(
                condition=Q(max_weight__gte=0) & Q(max_weight__lte=20), name="concentration_weight_within_range"
            ),
        ]

    def __str__(self):
        return f"{self.category}: up to {self.max_weight}"


class SmallSchoolThreshold(models.Model):
    """Houston's small-school rule: (threshold − enrollment) × the formula's rate, for a school type."""

    formula = models.ForeignKey(FormulaVersion, on_delete=models.CASCADE, related_name="small_school_thresholds")
    grade_band = models.CharField(max_length=12, choices=GradeBand.choices)
    threshold = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["formula", "grade_band"], name="small_school_one_per_type")]

    def __str__(self):
        return f"{self.get_grade_band_display()}: below {self.threshold} students"
