"""A school budget plan in Chromium: the principal starts the plan from the released allocation, adds a
position and a line, sees a locked category with its reason (and no controls to change it), and submits;
finance finds it in the review queue and returns it with a note; the principal sees the note on the plan.
The plan page and the queue are checked with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from budgeting.models import BudgetPlan, PlanStatus
from tests.budgeting.plan_builders import allocation_set, budget_reference, school_allocation
from tests.factories import SchoolFactory, grant

from .accessibility import assert_accessible
from .steps import login, logout, review_screenshot

PASSWORD = "correct-horse-battery"


@pytest.fixture
def budget_district(live_server, django_db_serialized_rollback, make_member):
    """One school holding `money.salary` and `money.operations` with a released allocation, its principal,
    and a finance reviewer; nothing started yet."""
    from schools.models import Role

    budget_reference()
    school = SchoolFactory(name="Lincoln Elementary")
    for code in ("money.salary", "money.operations"):
        grant(school, code)
    school_allocation(school, sets=allocation_set())
    principal = make_member(Role.PRINCIPAL, school=school, username="principal-lincoln")
    finance = make_member(Role.REVIEWER, function="finance", username="finance-reviewer")
    return {"school": school, "principal": principal, "finance": finance}


def test_principal_builds_and_submits_finance_returns_with_a_note(page: Page, budget_district):
    school = budget_district["school"]
    plan_url = f"/schools/{school.code}/budget-plan/"

    # 1. The principal starts the plan from the released allocation.
    login(page, "principal-lincoln", PASSWORD)
    page.goto(plan_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget plan")
    page.get_by_role("button", name="Start the budget plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Budget plan \d{4}-\d{2}$"))

    # 2. A locked category says why, in words, and offers no change.
    curriculum = page.get_by_role("region", name=re.compile(r"^Curriculum"))
    expect(curriculum).to_contain_text(
        "Locked: the school does not hold 'Control the curriculum and assessment budget'."
    )
    title_i = page.get_by_role("row").filter(has_text="Title I: supplemental instruction")
    expect(title_i).to_contain_text("Locked: Title I is restricted money the district sets.")
    expect(title_i.get_by_role("link", name=re.compile("Change"))).to_have_count(0)

    # 3. A position and a line.
    page.get_by_role("link", name="Add a position").click()
    page.get_by_label("Job type").select_option(label="Teacher")
    page.get_by_label("FTE").fill("0.5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name=re.compile(r"^Salary"))).to_contain_text("0.5 FTE")
    expect(page.get_by_role("region", name=re.compile(r"^Salary"))).to_contain_text("$36,250.00")

    page.get_by_role("link", name="Add a line").click()
    page.get_by_label("Category").select_option(label="Operations")
    page.get_by_label("Description").fill("Copier lease")
    page.get_by_label("Amount in dollars").fill("2400")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name=re.compile(r"^Operations"))).to_contain_text("Copier lease")
    expect(page.locator("#balance-line")).to_contain_text("Balanced:")
    # On a phone, the balance by funding source fits the screen: it does not scroll sideways.
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    sources = page.get_by_role("region", name="Allocation and plan by funding source")
    fit = sources.evaluate("box => ({scrollWidth: box.scrollWidth, clientWidth: box.clientWidth})")
    assert fit["scrollWidth"] <= fit["clientWidth"], f"the funding-source table scrolls sideways on a phone: {fit}"
    page.set_viewport_size(desktop)
    assert_accessible(page)
    review_screenshot(page, "budget-plan-principal")

    # 4. Submit.
    page.get_by_role("button", name="Submit the plan").click()
    expect(page.locator(".status")).to_have_text("Submitted")
    logout(page)

    # 5. Finance finds it in the queue and returns it with a note.
    login(page, "finance-reviewer", PASSWORD)
    page.goto("/budget-plans/review/")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text=school.name).get_by_role("link", name=re.compile("Review")).click()
    page.get_by_label("What the school should change").fill("Fund the copier lease from the local grant.")
    page.get_by_role("button", name="Return to the school").click()
    expect(page.get_by_text("No budget plan is waiting for review.")).to_be_visible()
    review_screenshot(page, "budget-plan-finance-queue")
    logout(page)
    assert BudgetPlan.objects.get(school=school).status == PlanStatus.RETURNED

    # 6. The principal sees the note.
    login(page, "principal-lincoln", PASSWORD)
    page.goto(plan_url)
    note = page.get_by_role("region", name="Returned for changes by the finance office")
    expect(note).to_contain_text("Fund the copier lease from the local grant.")
    expect(page.locator(".status")).to_have_text("Returned for changes")
