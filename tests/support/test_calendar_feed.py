"""The private feed, read back with the icalendar package as a calendar app would: all-day events with an
exclusive end, the current and the next school year only, stable UIDs, no login, and 404 for any token that
does not open a feed of someone who may read the calendar now."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from schools.models import Membership, Role
from support.models import Milestone, MilestoneKind, OptInWindow, SurveyCycle, SurveyStatus
from support.services.calendar import calendar_feed_for, calendar_feed_replace
from tests.support import calendar_world
from tests.support.calendar_world import on_day

# The shared fixtures (tests/support/calendar_world.py), by name.
people = calendar_world.people
today = calendar_world.today
years = calendar_world.years


D = datetime.date


@pytest.fixture
def dates(years):
    this, following = years["this"], years["next"]
    return {
        "staffing": Milestone.objects.create(
            school_year=this, kind=MilestoneKind.STAFFING_DEADLINE, title="Staffing plans due", on=D(2027, 4, 15)
        ),
        "winter": Milestone.objects.create(
            school_year=this,
            kind=MilestoneKind.DISTRICT_CLOSED,
            title="Winter break",
            on=D(2026, 12, 21),
            ends_on=D(2027, 1, 1),
        ),
        "next": Milestone.objects.create(
            school_year=following, kind=MilestoneKind.ALLOCATIONS_RELEASED, title="Allocations", on=D(2028, 3, 1)
        ),
        "old": Milestone.objects.create(
            school_year=years["last"], kind=MilestoneKind.OTHER, title="Long ago", on=D(2026, 3, 1)
        ),
        "later": Milestone.objects.create(
            school_year=years["after"], kind=MilestoneKind.OTHER, title="Too far ahead", on=D(2029, 3, 1)
        ),
        "window": OptInWindow.objects.create(school_year=following, opens_on=D(2028, 1, 10), closes_on=D(2028, 2, 4)),
        "survey": SurveyCycle.objects.create(
            school_year=this, term="Spring", opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 19), status=SurveyStatus.OPEN
        ),
    }


def _fetch(token: str, client=None):
    return (client or Client()).get(reverse("support:calendar_feed", args=[token]))


def _events(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["summary"]): {
            "uid": str(event["uid"]),
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "value": event["dtstart"].params.get("VALUE"),
            "end_value": event["dtend"].params.get("VALUE"),
            "description": str(event["description"]),
            "stamp": event.decoded("dtstamp"),
        }
        for event in calendar.walk("VEVENT")
    }


def test_the_feed_holds_this_year_and_next_as_all_day_events(people, dates, today):
    _, token = calendar_feed_for(user=people[Role.PRINCIPAL])
    response = _fetch(token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response)
    assert set(events) == {
        "Staffing plans due",
        "Winter break",
        "Allocations",
        "Network choice for 2027-28",
        "Spring survey of central office",
    }
    # A single day ends the next day; a span ends the day after its last (DTEND is exclusive).
    assert (events["Staffing plans due"]["start"], events["Staffing plans due"]["end"]) == (
        D(2027, 4, 15),
        D(2027, 4, 16),
    )
    assert (events["Winter break"]["start"], events["Winter break"]["end"]) == (D(2026, 12, 21), D(2027, 1, 2))
    assert (events["Network choice for 2027-28"]["start"], events["Network choice for 2027-28"]["end"]) == (
        D(2028, 1, 10),
        D(2028, 2, 5),
    )
    survey = events["Spring survey of central office"]
    assert (survey["start"], survey["end"]) == (D(2027, 3, 1), D(2027, 3, 20))
    for event in events.values():
        assert not isinstance(event["start"], datetime.datetime)  # a date, with no time
        assert event["value"] == event["end_value"] == "DATE"
        assert "http://testserver/support/calendar/" in event["description"]
        assert event["stamp"].tzinfo is not None and event["stamp"].utcoffset() == datetime.timedelta(0)
    assert "From the survey cycle" in survey["description"]
    assert "Entered by the autonomy office" in events["Winter break"]["description"]
    assert b"DTSTART;VALUE=DATE:20261221" in response.content
    assert b"DTEND;VALUE=DATE:20270102" in response.content
    assert b"X-WR-TIMEZONE:America/Chicago" in response.content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H" in response.content and b"X-PUBLISHED-TTL:PT12H" in response.content


def test_uids_are_unique_and_stable_so_apps_update_rather_than_duplicate(people, dates, today):
    _, token = calendar_feed_for(user=people[Role.PRINCIPAL])
    first = _events(_fetch(token))
    assert len({event["uid"] for event in first.values()}) == len(first)
    staffing = dates["staffing"]
    staffing.title, staffing.on = "Staffing plans due to HR", D(2027, 4, 22)
    staffing.save()
    second = _events(_fetch(token))
    assert second["Staffing plans due to HR"]["uid"] == first["Staffing plans due"]["uid"]
    assert second["Staffing plans due to HR"]["start"] == D(2027, 4, 22)
    assert {e["uid"] for e in second.values()} == {e["uid"] for e in first.values()}


def test_the_feed_needs_no_login_and_is_the_same_whoever_owns_it(people, dates, today):
    _, mine = calendar_feed_for(user=people[Role.PRINCIPAL])
    _, theirs = calendar_feed_for(user=people[Role.ADMIN])
    signed_in = Client()
    signed_in.force_login(people[Role.VIEWER])
    body = _fetch(mine).content
    assert _fetch(mine, signed_in).status_code == 200
    # Nothing of any person is in it: not the owner, not anyone else, not the other token.
    for user in people.values():
        assert user.username.encode() not in body and user.email.encode() not in body
    assert theirs.encode() not in body and mine.encode() not in body
    assert _events(_fetch(theirs)) == _events(_fetch(mine))


def test_an_unknown_or_replaced_token_is_not_found(people, dates, today):
    principal = people[Role.PRINCIPAL]
    _, old = calendar_feed_for(user=principal)
    assert _fetch(old).status_code == 200
    _, new = calendar_feed_replace(user=principal)
    assert _fetch(old).status_code == 404
    assert _fetch(new).status_code == 200
    assert _fetch("x" * 43).status_code == 404
    assert Client().get(f"/support/calendar/feed/{new[:-1]}.ics").status_code == 404
    assert Client().get(f"/support/calendar/feed/{new}").status_code == 404  # the address ends in .ics


def test_a_feed_stops_when_its_owner_loses_every_role_or_is_deactivated(people, dates, today):
    reviewer, principal = people[Role.REVIEWER], people[Role.PRINCIPAL]
    _, reviewer_token = calendar_feed_for(user=reviewer)
    _, principal_token = calendar_feed_for(user=principal)
    Membership.objects.filter(user=reviewer).delete()
    assert _fetch(reviewer_token).status_code == 404
    principal.is_active = False
    principal.save()
    assert _fetch(principal_token).status_code == 404


def test_which_years_follow_the_district_day(people, dates, monkeypatch):
    _, token = calendar_feed_for(user=people[Role.PRINCIPAL])
    on_day(monkeypatch, D(2027, 8, 1))  # 2027-28 has begun: it and 2028-29 are in the feed
    assert set(_events(_fetch(token))) == {"Allocations", "Network choice for 2027-28", "Too far ahead"}


def test_only_reads_are_answered(people, dates, today):
    _, token = calendar_feed_for(user=people[Role.PRINCIPAL])
    url = reverse("support:calendar_feed", args=[token])
    assert Client().post(url).status_code == 405
    assert Client().head(url).status_code == 200
