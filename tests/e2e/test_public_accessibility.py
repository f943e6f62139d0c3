"""The public reports in Chromium, as an anonymous visitor, at a laptop's and a phone's width, in English
and in Spanish: axe-core finds no serious or critical violation on any public page, no page scrolls
sideways on a phone, and every aria reference names an id the page holds."""

import pytest
from playwright.sync_api import Page, expect

from .accessibility import blocking_violations, broken_id_references, sideways_overflow, violations_report
from .steps import review_screenshot

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PAGES = [
    ("register", "/reports/"),
    ("register-filtered", "/reports/?domain=people&model=full"),
    ("register-bad-filter", "/reports/?domain=weather"),
    ("school", "/reports/schools/S0001/"),
    ("school-2", "/reports/schools/S0002/"),
    ("autonomy", "/reports/autonomies/people.hiring/"),
    ("autonomy-2", "/reports/autonomies/money.budget/"),
    ("central-office", "/reports/central-office/"),
]
HEADINGS = {"en": "Autonomy Register", "es": "Registro de autonomías"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_public_page_is_accessible_to_an_anonymous_visitor(page: Page, demo_district, language):
    page.goto("/reports/")
    if language == "es":  # the visitor's choice, through the page's own switch
        page.get_by_label("Language").select_option("es")
        page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language])
    problems = []
    for width_name, size in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        for name, path in PAGES:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            blocking = blocking_violations(page)
            if blocking:
                problems.append(violations_report(f"{path} ({width_name}, {language})", blocking))
            if width_name == "phone" and (overflow := sideways_overflow(page)):
                problems.append(f"{path} ({language}) scrolls sideways on a phone: {overflow}")
            if broken := broken_id_references(page):
                problems.append(f"{path} ({width_name}, {language}) names missing ids: {broken}")
            review_screenshot(page, f"public-{name}-{width_name}-{language}")
    assert not problems, "\n".join(problems)
