"""A liaison logs a visit in Chromium and the principal sees it with its next steps: from the liaison's home
(last contact and next step per school, a link to log one) through the form, a refusal named next to its
field, to the log; the principal is told in the inbox and reads the entry. The caseload pages — the
liaison's own, the district's and the office's settings — at 1280 and 390 px. Every page checked with axe.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from support.models import PartnershipEntry
from tests.factories import SchoolFactory

from .accessibility import assert_accessible, sideways_overflow
from .conftest import DESKTOP
from .steps import login, logout, review_screenshot

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def caseload_district(live_server, django_db_serialized_rollback, make_member):
    """A liaison with two schools (one with a principal), a second liaison over a limit of 2, a school with no
    liaison, and the autonomy office."""
    from schools.models import Role

    liaison = make_member(Role.LIAISON, username="liaison-lena", first_name="Lena", last_name="Ortiz")
    school = SchoolFactory(name="Lincoln Elementary", code="S0101", liaison=liaison)
    SchoolFactory(name="Douglass Middle", code="S0102", liaison=liaison)
    principal = make_member(Role.PRINCIPAL, school=school, username="principal-lincoln")
    busy = make_member(Role.LIAISON, username="liaison-omar", first_name="Omar", last_name="Reyes")
    for n in range(3):
        SchoolFactory(name=f"Roosevelt K-8 No. {n + 1}", code=f"S02{n}", liaison=busy)
    SchoolFactory(name="Carver High", code="S0301", liaison=None)
    admin = make_member(Role.ADMIN, username="office", is_superuser=True, is_staff=True)
    from support.models import ServicePolicy

    ServicePolicy.objects.create(caseload_limit=2)
    return {"school": school, "liaison": liaison, "principal": principal, "admin": admin}


def test_a_liaison_logs_a_visit_and_the_principal_reads_its_next_steps(page: Page, caseload_district):
    school = caseload_district["school"]
    due = timezone.localdate() + datetime.timedelta(days=5)

    # 1. The liaison's home lists the school, with no contact yet, and a link to log one.
    login(page, "liaison-lena", PASSWORD)
    row = page.get_by_role("row").filter(has_text="Lincoln Elementary")
    expect(row).to_contain_text("No contact logged")
    assert_accessible(page)
    row.get_by_role("link", name=re.compile("^Log a contact")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a contact")

    # 2. A visit longer than a working day is refused next to its field; nothing is saved.
    page.get_by_label("Kind of contact").select_option(label="School visit")
    page.get_by_label("Minutes").fill("700")
    page.get_by_role("checkbox", name="1. Time for instructional leadership").check()
    page.get_by_label("Notes").fill("Walked grade 3 classrooms; looked at writing against the unit's rubric.")
    page.get_by_label("Next steps agreed").fill("Principal drafts the feedback cycle; liaison sends two model notes.")
    page.get_by_label("Next step due (optional)").fill(due.isoformat())
    page.get_by_role("button", name="Log the contact").click()
    expect(page.locator("#id_minutes_error")).to_have_text("Ensure this value is less than or equal to 600.")
    assert_accessible(page)
    assert not PartnershipEntry.objects.exists()

    # 3. Corrected, it is logged; the log shows it with its focus and next steps.
    page.get_by_label("Minutes").fill("90")
    page.get_by_role("button", name="Log the contact").click()
    expect(page.get_by_text("The school visit is logged. The principal is told of the next steps.")).to_be_visible()
    entry = page.get_by_role("article")
    expect(entry).to_contain_text("90 minutes with the principal · by Lena Ortiz")
    expect(entry).to_contain_text("1. Time for instructional leadership")
    assert_accessible(page)
    review_screenshot(page, "liaison-log-after-visit")

    # 4. The home now shows the last contact and the next step.
    page.goto("/")
    row = page.get_by_role("row").filter(has_text="Lincoln Elementary")
    expect(row).to_contain_text("Principal drafts the feedback cycle")
    expect(row).to_contain_text(f"Due {due:%b} {due.day}, {due.year}")
    review_screenshot(page, "liaison-home")
    logout(page)

    # 5. The principal is told, and reads the entry with its next steps; no form to write in it.
    login(page, "principal-lincoln", PASSWORD)
    page.goto("/inbox/")
    page.get_by_role("link", name=re.compile("Next steps from your liaison's school visit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership log")
    steps = page.get_by_role("article")
    expect(steps).to_contain_text(f"Next steps, due {due:%b} {due.day}, {due.year}")
    expect(steps).to_contain_text("Principal drafts the feedback cycle; liaison sends two model notes.")
    expect(page.get_by_role("link", name="Log a contact")).to_have_count(0)
    assert_accessible(page)
    review_screenshot(page, "principal-log")
    assert PartnershipEntry.objects.get().school == school


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_caseload_pages_read_well_at_each_width(page: Page, caseload_district, viewport):
    width = viewport["width"]
    login(page, "liaison-lena", PASSWORD)
    page.goto(f"/support/caseloads/{caseload_district['liaison'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    _check(page, f"liaison-caseload-{width}")
    page.goto(f"/support/schools/{caseload_district['school'].code}/log/new/")
    _check(page, f"liaison-log-form-{width}")

    _switch(page, "principal-lincoln")
    page.goto(f"/support/schools/{caseload_district['school'].code}/log/")
    _check(page, f"principal-log-empty-{width}")

    _switch(page, "office")
    page.goto("/support/caseloads/")
    expect(page.get_by_text("1 liaison is over the limit of 2 schools:")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Omar Reyes")).to_contain_text("Over the limit by 1")
    expect(page.get_by_role("region", name="Liaisons, the most schools first")).to_be_visible()
    _check(page, f"office-caseloads-{width}")
    page.get_by_role("link", name="Assign a liaison to Carver High").click()
    _check(page, f"office-assign-{width}")
    page.get_by_label("Liaison").select_option(label="Omar Reyes (3 schools — over the limit)")
    page.get_by_role("button", name="Save the liaison").click()
    expect(page.get_by_text("Omar Reyes now holds 4 schools, over the district's limit of 2")).to_be_visible()
    page.goto("/support/caseloads/settings/")
    _check(page, f"office-settings-{width}")


def _switch(page: Page, username: str) -> None:
    """Another person on the same window (the phone's header folds "Log out" into its menu)."""
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def _check(page: Page, name: str) -> None:
    assert_accessible(page)
    if page.viewport_size["width"] < 500:
        assert not sideways_overflow(page), sideways_overflow(page)
    review_screenshot(page, name)
