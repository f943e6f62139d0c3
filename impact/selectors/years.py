"""School years as the district writes them (2026-27), from dates: a school year runs July to June, as
the demo's and the seeds' years do. Done in SQL so a count by year stays one grouped query."""

import datetime

from django.db.models import Case, F, Value, When
from django.db.models.functions import ExtractYear

from schools.periods import school_year_label

FIRST_MONTH = 7


def start_year_of(day: datetime.date) -> int:
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def label_of(day: datetime.date) -> str:
    return school_year_label(start_year_of(day))


def start_year_sql(field: str):
    """The first calendar year of the school year a date (or a moment, in the district's time zone) is
    in; NULL for NULL."""
    before_july = Case(When(**{f"{field}__month__lt": FIRST_MONTH}, then=Value(1)), default=Value(0))
    return ExtractYear(F(field)) - before_july
