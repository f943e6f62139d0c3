"""What makes an observation row good, and the words for each reason it is not.

One definition for both ways of importing: `import_check` applies these functions to the rows of
either path, and tests run the same inputs through both. Patterns are ASCII on purpose: Python's `\\d`
would accept Arabic-Indic digits, which no other part of the portal reads as a number. A period is a
school year, checked by `schools.periods`; a value's range and its words are `Metric.range_problem`'s.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from metrics.models import RANGE_PROBLEMS
from schools.periods import school_year_problem

# A plain decimal number, with an optional exponent of up to four digits, in at most 100 characters:
# what Python's Decimal and PostgreSQL's numeric read alike (neither NaN, Infinity nor 1_000), and
# small enough that neither overflows before the range is checked.
NUMBER_PATTERN = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?$"
NUMBER_MAX_CHARS = 100
# Observation.value is numeric(14, 4): a value is rounded to 4 places, half away from zero (as
# PostgreSQL rounds), and must stay below 10^10 once rounded.
PLACES = Decimal("0.0001")
TOO_LARGE = Decimal("9999999999.99995")
# Echoing a long cell back in full would bury the report; it is cut to this many characters.
SHOWN_CHARS = 40
SOURCE_CHARS = 200

# Reason templates: `{}` is filled in order by str.format.
REASONS = {
    "school_empty": "school is empty",
    "school_unknown": "unknown school '{}'",
    "metric_empty": "metric is empty",
    "metric_unknown": "unknown metric '{}'",
    "value_empty": "value is empty",
    "value_bad": "value '{}' is not a number",
    **{f"value_{key}": "value " + words for key, words in RANGE_PROBLEMS.items()},
    "value_too_large": "value {} is too large to store (at most 10 digits before the decimal point)",
    "n_bad": "n '{}' is not a whole number of people (0 or more, at most 9 digits)",
    "duplicate": "duplicate of row {} ({}, {}, {})",
}

# How many people a value was computed on: optional, an ASCII whole number of at most 9 digits (what
# a PositiveIntegerField holds on every database).
N_PATTERN = r"^[0-9]{1,9}$"

_NUMBER = re.compile(NUMBER_PATTERN)
_N = re.compile(N_PATTERN)


def shown(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def period_problem(period: str) -> str | None:
    problem = school_year_problem(period)
    return f"period {problem}" if problem else None


def parse_number(raw: str) -> Decimal | None:
    if len(raw) > NUMBER_MAX_CHARS or not _NUMBER.fullmatch(raw):
        return None
    return Decimal(raw)


def value_problem(raw: str, number: Decimal | None, metric) -> str | None:
    """`metric` is None when unknown: then only the number itself is checked."""
    if number is None:
        return REASONS["value_bad"].format(shown(raw)) if raw else REASONS["value_empty"]
    if metric is not None and (problem := metric.range_problem(number, written=shown(raw))):
        return f"value {problem}"
    if abs(number) >= TOO_LARGE:
        return REASONS["value_too_large"].format(shown(raw))
    return None


def parse_n(raw: str) -> int | None:
    """The n of a row; None when it is empty (or bad: n_problem says so)."""
    return int(raw) if _N.fullmatch(raw) else None


def n_problem(raw: str) -> str | None:
    if raw and not _N.fullmatch(raw):
        return REASONS["n_bad"].format(shown(raw))
    return None


def stored_value(number: Decimal) -> Decimal:
    return number.quantize(PLACES, rounding=ROUND_HALF_UP)
