"""Next year's students from earlier years' official counts, by cohort survival: pure arithmetic on
plain dictionaries, so it can be checked against figures worked out by hand (tests/budgeting/test_projection.py).

The rule, for each school counted in the latest earlier year (year t; years t-1 and t-2 where counted):

- The school's grade bands run from the lowest to the highest grade category (in the district's order)
  with students in year t. The lowest is its *entry band*: nobody at the school moves up into it.
- Entry band: the average of its students over the years the school was counted (t, t-1, t-2).
- Every other band b: year t's students of the band below × the school's *survival ratio*.
- The survival ratio of a pair of years (y-1, y) is Σ students of the school's later bands in y ÷ Σ
  students of the bands below them in y-1: how many of the students who could move up did, in
  total. The school's ratio is the average of the pairs (t-1, t) and (t-2, t-1) that exist (both
  years counted, a divisor above 0), and 1 where none does.
- A need category keeps its share of the school's students: its students in year t ÷ the school's
  students in year t (by grade band) × the projected students.
- Every figure is exact (fractions) until it is rounded once, half up, to a whole student.

A school without a student in any grade band in year t is not projected: there is nothing to move up.
"""

from collections.abc import Sequence
from fractions import Fraction
from math import floor

# {school id: {category id: students}} for one year; None where that year has no official count.
YearCounts = dict[int, dict[int, int]]


def whole_students(value: Fraction) -> int:
    """Half up, as a person rounds a count of students (2.5 → 3)."""
    return floor(value + Fraction(1, 2))


def survival_ratio(
    earlier: dict[int, int] | None, later: dict[int, int] | None, *, bands: Sequence[int]
) -> Fraction | None:
    """The share of a school's students in the bands below `bands[1:]` in one year found one band up the
    next; None when either year has no count of the school, or nobody could move up."""
    if earlier is None or later is None or len(bands) < 2:
        return None
    moved_up = sum(later.get(band, 0) for band in bands[1:])
    could_move = sum(earlier.get(band, 0) for band in bands[:-1])
    return Fraction(moved_up, could_move) if could_move else None


def school_projection(history: Sequence[dict[int, int] | None], *, grade_order: Sequence[int]) -> dict[int, int]:
    """One school's projected students by category. `history` runs oldest → newest, newest being year t
    (never None); `grade_order` lists the grade categories, lowest first. Other categories are needs."""
    current = history[-1]
    present = [index for index, band in enumerate(grade_order) if current.get(band, 0) > 0]
    if not present:
        return {}
    bands = list(grade_order[present[0] : present[-1] + 1])
    ratios = [
        ratio
        for earlier, later in zip(history[:-1], history[1:], strict=True)
        if (ratio := survival_ratio(earlier, later, bands=bands)) is not None
    ][-2:]
    survival = sum(ratios, Fraction(0)) / len(ratios) if ratios else Fraction(1)
    entry_years = [year.get(bands[0], 0) for year in history if year is not None]
    projected = {bands[0]: whole_students(Fraction(sum(entry_years), len(entry_years)))}
    for below, band in zip(bands[:-1], bands[1:], strict=True):
        projected[band] = whole_students(current.get(below, 0) * survival)
    students_now = sum(current.get(band, 0) for band in grade_order)
    students_next = sum(projected.values())
    grades = set(grade_order)
    for category, students in current.items():
        if category not in grades and students:
            projected[category] = whole_students(Fraction(students * students_next, students_now))
    return projected


def district_projection(years: Sequence[YearCounts | None], *, grade_order: Sequence[int]) -> YearCounts:
    """Every school counted in the newest year, projected one year on (see the module's rule)."""
    newest = years[-1]
    projected = {}
    for school_id in newest:
        history = [None if year is None else year.get(school_id) for year in years]
        if counts := school_projection(history, grade_order=grade_order):
            projected[school_id] = counts
    return projected
