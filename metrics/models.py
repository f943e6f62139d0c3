from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from core.models import TimeStampedModel
from core.translated import TranslatedCharField, TranslatedTextField
from schools.models import School
from schools.periods import validate_school_year

# The words for a value outside a metric's range, `{}` filled in order: the value, the metric's name,
# then its bounds (by str.format in Metric.range_problem, by PostgreSQL's format() in the import).
RANGE_PROBLEMS = {
    "outside": "{} is outside {}'s range {}–{}",
    "below": "{} is below {}'s minimum {}",
    "above": "{} is above {}'s maximum {}",
}


def plain(number: Decimal) -> str:
    """100.0000 → 100, 0.5000 → 0.5: never 1E+2 (PostgreSQL's trim_scale(n)::text)."""
    return format(number.normalize(), "f")


class Unit(models.TextChoices):
    PERCENT = "percent", "Percent"
    COUNT = "count", "Count"
    RATING = "rating", "Rating"
    CURRENCY = "currency", "Currency (USD)"
    RATE = "rate", "Rate"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Category(models.TextChoices):
    ACADEMIC = "academic", "Academic"
    FINANCIAL = "financial", "Financial"
    ORGANIZATIONAL = "organizational", "Organizational"
    PEOPLE = "people", "People"


class Metric(TimeStampedModel):
    """A measure the district already keeps, per school and school year."""

    code = models.SlugField(max_length=60, unique=True)
    # The district's words, in English and in Spanish (core.translated).
    name = TranslatedCharField(max_length=200)
    name_es = models.CharField("name in Spanish", max_length=200, blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    direction = models.CharField(max_length=6, choices=Direction.choices)
    category = models.CharField(max_length=14, choices=Category.choices)
    description = TranslatedTextField(blank=True)
    description_es = models.TextField("description in Spanish", blank=True)
    data_source = models.CharField(max_length=200, blank=True, help_text="The system the values come from.")
    min_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # How a value is written on a page (metrics.formatting): the decimals shown, and what a count counts.
    precision = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Decimal places shown. Empty: the unit's usual (percent 1, count 0, rating 1, currency 0, rate 2).",
    )
    count_noun = TranslatedCharField(
        max_length=40, blank=True, help_text="For a count, what one of it is called, as “vacancy”."
    )
    count_noun_es = models.CharField("count noun in Spanish", max_length=40, blank=True)
    count_noun_plural = TranslatedCharField(
        max_length=40, blank=True, help_text="For a count, what several are called, as “vacancies”."
    )
    count_noun_plural_es = models.CharField("plural count noun in Spanish", max_length=40, blank=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(max_value__gt=F("min_value")),
                name="metric_range_ordered",
            ),
            models.CheckConstraint(condition=Q(precision__lte=4), name="metric_precision_at_most_stored"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.min_value is not None and self.max_value is not None and self.max_value <= self.min_value:
            raise ValidationError({"max_value": "The largest value must be above the smallest."})

    def range_problem(self, value: Decimal, *, written: str = "") -> str:
        """Why `value` is outside this metric's range, or "" when it is within (either bound may be open).

        `written` is the value as the person wrote it, when that is what to echo back (an import's cell).
        """
        low, high = self.min_value, self.max_value
        below, above = low is not None and value < low, high is not None and value > high
        shown = written or plain(value)
        if (below or above) and low is not None and high is not None:
            return RANGE_PROBLEMS["outside"].format(shown, self.name, plain(low), plain(high))
        if below:
            return RANGE_PROBLEMS["below"].format(shown, self.name, plain(low))
        if above:
            return RANGE_PROBLEMS["above"].format(shown, self.name, plain(high))
        return ""


class Observation(TimeStampedModel):
    """One value of one metric for one school in one period (a school year)."""

    # No index of their own: the unique (school, metric, period) and the (metric, period) index start
    # with them and serve the same lookups; every index is one more to keep on each imported row.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="observations", db_index=False)
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="observations", db_index=False)
    period = models.CharField(max_length=7, validators=[validate_school_year])
    value = models.DecimalField(max_digits=14, decimal_places=4)
    # How many people the value was computed on (students tested, staff surveyed): what the public
    # reports' suppression policy checks. Empty when the value is not about a group of people.
    n = models.PositiveIntegerField(null=True, blank=True, help_text="How many people the value was computed on.")
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["school", "metric", "period"]
        constraints = [models.UniqueConstraint(fields=["school", "metric", "period"], name="observation_unique_period")]
        indexes = [models.Index(fields=["metric", "period"])]

    def __str__(self):
        return f"{self.school.code} {self.metric.code} {self.period} = {self.value}"


class ObservationRevision(models.Model):
    """A value an observation held before a correction replaced it: corrections keep their history."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=200, blank=True)
    replaced_at = models.DateTimeField()
    replaced_by_import = models.CharField(max_length=200, blank=True, help_text="The file or call that corrected it.")

    class Meta:
        ordering = ["observation", "replaced_at", "pk"]

    def __str__(self):
        return f"{self.observation_id}: was {self.value}"
