"""The evidence a contract's commitments of central office are judged on, read from what support holds:
the schools' support requests of each department, the district calendar's milestones and closed days.

Contracts reads these (contracts.services.commitments_tracking); support never reads contracts. Business
days are counted by support's own rule (support.services.business_days). Each
function is one query for any number of schools, so the nightly run's step stays set-based.
"""

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.utils import timezone

from support.models import Milestone, SupportRequest
from support.services.business_days import add_business_days

ONE_DAY = datetime.timedelta(days=1)


class RequestTimes(NamedTuple):
    """A support request as a commitment counts it: when it was made and when it was resolved (local days)."""

    pk: int
    created_on: datetime.date
    resolved_on: datetime.date | None


def requests_by_school_and_department(
    *, school_ids: set[int], departments: set[str], since: datetime.date, until: datetime.date
) -> dict[tuple[int, str], list[RequestTimes]]:
    """Every request of those schools to those departments made from `since` to `until` (inclusive, in the
    district's time zone), by (school, department), oldest first; one query. A request reopened after being
    resolved has no resolution time again, so it counts as unanswered until it is resolved once more."""
    if not school_ids or not departments:
        return {}
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(until + ONE_DAY, datetime.time.min, tzinfo=zone)
    rows = (
        SupportRequest.objects.filter(
            school_id__in=school_ids, department__in=departments, created_at__gte=start, created_at__lt=end
        )
        .order_by("created_at", "pk")
        .values_list("pk", "school_id", "department", "created_at", "resolved_at")
    )
    found: dict[tuple[int, str], list[RequestTimes]] = defaultdict(list)
    for pk, school_id, department, created_at, resolved_at in rows:
        resolved_on = timezone.localtime(resolved_at, zone).date() if resolved_at else None
        found[(school_id, department)].append(
            RequestTimes(pk, timezone.localtime(created_at, zone).date(), resolved_on)
        )
    return dict(found)


def milestone_dates(*, kinds: set[str]) -> dict[str, list[tuple[datetime.date, datetime.date, datetime.date]]]:
    """The calendar's dates of those kinds: kind → [(its school year's first day, last day, the date)],
    earliest first; one query."""
    if not kinds:
        return {}
    rows = (
        Milestone.objects.filter(kind__in=kinds)
        .order_by("on", "pk")
        .values_list("kind", "school_year__start_date", "school_year__end_date", "on")
    )
    found: dict[str, list] = defaultdict(list)
    for kind, start, end, on in rows:
        found[kind].append((start, end, on))
    return dict(found)


def milestone_date_for(
    dates: dict[str, list[tuple[datetime.date, datetime.date, datetime.date]]], *, kind: str, due_on: datetime.date
) -> datetime.date | None:
    """The calendar's date of a kind in the school year of `due_on` (the earliest, if several); None if the
    calendar has none."""
    for start, end, on in dates.get(kind, []):
        if start <= due_on <= end:
            return on
    return None


def days_after(start: datetime.date, days: int, *, business: bool, closed: frozenset[datetime.date]) -> datetime.date:
    """The day `days` days after `start`: calendar days, or business days counted as support requests count
    their own deadline (support.services.business_days). The start itself never counts."""
    if not business:
        return start + datetime.timedelta(days=days)
    return add_business_days(start, days, closed=closed)
