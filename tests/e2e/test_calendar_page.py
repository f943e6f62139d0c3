"""The planning calendar in Chromium, at a desktop's width and a phone's: a principal reads the year by month
and makes a private address that a calendar app can fetch; the autonomy office adds a milestone, is told
which field is wrong first, and finds it on the calendar. Every page is checked with axe-core and must fit
the window's width."""

import datetime
import random
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from demo.services.builder import current_school_year_start, school_year_label
from demo.services.support_calendar_scenes import calendar_scene
from schools.models import District, Role
from support.models import OptInWindow, SurveyCycle, SurveyStatus
from tests.factories import SchoolFactory, SchoolYearFactory

from .accessibility import assert_accessible, sideways_overflow
from .conftest import DESKTOP
from .steps import login, review_screenshot

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def calendar_district(live_server, django_db_serialized_rollback, make_member):
    """This school year and the next with the demo's calendar, the opt-in window and a fall survey; a
    principal and the autonomy office."""
    District.objects.create(name="Riverbend Unified", time_zone="America/Chicago")
    start = current_school_year_start(timezone.localdate())
    years = [
        SchoolYearFactory(
            label=school_year_label(year),
            start_date=datetime.date(year, 7, 1),
            end_date=datetime.date(year + 1, 6, 30),
            first_day=datetime.date(year, 8, 17),
        )
        for year in (start, start + 1)
    ]
    school = SchoolFactory(name="Lincoln Elementary")
    principal = make_member(Role.PRINCIPAL, school=school, username="principal-lincoln")
    admin = make_member(Role.ADMIN, username="autonomy-office")
    OptInWindow.objects.create(
        school_year=years[0], opens_on=datetime.date(start + 1, 2, 1), closes_on=datetime.date(start + 1, 2, 26)
    )
    SurveyCycle.objects.create(
        school_year=years[0],
        term="Fall",
        opens_on=datetime.date(start, 10, 19),
        closes_on=datetime.date(start, 11, 6),
        status=SurveyStatus.CLOSED,
    )
    district = SimpleNamespace(years=years[:1], future_years=years[1:], staff={"admin": admin})
    calendar_scene(district, rng=random.Random(2026))
    return {"years": years, "principal": principal, "admin": admin}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_principal_reads_the_year_and_subscribes(page: Page, calendar_district, viewport):
    year = calendar_district["years"][0]
    login(page, "principal-lincoln", PASSWORD)
    page.goto("/support/calendar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning calendar")
    expect(page.get_by_text(re.compile(rf"^\d+ dates in {year.label}\."))).to_be_visible()
    expect(page.get_by_role("heading", name=f"December {year.start_date.year}", level=2)).to_be_visible()
    winter = page.get_by_role("row").filter(has_text="Winter break")
    expect(winter).to_contain_text(f"Jan 1, {year.start_date.year + 1}")
    expect(winter).to_contain_text("District offices closed")
    expect(page.get_by_role("row").filter(has_text="Network choice for")).to_contain_text(
        "From the network opt-in window"
    )
    expect(page.get_by_role("link", name="Add a milestone")).to_have_count(0)
    assert sideways_overflow(page) == ""
    assert_accessible(page)
    review_screenshot(page, f"calendar-principal-{viewport['width']}")

    # The kind filter answers in place.
    page.get_by_label("Kind").select_option(label="District offices closed")
    expect(page.get_by_text(re.compile(rf"^\d+ dates in {year.label} of this kind\."))).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Staffing plans due")).to_have_count(0)

    # The private address: shown once, and it answers a calendar app without a login.
    page.get_by_role("button", name="Make my private address").click()
    address = page.get_by_label("Private calendar address")
    expect(address).to_have_value(re.compile(r"/support/calendar/feed/[A-Za-z0-9_-]+\.ics$"))
    expect(page.get_by_role("heading", name="Subscribe in your calendar app")).to_be_in_viewport()
    assert sideways_overflow(page) == ""
    assert_accessible(page)
    review_screenshot(page, f"calendar-principal-address-{viewport['width']}")
    feed = page.context.request.get(address.input_value(), headers={"Cookie": ""})
    assert feed.status == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Winter break" in feed.text()
    page.goto("/support/calendar/")
    expect(page.get_by_label("Private calendar address")).to_have_count(0)
    expect(page.get_by_role("button", name="Replace my private address")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_office_adds_a_milestone(page: Page, calendar_district, viewport):
    year = calendar_district["years"][0]
    spring = year.start_date.year + 1
    login(page, "autonomy-office", PASSWORD)
    page.goto("/support/calendar/")
    assert sideways_overflow(page) == ""
    assert_accessible(page)
    review_screenshot(page, f"calendar-office-{viewport['width']}")
    page.get_by_role("link", name="Add a milestone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a milestone")
    page.get_by_label("School year").select_option(year.label)
    page.get_by_label("Kind").select_option(label="Other")
    page.get_by_label("Title").fill("Principals' retreat")
    page.get_by_label("Date").fill(f"{spring}-03-10")
    page.get_by_label("Last day (for a span of days)").fill(f"{spring}-03-08")
    page.get_by_role("button", name="Save the milestone").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The last day comes before the first")
    assert_accessible(page)
    review_screenshot(page, f"calendar-office-refused-{viewport['width']}")
    page.get_by_label("Last day (for a span of days)").fill(f"{spring}-03-11")
    page.get_by_role("button", name="Save the milestone").click()
    expect(page.get_by_text(f"“Principals' retreat” is on the calendar, Mar 10 – Mar 11, {spring}.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Principals' retreat")).to_contain_text(
        "Entered by the autonomy office"
    )
