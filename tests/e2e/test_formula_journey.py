"""The funding formula in Chromium: finance opens a draft, sees every parameter in plain words, changes a
weight (a negative one refused by name first), publishes it after the page says what it supersedes. The
version page and a part's page are checked with axe-core."""

import pytest
from playwright.sync_api import Page, expect

from schools.models import ReviewFunction, Role
from tests.budgeting.formula_world import nyc_draft

from .accessibility import assert_accessible
from .steps import login, review_screenshot

PASSWORD = "correct-horse-battery"


@pytest.fixture
def formula_draft(live_server, django_db_serialized_rollback, make_member):
    finance = make_member(Role.REVIEWER, function=ReviewFunction.FINANCE, username="finance-formula")
    return {"finance": finance, "draft": nyc_draft(finance)}


def test_finance_changes_a_weight_and_publishes(page: Page, formula_draft):
    draft = formula_draft["draft"]
    login(page, "finance-formula", PASSWORD)
    page.goto(f"/formulas/{draft.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026-27 formula, version 1")
    expect(page.get_by_role("definition").filter(has_text="1.08 × the base")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="+12% of the base")).to_be_visible()
    assert_accessible(page)
    review_screenshot(page, "formula-version-draft")

    page.get_by_role("link", name="Change the weights").click()
    page.get_by_label("Students in poverty: weight").fill("-0.12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Ensure this value is greater than or equal to 0")
    assert_accessible(page)
    review_screenshot(page, "formula-weights-refused")
    page.get_by_label("Students in poverty: weight").fill("0.15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Weights saved.")).to_be_visible()
    expect(page.get_by_text("Weight, Students in poverty: +12% of the base → +15% of the base")).to_be_visible()

    page.get_by_role("link", name="Publish this version").click()
    expect(page.get_by_text("nothing will be superseded")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is published")).to_be_visible()
    expect(page.get_by_role("link", name="Change the weights")).to_have_count(0)
    review_screenshot(page, "formula-version-published")
