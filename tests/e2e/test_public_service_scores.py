"""Central office's service scores on the public pages, in Chromium as an anonymous visitor, on a laptop
and a phone, in English and in Spanish: axe finds no serious or critical violation, the page does not
scroll sideways on a phone, and the note says what the figures are."""

import pytest
from playwright.sync_api import Page, expect

from .accessibility import assert_accessible, sideways_overflow
from .steps import review_screenshot

pytestmark = pytest.mark.e2e

SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
HEADINGS = {"en": "Central office's service", "es": "Servicio de la oficina central"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_service_scores_page_is_accessible(page: Page, demo_district, language):
    page.goto("/reports/")
    if language == "es":
        page.get_by_label("Language").select_option("es")
        page.get_by_role("button", name="Change language").click()
    page.get_by_role("link", name="rate central office" if language == "en" else "Cómo valoran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language])
    for width_name, size in SIZES.items():
        page.set_viewport_size(size)
        page.reload()
        assert_accessible(page)
        if width_name == "phone":
            assert not sideways_overflow(page)
        review_screenshot(page, f"public-central-office-{width_name}-{language}")
