"""The calendar's reads: entries from milestones and from the rows that already hold dates, the words for
dates and for how far off they are, which year is current, and query counts that do not grow with entries."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from schools.models import District, Role, SchoolYear
from support.models import Milestone, MilestoneKind, OptInWindow, SurveyCycle
from support.selectors.calendar import (
    calendar_entries,
    calendar_months,
    dates_text,
    district_today,
    feed_school_years,
    school_year_current,
    timing,
)
from support.services.calendar import calendar_feed_for
from tests.support import calendar_world
from tests.support.calendar_world import on_day

# The shared fixtures (tests/support/calendar_world.py), by name.
people = calendar_world.people
today = calendar_world.today
years = calendar_world.years


D = datetime.date


@pytest.mark.parametrize(
    ("on", "last", "words"),
    [
        (D(2027, 3, 1), D(2027, 3, 1), "Mar 1, 2027"),
        (D(2027, 3, 1), D(2027, 3, 5), "Mar 1 – Mar 5, 2027"),
        (D(2027, 2, 26), D(2027, 3, 5), "Feb 26 – Mar 5, 2027"),
        (D(2026, 12, 21), D(2027, 1, 1), "Dec 21, 2026 – Jan 1, 2027"),
    ],
)
def test_dates_are_written_as_people_write_them(on, last, words):
    assert dates_text(on, last) == words


@pytest.mark.parametrize(
    ("on", "last", "expected"),
    [
        (D(2026, 12, 3), D(2026, 12, 3), ("past", "Past")),
        (D(2026, 11, 30), D(2026, 12, 3), ("past", "Past")),
        (D(2026, 12, 4), D(2026, 12, 4), ("now", "Today")),
        (D(2026, 12, 1), D(2026, 12, 4), ("now", "Today")),
        (D(2026, 12, 1), D(2026, 12, 9), ("now", "Now, until Dec 9")),
        (D(2026, 12, 5), D(2026, 12, 5), ("upcoming", "Tomorrow")),
        (D(2026, 12, 16), D(2026, 12, 20), ("upcoming", "In 12 days")),
        (D(2027, 12, 4), D(2027, 12, 4), ("upcoming", "In 365 days")),
    ],
)
def test_how_far_off_in_words(on, last, expected):
    assert timing(on, last, D(2026, 12, 4)) == expected


def test_the_current_year_is_the_one_today_falls_in_else_the_next_to_start(years):
    ordered = list(SchoolYear.objects.order_by("start_date"))
    assert school_year_current(ordered, D(2026, 12, 4)) == years["this"]
    assert school_year_current(ordered, D(2027, 7, 1)) == years["next"]
    assert school_year_current(ordered, D(2020, 1, 1)) == years["last"]
    assert school_year_current(ordered, D(2040, 1, 1)) == years["after"]
    assert school_year_current([], D(2026, 12, 4)) is None
    assert feed_school_years(ordered, D(2026, 12, 4)) == [years["this"], years["next"]]
    assert feed_school_years(ordered, D(2040, 1, 1)) == [years["after"]]


def test_the_district_day_turns_at_the_district_midnight(years, monkeypatch):
    # 11 pm in Chicago on Dec 4 is already Dec 5 in UTC.
    on_day(monkeypatch, D(2026, 12, 4), hour=23)
    assert district_today() == D(2026, 12, 4)
    District.objects.update(time_zone="Asia/Tokyo")
    assert district_today() == D(2026, 12, 5)
    District.objects.update(time_zone="Not/AZone")  # a bad zone falls back to the deployment's
    assert district_today() == D(2026, 12, 4)


def test_entries_come_from_milestones_and_the_rows_that_hold_dates(years):
    this = years["this"]
    Milestone.objects.create(school_year=this, kind=MilestoneKind.CALL_FOR_PROPOSALS, title="Call", on=D(2027, 1, 11))
    OptInWindow.objects.create(school_year=this, opens_on=D(2027, 2, 1), closes_on=D(2027, 2, 26))
    SurveyCycle.objects.create(school_year=this, term="Fall", opens_on=D(2026, 10, 5), closes_on=D(2026, 10, 23))
    Milestone.objects.create(
        school_year=years["next"], kind=MilestoneKind.OTHER, title="Not this year", on=D(2028, 1, 1)
    )
    entries = calendar_entries(school_years=[this])
    assert [(e.title, e.source, e.kind) for e in entries] == [
        ("Fall survey of central office", "survey", "survey"),
        ("Call", "office", "call"),
        ("Network choice for 2026-27", "opt_in", "networks"),
    ]
    assert [e.source_words for e in entries] == [
        "From the survey cycle",
        "Entered by the autonomy office",
        "From the network opt-in window",
    ]
    assert [title for title, _ in ((e.title, e) for e in calendar_entries(school_years=[this], kind="networks"))] == [
        "Network choice for 2026-27"
    ]
    assert [e.title for e in calendar_entries(school_years=[this], kind="call")] == ["Call"]
    assert calendar_entries(school_years=[this], kind="contracts") == []
    months = calendar_months(entries)
    assert [(label, [e.title for e in group]) for label, group in months] == [
        ("October 2026", ["Fall survey of central office"]),
        ("January 2027", ["Call"]),
        ("February 2027", ["Network choice for 2026-27"]),
    ]


def _milestones(year, count):
    Milestone.objects.bulk_create(
        Milestone(
            school_year=year, kind=MilestoneKind.OTHER, title=f"Date {n}", on=D(2027, 1, 1) + datetime.timedelta(n)
        )
        for n in range(count)
    )
    OptInWindow.objects.get_or_create(
        school_year=year, defaults={"opens_on": D(2027, 2, 1), "closes_on": D(2027, 2, 5)}
    )
    for n in range(count // 10):
        SurveyCycle.objects.get_or_create(
            school_year=year, term=f"Term {n}", defaults={"opens_on": D(2027, 3, 1), "closes_on": D(2027, 3, 5)}
        )


@pytest.mark.parametrize("count", [1, 20])
def test_entries_cost_three_queries_however_many(years, count, django_assert_num_queries):
    _milestones(years["this"], count)
    with django_assert_num_queries(3):
        entries = calendar_entries(school_years=[years["this"], years["next"]])
        assert len([e for e in entries if e.source == "office"]) == count
        assert all(e.school_year.label == "2026-27" for e in entries)


# The page: the session, the user, their roles (memberships; asked again for the office's links, answered
# from the roles already read), the district's zone, the years, the three kinds of entry, the user's feed,
# the layout's unread count, and the departments the navigation asks about (cold here; cached after).
PAGE_QUERIES = 11
# The feed: its owner with the feed, the owner's roles, the district, the years, the three kinds of entry.
FEED_QUERIES = 7


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_costs_the_same_for_1_or_20_milestones(years, people, today, count, django_assert_num_queries):
    _milestones(years["this"], count)
    client = Client()
    client.force_login(people[Role.PRINCIPAL])
    cache.clear()  # the roles are read by the request, not found cached by the setup
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(reverse("support:calendar"))
    assert response.status_code == 200
    assert response.content.count(b'class="calendar-title"') == count + 1 + count // 10


@pytest.mark.parametrize("count", [1, 20])
def test_the_feed_costs_the_same_for_1_or_20_milestones(years, people, today, count, django_assert_num_queries):
    _milestones(years["this"], count)
    _, token = calendar_feed_for(user=people[Role.PRINCIPAL])
    cache.clear()
    with django_assert_num_queries(FEED_QUERIES):
        response = Client().get(reverse("support:calendar_feed", args=[token]))
    assert response.content.count(b"BEGIN:VEVENT") == count + 1 + count // 10
