"""Business days on hand-picked dates: weekends and the district's closures are skipped."""

import datetime

import pytest

from support.models import Milestone, MilestoneKind
from support.services.business_days import (
    add_business_days,
    business_days_between,
    district_closed_days,
    due_date,
    due_date_after_waiting,
)
from tests.factories import SchoolYearFactory

D = datetime.date
FRIDAY = D(2026, 12, 4)
THANKSGIVING_WEEK = (D(2026, 11, 23), D(2026, 11, 27))


def closure(first, last=None, kind=MilestoneKind.DISTRICT_CLOSED):
    return Milestone.objects.create(
        school_year=SchoolYearFactory(), kind=kind, title="Offices closed", on=first, ends_on=last
    )


def test_a_friday_request_is_due_the_next_friday():
    assert FRIDAY.weekday() == 4
    assert add_business_days(FRIDAY, 5) == D(2026, 12, 11)
    assert add_business_days(FRIDAY, 1) == D(2026, 12, 7)  # Monday


def test_a_request_made_on_a_saturday_counts_from_monday():
    assert add_business_days(D(2026, 12, 5), 1) == D(2026, 12, 7)
    assert add_business_days(D(2026, 12, 5), 5) == D(2026, 12, 11)


@pytest.mark.django_db
def test_a_closure_week_is_skipped():
    closure(*THANKSGIVING_WEEK)
    # Asked on the Friday before: Monday to Friday closed, so five business days end the Friday after.
    assert due_date(D(2026, 11, 20), 5) == D(2026, 12, 4)
    assert due_date(D(2026, 11, 24), 1) == D(2026, 11, 30)  # asked during the closure


@pytest.mark.django_db
def test_a_single_closed_day_and_other_milestones():
    closure(D(2026, 12, 7))  # a Monday
    closure(D(2026, 12, 8), kind=MilestoneKind.STAFFING_DEADLINE)  # not a closure: counted
    assert due_date(FRIDAY, 1) == D(2026, 12, 8)
    assert due_date(FRIDAY, 5) == D(2026, 12, 14)


@pytest.mark.django_db
def test_closures_read_once_and_only_from_the_start(django_assert_num_queries):
    closure(D(2026, 10, 1), D(2026, 10, 2))  # before: not read
    closure(D(2026, 11, 30), D(2026, 12, 2))  # runs into the period
    with django_assert_num_queries(1):
        days = district_closed_days(since=D(2026, 12, 1))
    assert days == {D(2026, 11, 30), D(2026, 12, 1), D(2026, 12, 2)}


def test_business_days_between():
    assert business_days_between(FRIDAY, FRIDAY) == 0
    assert business_days_between(FRIDAY, D(2026, 12, 6)) == 0  # the weekend
    assert business_days_between(FRIDAY, D(2026, 12, 9)) == 3  # Mon, Tue, Wed
    assert business_days_between(FRIDAY, D(2026, 12, 9), closed={D(2026, 12, 8)}) == 2
    assert business_days_between(D(2026, 12, 9), FRIDAY) == 0


@pytest.mark.django_db
def test_waiting_moves_the_deadline_by_the_business_days_waited():
    closure(D(2026, 12, 8))
    # Due Friday Dec 11; asked Monday Dec 7, answered Wednesday Dec 9: Tue closed, Wed counted → 1 day.
    due, waited = due_date_after_waiting(D(2026, 12, 11), waited_from=D(2026, 12, 7), waited_until=D(2026, 12, 9))
    assert waited == 1
    assert due == D(2026, 12, 14)
    # Answered the same day: the deadline stays.
    assert due_date_after_waiting(D(2026, 12, 11), waited_from=D(2026, 12, 7), waited_until=D(2026, 12, 7)) == (
        D(2026, 12, 11),
        0,
    )
