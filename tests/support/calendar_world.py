"""What the planning calendar's tests share: two school years, people of each role, and a fixed day.

The calendar's "today" is the district's (support.selectors.calendar.district_today); the tests pin it with
`on_day`, so that "in 12 days" and which years a feed holds do not depend on when the suite runs.
"""

import datetime

import pytest
from django.utils import timezone

from schools.models import District, Role
from tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory, UserFactory

THIS_YEAR = {"label": "2026-27"}  # SchoolYearFactory's default: Jul 1, 2026 – Jun 30, 2027
NEXT_YEAR = {
    "label": "2027-28",
    "start_date": datetime.date(2027, 7, 1),
    "end_date": datetime.date(2028, 6, 30),
    "first_day": datetime.date(2027, 8, 16),
}
YEAR_AFTER = {
    "label": "2028-29",
    "start_date": datetime.date(2028, 7, 1),
    "end_date": datetime.date(2029, 6, 30),
    "first_day": datetime.date(2028, 8, 14),
}
LAST_YEAR = {
    "label": "2025-26",
    "start_date": datetime.date(2025, 7, 1),
    "end_date": datetime.date(2026, 6, 30),
    "first_day": datetime.date(2025, 8, 18),
}
TODAY = datetime.date(2026, 12, 4)


def on_day(monkeypatch, day: datetime.date, *, hour: int = 12, zone: str = "America/Chicago") -> None:
    """Make `timezone.now()` the given day at `hour` in `zone`, for the calendar's reads."""
    from zoneinfo import ZoneInfo

    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZoneInfo(zone))
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))


@pytest.fixture
def years(db):
    District.objects.get_or_create(key=1, defaults={"name": "Riverbend", "time_zone": "America/Chicago"})
    return {
        "last": SchoolYearFactory(**LAST_YEAR),
        "this": SchoolYearFactory(**THIS_YEAR),
        "next": SchoolYearFactory(**NEXT_YEAR),
        "after": SchoolYearFactory(**YEAR_AFTER),
    }


@pytest.fixture
def today(monkeypatch):
    on_day(monkeypatch, TODAY)
    return TODAY


@pytest.fixture
def people(db):
    """One user per role, and one who holds none."""
    school = SchoolFactory()
    users = {
        Role.PRINCIPAL: MembershipFactory(role=Role.PRINCIPAL, school=school).user,
        Role.SCHOOL_TEAM: MembershipFactory(role=Role.SCHOOL_TEAM, school=school).user,
        Role.LIAISON: MembershipFactory(role=Role.LIAISON).user,
        Role.REVIEWER: MembershipFactory(role=Role.REVIEWER, function="finance").user,
        Role.VIEWER: MembershipFactory(role=Role.VIEWER).user,
        Role.ADMIN: MembershipFactory(role=Role.ADMIN).user,
        "no_role": UserFactory(),
    }
    return users
