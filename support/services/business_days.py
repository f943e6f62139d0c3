"""Business days as the district counts them: Monday to Friday, less the days its offices are closed.

The closures are the district's own: the planning calendar's "District offices closed" milestones (one day,
or a span from `on` to `ends_on`). A holiday package (`holidays`, `workalendar`) would not know them, and
would add days a district may well keep open (it decides which public holidays its offices close for and
enters them as closures), so weekends plus the calendar are the whole rule, in a few lines.

Support requests count their service deadline with `due_date`; the days a request waits on the school are
counted with `business_days_between`, so the deadline moves by exactly those days.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q

from support.models import Milestone, MilestoneKind

ONE_DAY = datetime.timedelta(days=1)
SATURDAY = 5


def district_closed_days(*, since: datetime.date) -> frozenset[datetime.date]:
    """Every day from `since` on that the district's offices are closed, in one query."""
    spans = Milestone.objects.filter(kind=MilestoneKind.DISTRICT_CLOSED).filter(
        Q(on__gte=since) | Q(ends_on__gte=since)
    )
    days: set[datetime.date] = set()
    for first, last in spans.values_list("on", "ends_on"):
        day = first
        while day <= (last or first):
            days.add(day)
            day += ONE_DAY
    return frozenset(days)


def is_business_day(day: datetime.date, closed: Iterable[datetime.date] = ()) -> bool:
    return day.weekday() < SATURDAY and day not in closed


def add_business_days(start: datetime.date, days: int, *, closed: Iterable[datetime.date] = ()) -> datetime.date:
    """The day `days` business days after `start` (the start itself never counts, whatever it is)."""
    closed = frozenset(closed)
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if is_business_day(day, closed):
            counted += 1
    return day


def business_days_between(first: datetime.date, last: datetime.date, *, closed: Iterable[datetime.date] = ()) -> int:
    """How many business days fall after `first` up to and including `last` (0 when `last` is not later)."""
    closed = frozenset(closed)
    count, day = 0, first
    while day < last:
        day += ONE_DAY
        if is_business_day(day, closed):
            count += 1
    return count


def due_date(requested_on: datetime.date, business_days: int) -> datetime.date:
    """A request made on `requested_on` is due `business_days` business days later, closures skipped."""
    return add_business_days(requested_on, business_days, closed=district_closed_days(since=requested_on))


def due_date_after_waiting(due_on: datetime.date, *, waited_from: datetime.date, waited_until: datetime.date):
    """The deadline once a request stops waiting on the school: moved on by the business days it waited
    (the day it was asked is not counted, the day it was answered is). Returns (new due date, days waited)."""
    closed = district_closed_days(since=min(due_on, waited_from))
    waited = business_days_between(waited_from, waited_until, closed=closed)
    return add_business_days(due_on, waited, closed=closed), waited
