"""The school year as a period label, `2026-27`: the one definition every model, form, serializer,
filter and import uses.

A label is four ASCII digits, a hyphen and the last two digits of the following year. ASCII on
purpose: Python's `\\d` also takes Arabic-Indic or full-width digits, which PostgreSQL's `[0-9]`
refuses and which would sort apart from every other label. The import checks labels in PostgreSQL
too; `problem_sql` is the same rule and the same words there, and the import's parity test holds
the two together.
"""

import re
from functools import lru_cache

from django.core.exceptions import ValidationError

PATTERN = r"^[0-9]{4}-[0-9]{2}$"
EXAMPLE = "2025-26"
# A label is 7 characters; anything much longer is cut when echoed back in a message.
SHOWN_CHARS = 40

# The words for each thing that can be wrong, `{}` filled in order (by str.format here, by
# PostgreSQL's format() in problem_sql). Each follows the name of the field or row it is about.
PROBLEMS = {
    "empty": "is empty",
    "shape": "'{}' is not a school year written as " + EXAMPLE + " with the digits 0-9",
    "sequence": "'{}' is not a school year: {} is not the year after {} (write {})",
}

_LABEL = re.compile(PATTERN)


def school_year_label(start_year: int) -> str:
    """2026 → 2026-27."""
    return f"{start_year:04d}-{(start_year + 1) % 100:02d}"


def school_year_problem(label: str) -> str:
    """What is wrong with `label` as a school year, or "" when nothing is."""
    if not label:
        return PROBLEMS["empty"]
    if not _LABEL.fullmatch(label):
        shown = label if len(label) <= SHOWN_CHARS else label[: SHOWN_CHARS - 1] + "…"
        return PROBLEMS["shape"].format(shown)
    start = int(label[:4])
    if label != school_year_label(start):
        return PROBLEMS["sequence"].format(label, label[5:], label[:4], school_year_label(start))
    return ""


def validate_school_year(value: str) -> None:
    """The model and form field validator."""
    if problem := school_year_problem(value):
        # As a parameter: the message quotes the value, and a % in it must not be read as a placeholder.
        raise ValidationError("%(problem)s", code="school_year", params={"problem": problem})


@lru_cache(maxsize=256)
def previous_school_years(label: str, count: int) -> tuple[str, ...]:
    """The `count` school years ending with `label`, oldest first: 2025-26, 3 → 2023-24, 2024-25, 2025-26.

    A tuple, as it is cached: the evaluation asks for the same few windows once per benchmark.
    """
    start = int(label[:4])
    return tuple(school_year_label(year) for year in range(start - count + 1, start + 1))


def problem_sql(column: str) -> str:
    """school_year_problem() as a PostgreSQL expression over a text column: NULL when the label is good.

    The query runs with PARAMETERS; the CASE keeps every cast away from text the pattern refused, so no
    label can make the query fail.
    """
    start, end = f"substr({column}, 1, 4)", f"substr({column}, 6, 2)"
    following = f"{start} || '-' || lpad(mod({start}::integer + 1, 100)::text, 2, '0')"
    shown = (
        f"CASE WHEN char_length({column}) <= {SHOWN_CHARS} THEN {column} "
        f"ELSE left({column}, {SHOWN_CHARS - 1}) || '…' END"
    )
    return f"""CASE WHEN {column} = '' THEN %(school_year_empty)s
                    WHEN {column} !~ %(school_year_pattern)s THEN format(%(school_year_shape)s, {shown})
                    WHEN {column} <> {following}
                         THEN format(%(school_year_sequence)s, {column}, {end}, {start}, {following}) END"""


def _sql_template(text: str) -> str:
    return text.replace("%", "%%").replace("{}", "%s")


PARAMETERS = {
    "school_year_pattern": PATTERN,
    **{f"school_year_{key}": _sql_template(text) for key, text in PROBLEMS.items()},
}
