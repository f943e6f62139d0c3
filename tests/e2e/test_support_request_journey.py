"""A support request in Chromium: the principal asks finance for help; finance's head finds it in the
department queue, replies and resolves it; the principal closes it with a rating. Every page on the way is
checked with axe-core, at 1280 px and on a 390 px phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from support.models import DepartmentStaff, SupportCategory, SupportRequest
from support.services.support_requests import support_request_create
from tests.factories import NetworkFactory, SchoolFactory, UserFactory

from .accessibility import assert_accessible
from .steps import login, logout, review_screenshot

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def support_district(live_server, django_db_serialized_rollback, make_member):
    """One school in a network without a finance seat (its requests go to finance's queue), its principal,
    finance's head, and the district's categories."""
    from schools.models import Role

    school = SchoolFactory(name="Lincoln Elementary", network=NetworkFactory(name="North Network"))
    principal = make_member(
        Role.PRINCIPAL, school=school, username="principal-lincoln", first_name="Ana", last_name="Ruiz"
    )
    head = UserFactory(username="finance-head", first_name="Priya", last_name="Okafor")
    DepartmentStaff.objects.create(user=head, department="finance", is_head=True)
    budget = SupportCategory.objects.create(code="budget-question", name="Budget question", department="finance")
    SupportCategory.objects.create(
        code="facilities-repair", name="Facilities repair", department="operations", deadline_business_days=3
    )
    other = SchoolFactory(name="Adams Middle")
    other_principal = make_member(Role.PRINCIPAL, school=other, username="principal-adams")
    late = support_request_create(
        actor=other_principal, school=other, category=budget, subject="Grant reporting", body="When is it due?"
    )
    SupportRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=4))
    return {"school": school, "principal": principal, "head": head}


def both_sizes(page: Page, name: str) -> None:
    """Check the page with axe and keep a screenshot, at 1280 px and on a phone, then back to 1280."""
    assert_accessible(page)
    review_screenshot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    review_screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_principal_asks_finance_resolves_principal_rates(page: Page, support_district):
    school = support_district["school"]

    # 1. The principal asks for help, choosing a category with its deadline stated.
    login(page, "principal-lincoln", PASSWORD)
    page.goto(f"/support/schools/{school.code}/requests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support requests")
    expect(page.get_by_text("No support request yet.")).to_be_visible()
    page.get_by_role("link", name="Ask for help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask central office for help")
    page.get_by_role("button", name="Send the request").click()  # nothing filled: refused, naming the fields
    expect(page.get_by_role("alert")).to_contain_text("Choose what you need help with.")
    both_sizes(page, "support-request-new-principal")
    page.get_by_label("What do you need help with?").select_option(
        label="Budget question (answered within 5 business days)"
    )
    page.get_by_label("Subject").fill("Title I carryover")
    page.get_by_label("Details").fill("How much of last year's Title I may we carry over?")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Title I carryover")
    expect(page.get_by_text("Your request is sent to Finance.")).to_be_visible()
    expect(page.locator("#deadline")).to_contain_text("days left")
    both_sizes(page, "support-request-principal-open")
    logout(page)

    # 2. Finance's head finds it in the queue, replies, then resolves it.
    login(page, "finance-head", PASSWORD)
    page.goto("/support/queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support queue")
    row = page.get_by_role("row").filter(has_text="Lincoln Elementary")
    expect(row).to_contain_text("Nobody yet")
    both_sizes(page, "support-queue-head")
    row.get_by_role("link", name="Title I carryover").click()
    page.get_by_label("Message").fill("Looking at last year's ledger now.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Your message is sent.")).to_be_visible()
    page.get_by_label("What was done").fill("You may carry over 5%: the ledger shows $12,400 unspent.")
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.get_by_text("The request is resolved; the school has been told.")).to_be_visible()
    expect(page.locator(".facts .status").first).to_have_text("Resolved")
    expect(page.locator(".facts")).to_contain_text("Priya Okafor")  # she took it up from the queue
    both_sizes(page, "support-request-head-resolved")
    page.get_by_role("link", name="Finance support queue").click()
    page.get_by_role("link", name="Overdue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue support requests")
    overdue = page.get_by_role("row").filter(has_text="Grant reporting")
    expect(overdue).to_contain_text("Adams Middle")
    expect(overdue.get_by_role("cell").nth(2)).to_have_text("4")  # days overdue
    both_sizes(page, "support-overdue-head")
    logout(page)

    # 3. The principal reads the answer and closes it with a rating.
    login(page, "principal-lincoln", PASSWORD)
    page.goto(f"/support/schools/{school.code}/requests/")
    expect(page.get_by_role("row").filter(has_text="Title I carryover")).to_contain_text("Resolved")
    both_sizes(page, "support-requests-principal-list")
    page.get_by_role("link", name="Title I carryover").click()
    expect(page.get_by_text("Looking at last year's ledger now.")).to_be_visible()
    expect(page.get_by_text("You may carry over 5%")).to_be_visible()
    expect(page.locator("#deadline")).to_contain_text("Resolved on time")
    both_sizes(page, "support-request-principal-resolved")
    page.get_by_role("button", name="Close and rate").click()  # no rating chosen: refused, naming it
    expect(page.get_by_role("alert")).to_contain_text("Choose a rating from 1 to 5.")
    page.get_by_label("4: good").check()
    page.get_by_label("Comment (optional)").fill("Quick and clear.")
    page.get_by_role("button", name="Close and rate").click()
    expect(page.get_by_text("Thank you: the request is closed with your rating.")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text(re.compile(r"Rating\s*4 of 5"))
    assert_accessible(page)

    request = SupportRequest.objects.get(school=school)
    assert (request.status, request.rating, request.rating_comment) == ("closed", 4, "Quick and clear.")
