"""Support requests read: a school's list, a department's queue and overdue list, one request with its
timeline, counts per status, and each department's timeliness figures. Every read is scoped by
support.policies.requests, and a list costs the same queries for 1 row or 1,000.

Overdue means open or reopened with its due date before today. A request waiting on the school is never
overdue: its clock is paused until the school answers (support.services.support_request_steps).
"""

import datetime
import statistics
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from schools.models import School
from support.models import Department, SupportCategory, SupportMessage, SupportRequest, SupportStatus
from support.policies.requests import sees_internal_notes, support_requests_visible_to

LIVE = "live"  # the status filter for every request not yet resolved or closed
LIVE_STATUSES = (SupportStatus.OPEN, SupportStatus.WAITING, SupportStatus.REOPENED)
CLOCK_RUNNING = (SupportStatus.OPEN, SupportStatus.REOPENED)
DONE_STATUSES = (SupportStatus.RESOLVED, SupportStatus.CLOSED)
UNASSIGNED = "unassigned"

LIST_RELATED = ("school", "category", "assignee")


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=CLOCK_RUNNING, due_on__lt=today)


def _status_filter(requests: QuerySet, status: str | None) -> QuerySet:
    if status == LIVE:
        return requests.filter(status__in=LIVE_STATUSES)
    if status:
        return requests.filter(status=status)
    return requests


def school_support_requests(
    *, user: AbstractBaseUser, school: School, status: str | None = None
) -> QuerySet[SupportRequest]:
    """The school's requests, newest first, as its staff and liaison see them."""
    requests = support_requests_visible_to(user).filter(school=school).select_related(*LIST_RELATED)
    return _status_filter(requests, status).order_by("-created_at", "-pk")


def department_queue(
    *,
    user: AbstractBaseUser,
    department: str,
    status: str | None = LIVE,
    assignee: str | int | None = None,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[SupportRequest]:
    """A department's requests from every school, the soonest due first."""
    today = today or timezone.localdate()
    requests = support_requests_visible_to(user).filter(department=department).select_related(*LIST_RELATED)
    requests = _status_filter(requests, status)
    if assignee == UNASSIGNED:
        requests = requests.filter(assignee__isnull=True)
    elif assignee:
        requests = requests.filter(assignee_id=assignee)
    if overdue:
        requests = requests.filter(overdue_q(today))
    return requests.order_by("due_on", "pk")


@dataclass(frozen=True)
class OverdueRow:
    request: SupportRequest
    days_overdue: int


def overdue_by_department(
    *, user: AbstractBaseUser, departments: list[str], today: datetime.date | None = None
) -> list[tuple[str, str, list[OverdueRow]]]:
    """(department, its name, its overdue requests, the longest overdue first) for each department asked,
    in one query whatever the number of departments or requests."""
    today = today or timezone.localdate()
    requests = (
        support_requests_visible_to(user)
        .filter(overdue_q(today), department__in=departments)
        .select_related(*LIST_RELATED)
        .order_by("due_on", "pk")
    )
    by_department: dict[str, list[OverdueRow]] = {department: [] for department in departments}
    for request in requests:
        by_department[request.department].append(OverdueRow(request, (today - request.due_on).days))
    return [(department, Department(department).label, rows) for department, rows in by_department.items()]


def support_request_counts(requests: QuerySet[SupportRequest], *, today: datetime.date | None = None) -> dict:
    """How many requests there are in each status, and how many are overdue, in one query."""
    today = today or timezone.localdate()
    aggregates = {status: Count("pk", filter=Q(status=status)) for status in SupportStatus.values}
    aggregates["overdue"] = Count("pk", filter=overdue_q(today))
    return requests.order_by().aggregate(**aggregates)


def support_request_get_for_user(*, user: AbstractBaseUser, pk: int) -> SupportRequest:
    """The request with its events and the messages this user may read; 404 for any they may not see."""
    request = (
        support_requests_visible_to(user)
        .select_related("school__network", "category", "assignee", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such support request.")
    messages = SupportMessage.objects.select_related("author").order_by("created_at", "pk")
    if not sees_internal_notes(user, request):
        messages = messages.filter(internal=False)
    request.visible_messages = list(messages.filter(support_request=request))
    request.timeline_events = list(request.events.select_related("actor").order_by("at", "pk"))
    return request


def categories_by_department(*, include_inactive: bool = False) -> list[tuple[str, list[SupportCategory]]]:
    """The categories grouped under their department's name, in the district's order of departments."""
    categories = SupportCategory.objects.order_by("name")
    if not include_inactive:
        categories = categories.filter(active=True)
    groups: dict[str, list[SupportCategory]] = {}
    for category in categories:
        groups.setdefault(category.department, []).append(category)
    return [(Department(value).label, groups[value]) for value in Department.values if value in groups]


# --- timeliness, beside the survey scorecards -------------------------------------------------------


@dataclass(frozen=True)
class DepartmentServiceFigures:
    """How a department met its service deadlines over a period: requests resolved in it (closed ones too),
    the share resolved by their due date, the median days from the request to its resolution, and the
    mean of the ratings schools gave on closing (None where there is nothing to count)."""

    department: str
    name: str
    resolved: int
    resolved_on_time: int
    on_time_percent: int | None
    median_days_to_resolve: float | None
    ratings: int
    mean_rating: float | None


def department_service_figures(
    *,
    departments: list[str] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[DepartmentServiceFigures]:
    """Each department's figures for requests resolved from `since` to `until` (inclusive), in one query.

    Not scoped to a user: these are the department's own figures, shown on its scorecard to whoever the
    scorecard's policy lets see it. Days are calendar days, to one decimal; the percentage is rounded."""
    departments = departments or list(Department.values)
    requests = SupportRequest.objects.filter(
        department__in=departments, status__in=DONE_STATUSES, resolved_at__isnull=False
    )
    if since:
        requests = requests.filter(resolved_at__date__gte=since)
    if until:
        requests = requests.filter(resolved_at__date__lte=until)
    rows = requests.values_list("department", "created_at", "resolved_at", "due_on", "rating")
    found: dict[str, list] = {department: [] for department in departments}
    for department, created_at, resolved_at, due_on, rating in rows:
        found[department].append((created_at, resolved_at, timezone.localdate(resolved_at) <= due_on, rating))
    return [_figures(department, found[department]) for department in departments]


def _figures(department: str, rows: list) -> DepartmentServiceFigures:
    on_time = sum(1 for _, _, in_time, _ in rows if in_time)
    days = [(resolved - created).total_seconds() / 86400 for created, resolved, _, _ in rows]
    ratings = [rating for _, _, _, rating in rows if rating is not None]
    return DepartmentServiceFigures(
        department=department,
        name=Department(department).label,
        resolved=len(rows),
        resolved_on_time=on_time,
        on_time_percent=round(100 * on_time / len(rows)) if rows else None,
        median_days_to_resolve=round(statistics.median(days), 1) if days else None,
        ratings=len(ratings),
        mean_rating=round(statistics.mean(ratings), 1) if ratings else None,
    )


def assignees_for(department: str):
    """The department's staff, whom a request may be assigned to or filtered by."""
    return get_user_model().objects.filter(departments__department=department).order_by("username")
