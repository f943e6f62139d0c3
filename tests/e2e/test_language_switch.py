"""The signed-in pages' language switch in Chromium: reached and used from the keyboard, named for a screen
reader, and remembered: Spanish on the next page and after signing in again; English brings English back."""

from playwright.sync_api import Page, expect

from .accessibility import assert_accessible
from .steps import login, logout


def test_a_principal_switches_to_spanish_from_the_keyboard_and_back(page: Page, demo_district):
    login(page, "principal-s0001")
    switch = page.get_by_role("form", name="Language").get_by_role("button", name="Español")
    switch.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("navigation", name="Principal").get_by_role("link", name="Solicitudes")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Solicitudes").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")  # the next page too

    page.get_by_role("button", name="Salir").click()
    page.context.clear_cookies()  # another computer: no language cookie, no session
    login(page, "principal-s0001")
    expect(page.locator("html")).to_have_attribute("lang", "es")  # kept with the account

    page.get_by_role("form", name="Idioma").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    logout(page)
