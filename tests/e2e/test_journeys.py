"""Journeys through the portal in Chromium: each role's home page (the principal's list of what needs
them, the liaison's caseload, the reviewer's queue), a school's decision rights, the
district overview's live search, logging out, another school's page, the keyboard, a phone's width.
Every page a journey reaches is checked with axe-core (WCAG 2.1 A and AA)."""

import re

import pytest
from playwright.sync_api import Page, expect

from contracts.models import PerformanceContract
from schools.models import School
from tests.home.builders import open_flag

from .accessibility import assert_accessible
from .steps import LOGIN_PATH, login, logout, review_screenshot

DISTRICT_STAFF = [
    "admin",
    "reviewer-finance",
    "reviewer-hr",
    "reviewer-academics",
    "reviewer-operations",
    "viewer",
    "liaison-1",
    "dept-academics-head",
    "dept-hr-head",
    "dept-finance-head",
    "dept-operations-head",
    "dept-special-education-head",
    "dept-data-head",
]
SCHOOL_STAFF = ["principal-s0001", "team-s0001"]
DOMAINS = ["People", "Time", "Money", "Program"]
PHONE = {"width": 390, "height": 844}


def written(day) -> str:
    """A date as the pages write it: Feb 1, 2027."""
    return f"{day:%b} {day.day}, {day.year}"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_every_demo_login_has_a_journey(demo_district):
    assert sorted(username for _, username in demo_district.users) == sorted(DISTRICT_STAFF + SCHOOL_STAFF)


def test_login_page_is_accessible_and_explains_a_wrong_password(page: Page, demo_district):
    page.goto(LOGIN_PATH)
    expect(heading(page)).to_have_text("Log in")
    assert_accessible(page)
    review_screenshot(page, "login")

    login_form = page.locator("main form")
    login_form.get_by_label("Username").fill("viewer")
    login_form.get_by_label("Password").fill("not-the-password")
    login_form.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH)))
    assert_accessible(page)


@pytest.mark.parametrize("username", ["admin", "viewer"])
def test_the_autonomy_office_and_viewers_start_on_the_district_overview(page: Page, demo_district, username):
    login(page, username)

    expect(page).to_have_url(re.compile(r"/schools/$"))
    expect(heading(page)).to_have_text("District overview")
    expect(page.locator("#school-table tbody tr").first).to_be_visible()
    assert_accessible(page)
    if username == "admin":
        review_screenshot(page, "district-overview-admin")


@pytest.mark.parametrize("username", [name for name in DISTRICT_STAFF if name.startswith("dept-")])
def test_department_heads_start_on_the_requests_schools_sent_their_department(page: Page, demo_district, username):
    login(page, username)

    expect(page).to_have_url(re.compile(r"/support/queue/$"))
    department = username.removeprefix("dept-").removesuffix("-head").replace("-", "_")
    expect(page.locator(f"select[name=department] option[value={department}]")).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("username", [name for name in DISTRICT_STAFF if name.startswith("reviewer-")])
def test_reviewers_start_on_their_review_queue(page: Page, demo_district, username):
    login(page, username)

    expect(page).to_have_url(re.compile(r"/review/$"))
    assert_accessible(page)


def test_a_liaison_starts_on_the_caseload_with_its_flags_and_deadlines(page: Page, demo_district):
    school = School.objects.get(code="S0001")
    flag = open_flag(school, contract=PerformanceContract.objects.get(school=school, status="proposed"), days_left=12)
    login(page, "liaison-1")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(heading(page)).to_have_text("Your caseload")
    flags = page.get_by_role("region", name=re.compile("^Open flags"))
    expect(flags.get_by_role("listitem").first).to_contain_text(f"By {written(flag.deadline)} — 12 days left")
    expect(page.get_by_role("link", name="Addams Elementary School", exact=True)).to_be_visible()
    assert_accessible(page)
    review_screenshot(page, "liaison-home")


