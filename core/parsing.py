"""Whole numbers from a page: ids in a form's fields, a row number in a field's name.

`str.isdigit()` is true of "²", "٣" and "３", which `int()` then refuses or reads as another number, so
every id a page sends is read here, as ASCII digits only and no longer than any id can be.
"""

import re

# Ids are PostgreSQL bigints at most: 19 digits, and below 2**63.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """The value as a non-negative whole number, or None when it is anything else (a sign, a space,
    non-ASCII digits, too many digits, not a string)."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def parse_ids(values: list) -> set[int]:
    """The values that read as ids; the others are dropped."""
    return {number for number in map(parse_id, values) if number is not None}
