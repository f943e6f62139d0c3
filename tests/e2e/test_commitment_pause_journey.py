"""The two-way contract in the browser: the contract page lists central office's commitments with their
status and evidence, the flag page says its clock is paused and why, and the department's list offers the
delivery step; each page accessible at the desktop and the phone's width."""

import pytest
from playwright.sync_api import Page, expect

from accountability.models import InterventionFlag
from accountability.services import evaluation_run
from support.models import Department, DepartmentStaff
from tests.accountability.test_commitment_pause import OPENED, _school, _template
from tests.factories import UserFactory

from .accessibility import assert_accessible
from .steps import login, review_screenshot

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["1280", "390"]
)
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
