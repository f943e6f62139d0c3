"""The autonomy catalog in Chromium: a principal reads an entry's boundaries from the navigation, on a wide
screen and on a phone; the autonomy office edits an entry and finds the change in its history. Every page
is checked with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from .accessibility import assert_accessible
from .steps import login, review_screenshot

PHONE = {"width": 390, "height": 844}


def _open_catalog(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalog", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autonomy catalog")


def test_a_principal_reads_an_entrys_boundaries_from_the_navigation(page: Page, demo_district):
    login(page, "principal-s0001")
    _open_catalog(page)
    for domain in ("People", "Time", "Money", "Program"):
        expect(page.get_by_role("heading", level=2, name=re.compile(rf"^{domain}"))).to_be_visible()
    assert_accessible(page)
    review_screenshot(page, "catalog-principal")

    page.get_by_role("link", name="Hire and dismiss staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hire and dismiss staff")
    expect(page.get_by_role("heading", name="What the school decides")).to_be_visible()
    expect(page.get_by_role("heading", name="What stays with the district")).to_be_visible()
    expect(page.get_by_text("The collective-bargaining agreement", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Edit this entry")).to_have_count(0)
    assert_accessible(page)
    review_screenshot(page, "catalog-entry-principal")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_catalog_fits_a_phone(page: Page, demo_district):
    login(page, "principal-s0001")
    page.goto("/catalog/people.hiring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hire and dismiss staff")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width}px wide in a {inner_width}px window"
    assert_accessible(page)


def test_the_autonomy_office_edits_an_entry_and_finds_the_change_in_its_history(page: Page, demo_district):
    login(page, "admin")
    page.goto("/catalog/time.schedule/")
    page.get_by_role("link", name="Edit this entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “Redesign the school schedule”")
    assert_accessible(page)

    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Save the entry").click()
    expect(page.get_by_text("Give the autonomy a name.").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name", exact=True).fill("Redesign the school schedule")
    page.get_by_label("What stays with the district", exact=True).fill(
        "State minimum instructional minutes.\nBus times."
    )
    page.get_by_label("Why you are changing it (optional)").fill("Agreed with transportation.")
    page.get_by_role("button", name="Save the entry").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Redesign the school schedule")
    history = page.locator(".revision-list")
    expect(history).to_contain_text("changed what stays with the district.")
    expect(history).not_to_contain_text("what the school decides")  # untouched boxes are no change
    expect(history).to_contain_text("Agreed with transportation.")
    history.get_by_text("What changed").click()
    expect(history.locator(".revision-after")).to_contain_text("Bus times.")
    assert_accessible(page)
    review_screenshot(page, "catalog-entry-history")
