"""The navigation in Chromium, for every role: one row at 1280 px (the autonomy office's tools in a menu), a
compact menu on a phone that opens from the keyboard, and a contracts list whose last column header shows
whole."""

import re

import pytest
from playwright.sync_api import Page, expect

from .accessibility import assert_accessible
from .steps import login, review_screenshot

ROLES = [
    "admin",
    "reviewer-finance",
    "reviewer-academics",
    "viewer",
    "liaison-1",
    "principal-s0001",
    "team-s0001",
]
PHONE = {"width": 390, "height": 844}
# A closed menu on a phone: the brand and the "Menu" button, one line of the header.
PHONE_HEADER_MAX_PX = 60

ROW_TOPS = """() => {
  const header = document.querySelector('.site-header');
  const items = [...document.querySelectorAll('.brand, .nav-list > li, .account > *')]
    .filter(item => item.getClientRects().length);
  return {
    header: header.getBoundingClientRect().height,
    middles: items.map(item => { const r = item.getBoundingClientRect(); return r.top + r.height / 2; }),
    count: items.length,
  };
}"""


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


@pytest.mark.parametrize("username", ROLES)
def test_the_navigation_is_one_row_at_1280_px(page: Page, demo_district, username):
    login(page, username)
    row = page.evaluate(ROW_TOPS)

    assert row["count"] >= 8  # the brand, at least five links, the inbox, the account and "Log out"
    middles = row["middles"]
    assert max(middles) - min(middles) <= 4, f"{username}: the header's items sit on more than one row: {middles}"
    assert row["header"] <= PHONE_HEADER_MAX_PX, f"{username}: the header is {row['header']}px tall"
    expect(main_nav(page).get_by_role("link", name="Decision rights", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator(".site-menu-button")).to_be_hidden()  # no "Menu" button on a wide screen
    assert_accessible(page)
    review_screenshot(page, f"navigation-{username}")


def test_the_autonomy_offices_tools_are_a_menu_that_opens_from_the_keyboard(page: Page, demo_district):
    login(page, "admin")
    nav = main_nav(page)
    evaluation = nav.get_by_role("link", name="Evaluation", exact=True)
    expect(evaluation).to_be_hidden()

    tools = page.locator(".nav-menu > summary")
    expect(tools).to_have_text("Office Tools")  # "Office" is read out, not shown
    tools.focus()
    page.keyboard.press("Enter")
    expect(evaluation).to_be_visible()
    expect(nav.get_by_role("link", name="Import data", exact=True)).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Tab")
    expect(evaluation).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/evaluation/$"))


@pytest.mark.parametrize("username", ["viewer", "liaison-1", "principal-s0001"])
def test_only_the_autonomy_office_has_the_tools_menu(page: Page, demo_district, username):
    login(page, username)
    expect(page.locator(".nav-tools")).to_have_count(0)
    expect(main_nav(page).get_by_role("link", name="Evaluation", exact=True)).to_have_count(0)
    expect(main_nav(page).get_by_role("link", name="Calls", exact=True)).to_have_count(1)


def test_a_reviewer_finds_the_calls_among_the_tools_and_none_of_the_office_s(page: Page, demo_district):
    login(page, "reviewer-hr")
    expect(main_nav(page).get_by_role("link", name="Evaluation", exact=True)).to_have_count(0)
    expect(main_nav(page).get_by_role("link", name="Calls", exact=True)).to_have_count(0)
    page.locator(".nav-tools summary").click()
    main_nav(page).get_by_role("link", name="Calls for proposals", exact=True).click()
    expect(page).to_have_url(re.compile(r"/calls/$"))


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("username", ["admin", "reviewer-academics", "principal-s0001", "liaison-1"])
def test_on_a_phone_the_menu_is_one_button_that_opens_from_the_keyboard(page: Page, demo_district, username):
    login(page, username)
    header_height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert header_height <= PHONE_HEADER_MAX_PX, f"the closed menu is {header_height}px tall"
    home = main_nav(page).get_by_role("link", name="Home", exact=True)
    expect(home).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    assert_accessible(page)
    review_screenshot(page, f"navigation-phone-closed-{username}")

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    menu_button = page.locator(".site-menu-button")
    expect(menu_button).to_be_focused()
    page.keyboard.press("Enter")

    expect(home).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.keyboard.press("Tab")
    expect(home).to_be_focused()
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the open menu is {scroll_width}px wide in a {inner_width}px window"
    assert_accessible(page)
    review_screenshot(page, f"navigation-phone-open-{username}")

    menu_button.focus()
    page.keyboard.press("Enter")
    expect(home).to_be_hidden()


def test_the_contracts_lists_last_column_header_shows_whole_at_1280_px(page: Page, demo_district):
    login(page, "admin")
    main_nav(page).get_by_role("link", name="Contracts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance contracts")

    fit = page.evaluate(
        """() => {
          const box = document.querySelector('.contract-table').closest('.table-scroll');
          const headers = [...document.querySelectorAll('.contract-table thead th')];
          const last = headers[headers.length - 1];
          return {
            text: last.textContent.trim(),
            lastRight: last.getBoundingClientRect().right,
            boxRight: box.getBoundingClientRect().right,
            scrollWidth: box.scrollWidth,
            clientWidth: box.clientWidth,
          };
        }"""
    )
    assert fit["text"] == "Countersigned"
    assert fit["scrollWidth"] <= fit["clientWidth"], f"the table scrolls sideways: {fit}"
    assert fit["lastRight"] <= fit["boxRight"], f"the last column header is cut off: {fit}"
    assert_accessible(page)
    review_screenshot(page, "contracts-list")