@pytest.mark.parametrize("username", SCHOOL_STAFF)
def test_school_staff_start_on_what_needs_them_then_their_schools_decision_rights(page: Page, demo_district, username):
    login(page, username)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(heading(page)).to_have_text("Addams Elementary School")
    expect(page.get_by_role("heading", level=2, name=re.compile("^Needs (you|your school)"))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=re.compile("^Decisions this school holds"))).to_be_visible()
    for domain in DOMAINS:
        section = page.get_by_role("region", name=re.compile(rf"^{domain}\b"))
        expect(section.get_by_role("heading", level=3)).to_contain_text(re.compile(r"\d+ of \d+ held"))
        expect(section.get_by_role("table").locator("tbody tr").first).to_be_visible()
    statuses = page.locator(".status").filter(has_text=re.compile(r"^(Held|Not held)$"))
    expect(statuses.first).to_be_visible()
    assert_accessible(page)
    if username == "principal-s0001":
        review_screenshot(page, "principal-home")


def test_the_principals_home_lists_the_contract_to_sign_and_a_flag_deadline_and_leads_to_them(
    page: Page, demo_district
):
    school = School.objects.get(code="S0001")
    contract = PerformanceContract.objects.get(school=school, status="proposed")
    flag = open_flag(school, contract=contract, days_left=12)
    login(page, "principal-s0001")

    needs = page.get_by_role("region", name=re.compile("^Needs you"))
    contract_item = needs.get_by_role("listitem").filter(has_text="waiting for your signature")
    expect(contract_item).to_contain_text(f"version {contract.version}")
    flag_item = needs.get_by_role("listitem").filter(has_text="Flag: notice of concern")
    expect(flag_item).to_contain_text(f"By {written(flag.deadline)} — 12 days left")
    assert_accessible(page)
    review_screenshot(page, "principal-home-needs")

    flag_item.get_by_role("link", name="Read the notice and answer with a plan").click()
    expect(page).to_have_url(re.compile(rf"/flags/{flag.pk}/$"))
    page.go_back()
    contract_item.get_by_role("link", name="Read and sign the contract").click()
    expect(page).to_have_url(re.compile(rf"/contracts/{contract.pk}/$"))
    expect(page.get_by_role("heading", name="Sign the contract")).to_be_visible()


def test_district_overview_search_updates_the_table_and_the_address(page: Page, demo_district):
    login(page, "admin")
    rows = page.locator("#school-table tbody tr")
    expect(rows).to_have_count(12)
    page.evaluate("window.sameDocument = true")

    def htmx_search(response):
        return "q=Carver" in response.url and response.request.headers.get("hx-request") == "true"

    with page.expect_response(htmx_search):
        page.get_by_label("Search by name or code").press_sequentially("Carver")

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Carver")
    expect(page).to_have_url(re.compile(r"/schools/\?q=Carver(&|$)"))
    assert page.evaluate("window.sameDocument") is True, "the search reloaded the page instead of swapping the table"
    assert_accessible(page)

    page.reload()  # the pushed address is a real page: bookmarks and the back button work
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Search by name or code")).to_have_value("Carver")


def test_logging_out_returns_to_the_login_page(page: Page, demo_district):
    login(page, "viewer")
    logout(page)

    expect(heading(page)).to_have_text("Log in")
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH) + r"\?next=/$"))
    assert_accessible(page)


def test_principal_gets_not_found_for_another_schools_page(page: Page, demo_district):
    login(page, "principal-s0001")

    response = page.goto("/schools/S0002/")

    assert response is not None and response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page, demo_district):
    login(page, "principal-s0001")
    skip_link = page.get_by_role("link", name="Skip to main content")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # hidden off-screen until focused, then shown
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("username", ["principal-s0001", "admin"])
def test_home_page_fits_a_phone_without_sideways_scrolling(page: Page, demo_district, username):
    login(page, username)
    expect(heading(page)).to_be_visible()

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width}px wide in a {inner_width}px window"
    assert_accessible(page)
