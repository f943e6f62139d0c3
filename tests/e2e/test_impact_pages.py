"""Is autonomy working? in Chromium, as the board's viewer reads it at a desktop's width and a phone's:
uptake, use, and the outcomes around a grant of a simulated district with a planted effect (the chart,
its caveats and the table behind it). Every page is checked with axe-core and must fit the window."""

import pytest
from playwright.sync_api import Page, expect

from schools.models import Role
from tests.impact.builders import simulated_district

from .accessibility import assert_accessible, sideways_overflow
from .conftest import DESKTOP
from .steps import login, review_screenshot

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def evaluated_district(live_server, django_db_serialized_rollback, make_member):
    simulated_district(5.0)
    return make_member(Role.VIEWER, username="board-viewer")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_board_reads_uptake_use_and_outcomes(page: Page, evaluated_district, viewport):
    login(page, "board-viewer", PASSWORD)
    width = viewport["width"]

    page.goto("/impact/")
    expect(page.get_by_role("heading", name="Is autonomy working?")).to_be_visible()
    expect(page.get_by_role("table", name="Schools by autonomy and school year")).to_be_visible()
    assert_accessible(page)
    assert not sideways_overflow(page)
    review_screenshot(page, f"impact-uptake-{width}")

    page.get_by_role("link", name="Use").click()
    expect(page.get_by_role("heading", name="How use is judged")).to_be_visible()
    assert_accessible(page)
    assert not sideways_overflow(page)

    page.get_by_role("link", name="Outcomes around the grant").click()
    page.get_by_label("Autonomy", exact=True).select_option("people.hiring")
    page.get_by_label("Metric", exact=True).select_option("ela_proficiency")
    # The first estimate in the server's process loads the estimation library (about 6 s, more on a busy
    # machine): the click waits for the page it sends as long as the chart is waited for.
    page.get_by_role("button", name="Show").click(timeout=30_000)
    chart = page.get_by_role("img", name="Difference in Proficiency in ELA by year since the grant")
    expect(chart).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Check of the trend before the grant: passed")).to_be_visible()
    table = page.get_by_role("table", name="Difference from the year before the grant, against schools not yet granted")
    expect(table.get_by_role("row", name="+1: 2nd year held")).to_contain_text("points")
    assert_accessible(page)
    assert not sideways_overflow(page)
    review_screenshot(page, f"impact-outcomes-{width}")
