"""Support request reads: scoped lists, queue filters, the overdue list with days overdue, counts, and the
departments' timeliness figures; each list in the same queries for 1 row or 20."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from support.models import SupportRequest
from support.selectors.requests import (
    LIVE,
    UNASSIGNED,
    department_queue,
    department_service_figures,
    overdue_by_department,
    school_support_requests,
    support_request_counts,
    support_requests_visible_to,
)
from support.services.support_request_steps import (
    support_request_close,
    support_request_resolve,
    support_request_wait,
)
from tests.support.requests_builders import raise_request, request_world

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()  # a request made today is due after it


@pytest.fixture
def world():
    return request_world()


def many(world, count, **options):
    return [raise_request(world, subject=f"Question {n}", **options) for n in range(count)]


def make_overdue(requests, days):
    SupportRequest.objects.filter(pk__in=[r.pk for r in requests]).update(due_on=TODAY - datetime.timedelta(days=days))


def test_queue_filters(world):
    assigned, waiting, unassigned = many(world, 3)
    SupportRequest.objects.filter(pk=unassigned.pk).update(assignee=None)
    support_request_wait(actor=world.staff, request_id=waiting.pk, message="More?")
    make_overdue([assigned, waiting], 1)
    queue = lambda **filters: set(department_queue(user=world.head, department="finance", today=TODAY, **filters))  # noqa: E731
    assert queue() == {assigned, waiting, unassigned}
    assert queue(status="waiting") == {waiting}
    assert queue(assignee=UNASSIGNED) == {unassigned}
    assert queue(assignee=world.seat.pk) == {assigned, waiting}
    assert queue(overdue=True) == {assigned}  # waiting: its clock is paused
    support_request_resolve(actor=world.staff, request_id=assigned.pk, message="Done.")
    assert queue(status=LIVE) == {waiting, unassigned}
    assert queue(status="") == {assigned, waiting, unassigned}
    assert set(department_queue(user=world.hr, department="finance")) == set()  # not HR's to see


def test_overdue_list_per_department_with_days(world):
    late = raise_request(world)
    later = raise_request(world)
    repair = raise_request(world, category=world.repair)
    make_overdue([late], 2)
    make_overdue([later, repair], 9)
    groups = overdue_by_department(user=world.admin, departments=["finance", "operations", "hr"], today=TODAY)
    found = {department: [(row.request, row.days_overdue) for row in rows] for department, _, rows in groups}
    assert found == {"finance": [(later, 9), (late, 2)], "operations": [(repair, 9)], "hr": []}
    assert [name for _, name, _ in groups] == ["Finance", "Operations", "Talent and human resources"]


def test_counts_per_status(world):
    first, second, third = many(world, 3)
    support_request_wait(actor=world.staff, request_id=second.pk, message="More?")
    support_request_resolve(actor=world.staff, request_id=third.pk, message="Done.")
    make_overdue([first], 1)
    counts = support_request_counts(SupportRequest.objects.all(), today=TODAY)
    assert counts == {"open": 1, "waiting": 1, "resolved": 1, "reopened": 0, "closed": 0, "overdue": 1}


def test_each_sees_their_own(world):
    mine = raise_request(world)
    theirs = raise_request(world, school=world.other, actor=world.other_principal)
    repair = raise_request(world, category=world.repair)
    seen = lambda user: set(support_requests_visible_to(user))  # noqa: E731
    assert seen(world.principal) == seen(world.team) == seen(world.liaison) == {mine, repair}
    assert seen(world.other_principal) == {theirs}
    assert seen(world.staff) == seen(world.head) == {mine, theirs}
    assert seen(world.hr) == set()
    assert seen(world.viewer) == seen(world.admin) == {mine, theirs, repair}
    assert set(school_support_requests(user=world.head, school=world.school)) == {mine}


def test_service_figures(world, monkeypatch):
    on_time, late, unrated = many(world, 3)
    open_one = raise_request(world)
    support_request_resolve(actor=world.staff, request_id=on_time.pk, message="Done.")
    support_request_close(actor=world.principal, request_id=on_time.pk, rating=5)
    support_request_resolve(actor=world.staff, request_id=late.pk, message="Done.")
    support_request_close(actor=world.principal, request_id=late.pk, rating=2)
    support_request_resolve(actor=world.staff, request_id=unrated.pk, message="Done.")
    now = timezone.now()
    SupportRequest.objects.filter(pk=on_time.pk).update(created_at=now - datetime.timedelta(days=1))
    SupportRequest.objects.filter(pk=late.pk).update(
        created_at=now - datetime.timedelta(days=10), due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    SupportRequest.objects.filter(pk=unrated.pk).update(created_at=now - datetime.timedelta(days=4))
    figures = {row.department: row for row in department_service_figures(departments=["finance", "hr"])}
    finance = figures["finance"]
    assert (finance.resolved, finance.resolved_on_time, finance.on_time_percent) == (3, 2, 67)
    assert finance.median_days_to_resolve == 4.0
    assert (finance.ratings, finance.mean_rating) == (2, 3.5)
    assert figures["hr"].resolved == 0 and figures["hr"].on_time_percent is None and figures["hr"].mean_rating is None
    assert open_one.status == "open"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert department_service_figures(departments=["finance"], since=tomorrow)[0].resolved == 0
    assert department_service_figures(departments=["finance"], until=timezone.localdate())[0].resolved == 3
    assert len(department_service_figures()) == 6  # every department by default


@pytest.mark.parametrize("count", [1, 20])
def test_lists_cost_the_same_for_1_or_20(world, count, client_for, django_assert_num_queries):
    requests = many(world, count)
    make_overdue(requests, 3)
    support_requests_visible_to(world.head)  # the head's roles and departments, read once per request
    with django_assert_num_queries(1):
        list(department_queue(user=world.head, department="finance", today=TODAY))
    with django_assert_num_queries(1):
        overdue_by_department(user=world.head, departments=["finance", "operations"], today=TODAY)
    with django_assert_num_queries(1):
        department_service_figures()
    pages = {
        reverse("support:school_requests", args=[world.school.code]): world.principal,
        reverse("support:request_queue"): world.head,
        reverse("support:request_overdue"): world.head,
    }
    for url, user in pages.items():
        client = client_for(user)
        client.get(url)  # the session and caches warmed
        with django_assert_num_queries(PAGE_QUERIES[url.split("/")[-2]]):
            assert client.get(url).status_code == 200


# Pinned: a change here is a reviewed diff. The user (their roles and departments come from the cache), then
# the page's own reads (the school, the counts, the page's count and its rows; the overdue list its rows once).
PAGE_QUERIES = {"requests": 5, "queue": 5, "overdue": 2}
