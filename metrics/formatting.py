"""A metric's numbers as people write them: the one home for showing a value on a page or in a notice.

Every page and every notice writes a value through here, so that 88.1667 reads "88.2%" everywhere, a count
names what it counts ("7 vacancies") and a standing among district schools always says the value, the
percentile and how many schools were compared ("52 (35th percentile of 38 schools)").

The metric is anything with `unit`, `precision`, `count_noun` and `count_noun_plural` (a Metric row);
values are Decimals (or anything Decimal() reads), None meaning no data.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NO_DATA = "no data"

# The decimals a unit is written with when its metric declares none.
UNIT_PRECISION = {"percent": 1, "count": 0, "rating": 1, "currency": 0, "rate": 2}
DEFAULT_PRECISION = 2

# Benchmark kinds (contracts.models.BenchmarkKind, by value) whose value and target are a change in the
# metric's units rather than a level, and the kind whose value is a percentile standing.
CHANGE_KINDS = frozenset({"growth", "trend"})
STANDING_KIND = "relative"


def precision_of(metric) -> int:
    declared = getattr(metric, "precision", None)
    return declared if declared is not None else UNIT_PRECISION.get(metric.unit, DEFAULT_PRECISION)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def rounded(value, places: int) -> Decimal:
    """Half away from zero, as people round (2.5 → 3), not the banker's half to even; -0 is 0."""
    number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number + 0  # drops the sign of a negative zero


def format_number(value, places: int) -> str:
    """Rounded to `places` decimals, trailing zeros dropped, thousands grouped: 1240.5 → "1,240.5", 60.0 → "60"."""
    number = rounded(value, places)
    text = f"{abs(number):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"-{text}" if number < 0 else text


def _counted(metric, text: str, number: Decimal) -> str:
    one, many = getattr(metric, "count_noun", ""), getattr(metric, "count_noun_plural", "")
    if not (one or many):
        return text
    return f"{text} {one or many if abs(number) == 1 else many or one}"


def format_value(metric, value) -> str:
    """A level of the metric in its unit: "88.2%", "$1,240", "7 vacancies", "3"; "no data" for None."""
    number = _decimal(value)
    if number is None:
        return NO_DATA
    places = precision_of(metric)
    text = format_number(number, places)
    if metric.unit == "percent":
        return f"{text}%"
    if metric.unit == "currency":
        return f"-${text[1:]}" if text.startswith("-") else f"${text}"
    if metric.unit == "count":
        return _counted(metric, text, rounded(number, places))
    return text


def format_compact(metric, value) -> str:
    """A value where the unit is said once nearby (a chart's axis and points): a count without its noun,
    "6" under the axis title "Vacancies"; a percent or an amount keeps its sign, "40%", "$1,200"."""
    if metric.unit == "count":
        number = _decimal(value)
        return NO_DATA if number is None else format_number(number, precision_of(metric))
    return format_value(metric, value)


def unit_title(metric) -> str:
    """What a chart's y axis counts when its ticks do not say it: "Vacancies"; "" when they do."""
    if metric.unit == "count":
        return (getattr(metric, "count_noun_plural", "") or getattr(metric, "count_noun", "")).capitalize()
    return ""


def format_change(metric, change) -> str:
    """A change of the metric, signed: "+2.1 points" for a percent (percentage points), "-1 vacancy",
    "+$120", "no change" when it rounds to zero; "no data" for None."""
    number = _decimal(change)
    if number is None:
        return NO_DATA
    places = precision_of(metric)
    shown = rounded(number, places)
    if shown == 0:
        return "no change"
    sign = "+" if shown > 0 else "-"
    size = abs(shown)
    if metric.unit == "percent":
        return f"{sign}{format_number(size, places)} {'point' if size == 1 else 'points'}"
    if metric.unit == "currency":
        return f"{sign}${format_number(size, places)}"
    if metric.unit == "count":
        return sign + _counted(metric, format_number(size, places), size)
    return f"{sign}{format_number(size, places)}"


def ordinal(whole: int) -> str:
    suffix = "th" if 10 <= whole % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
    return f"{whole}{suffix}"


def format_percentile(percentile) -> str:
    """A standing among district schools, in percent of schools doing worse: "35th percentile".

    0 (no school worse, none level) is "the lowest"; otherwise the whole percentile, at least the 1st, so
    that a school with any school behind it never reads as the lowest."""
    number = _decimal(percentile)
    if number is None:
        return NO_DATA
    if number <= 0:
        return "the lowest"
    whole = max(1, int(rounded(number, 0)))
    return f"{ordinal(min(whole, 99))} percentile"


def format_standing(metric, value=None, *, percentile, schools: int | None) -> str:
    """The one statement of relative standing: the value, the percentile and the district's N.

    "52 (35th percentile of 38 schools)"; without the value "35th percentile of 38 schools"; without N
    "35th percentile"; "no data" when there is no percentile."""
    standing = format_percentile(percentile)
    if standing == NO_DATA:
        return f"{format_value(metric, value)} (no standing computed)" if _decimal(value) is not None else NO_DATA
    if schools:
        standing += f" of {schools:,} {'school' if schools == 1 else 'schools'}"
    if _decimal(value) is None:
        return standing
    return f"{format_value(metric, value)} ({standing})"


def format_result(kind: str, metric, value, *, observed=None, schools: int | None = None) -> str:
    """A benchmark result's value as its kind measures it: a level for a value or an average, a change
    for growth and trend, a standing (with the observed value and N when known) for a relative benchmark."""
    if kind in CHANGE_KINDS:
        return format_change(metric, value)
    if kind == STANDING_KIND:
        return format_standing(metric, observed, percentile=value, schools=schools)
    return format_value(metric, value)


def format_target(kind: str, metric, target) -> str:
    """A benchmark's target in the same terms as its result: "60%", "+3 points", "the 40th percentile"."""
    if kind in CHANGE_KINDS:
        words = format_change(metric, target)
        if words == "no change":  # "at least 0 points" says what is asked; "at least no change" does not
            return "0 points" if metric.unit == "percent" else format_value(metric, 0)
        return words
    if kind == STANDING_KIND:
        standing = format_percentile(target)
        return standing if standing in (NO_DATA, "the lowest") else f"the {standing}"
    return format_value(metric, target)
