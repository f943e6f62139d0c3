"""The two-way contract in the browser: the contract page lists central office's commitments with their
status and evidence, the flag page says its clock is paused and why, and the department's list offers the
delivery step; each page accessible at the desktop and the phone's width."""

import pytest
from playwright.sync_api import Page, expect

from accountability.models import InterventionFlag
from accountability.services import evaluation_run
from contracts.services import contract_create_from_template
from support.models import Department, DepartmentStaff
from tests.accountability.builders import school_years
from tests.accountability.test_commitment_pause import OPENED, _school, _template
from tests.factories import SchoolFactory, UserFactory, grant

from .accessibility import assert_accessible, broken_id_references, sideways_overflow
from .steps import login, review_screenshot

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
WIDTHS = pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["1280", "390"]
)


@WIDTHS
def test_the_contract_and_the_flag_say_the_clock_is_paused(page: Page, demo_district, make_member, viewport):
    admin = make_member("admin")
    school, hiring, principal, contract = _school(admin, _template())
    evaluation_run(as_of=OPENED, confirm=True)
    flag = InterventionFlag.objects.get(school=school)
    staff = UserFactory()
    DepartmentStaff.objects.create(user=staff, department=Department.HR)
    width = viewport["width"]

    login(page, principal.username, PASSWORD)
    page.goto(f"/contracts/{contract.pk}/")
    section = page.locator("section[aria-labelledby='central-office']")
    expect(section.get_by_role("heading", name="What central office commits to")).to_be_visible()
    expect(section.get_by_text("Missed: not delivered by October 1, 2026.")).to_be_visible()
    assert_accessible(page)
    review_screenshot(page, f"contract-commitments-{width}")

    page.goto(f"/flags/{flag.pk}/")
    expect(page.get_by_role("status")).to_contain_text("The intervention clock is paused")
    expect(page.get_by_text("Paused, 10 days left")).to_be_visible()
    assert_accessible(page)
    review_screenshot(page, f"flag-clock-paused-{width}")

    page.context.clear_cookies()
    login(page, staff.username, PASSWORD)
    page.goto("/contracts/commitments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Commitments of my department")
    assert_accessible(page)
    page.get_by_role("link", name="Record the delivery").click()
    page.get_by_label("Delivered on").fill("2026-11-24")
    page.get_by_label("The evidence").fill("All four posts filled.")
    assert_accessible(page)
    page.get_by_role("button", name="Record the delivery").click()
    expect(page.get_by_text("Met late: delivered November 24, 2026, 54 days after it was due")).to_be_visible()
    review_screenshot(page, f"department-commitments-{width}")


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert not sideways_overflow(page), sideways_overflow(page)
    assert not broken_id_references(page), broken_id_references(page)


@WIDTHS
def test_the_autonomy_office_writes_commitments_into_a_draft(page: Page, demo_district, make_member, viewport):
    admin = make_member("admin")
    template = _template()
    years = school_years()
    school = SchoolFactory()
    grant(school, "people.hiring")
    draft = contract_create_from_template(
        actor=admin, school=school, template=template, term_start=years[1], term_end=years[2]
    )
    width = viewport["width"]

    login(page, admin.username, PASSWORD)
    page.goto(f"/contracts/{draft.pk}/")
    page.get_by_role("link", name="Edit central office's commitments").click()
    page.get_by_role("button", name="Add the commitment").click()  # empty: refused, naming each field
    expect(page.get_by_role("alert")).to_contain_text("What central office commits to")
    _checked(page)
    page.get_by_label("Department").select_option("finance")
    page.get_by_label("What central office commits to").fill("Budget and enrollment projections released")
    page.get_by_label("Delivered by a date").check()
    page.get_by_label("Due").fill("2027-03-01")
    page.get_by_label("The autonomy it bears on (optional)").select_option(label="Hire and dismiss staff")
    page.get_by_role("button", name="Add the commitment").click()
    expect(page.get_by_text("Commitment “Budget and enrollment projections released” added.")).to_be_visible()
    _checked(page)
    review_screenshot(page, f"commitments-editor-{width}")
    page.get_by_role("link", name="Change “Budget and enrollment projections released”").click()
    page.get_by_label("Due").fill("2031-01-01")
    page.get_by_role("button", name="Save the commitment").click()
    expect(page.get_by_role("alert")).to_contain_text("within the contract's term")
    _checked(page)
