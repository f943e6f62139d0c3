"""A request's whole life in Chromium, as the issue asks: a principal from seed_demo drafts and submits a
request in the open call; a reviewer finds it in their queue and recommends; the admin decides item by
item; the grant shows in the decision-rights matrix, and the principal has the notifications and holds
the decision. Then: the decision form works from the keyboard alone.
Every page a journey reaches is checked with axe-core (WCAG 2.1 A and AA)."""

import re

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from autonomy.models import AutonomyGrant, AutonomyRequest, RequestStatus
from demo.services import current_school_year_start, school_year_label

from .accessibility import assert_accessible
from .steps import login, logout, review_screenshot

CURRICULUM = "Choose curriculum"  # program.curriculum
LEARNING_TIME = "Add learning time"  # time.learning_time
COMMENT = "Strong plan. Name the supplemental curriculum in the site plan."
DECLINE_NOTE = "Transport contracts are fixed this year."


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def nav_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def unread_count(page: Page) -> int:
    """The number on the Inbox badge (no badge: nothing unread)."""
    inbox = page.get_by_role("link", name=re.compile(r"^Inbox\b"))
    found = re.search(r"\d+", inbox.text_content() or "")
    return int(found.group()) if found else 0


def group(page: Page, name_starts: str) -> Locator:
    """A fieldset by the start of its legend."""
    return page.get_by_role("group", name=re.compile("^" + re.escape(name_starts)))


def expect_step(page: Page, number: int, title: str) -> None:
    expect(heading(page)).to_have_text(f"Step {number} of 5: {title}")
    expect(page.get_by_role("navigation", name="Steps of your request").locator("[aria-current=step]")).to_contain_text(
        title
    )
    assert_accessible(page)


def test_principal_drafts_and_submits_reviewer_recommends_admin_decides_and_the_school_holds_it(
    page: Page, demo_district
):
    assert not AutonomyGrant.objects.filter(school__code="S0001", autonomy__code="program.curriculum").exists()
    by_period = school_year_label(current_school_year_start(timezone.localdate()) + 2)

    # 1. The principal drafts a request in the open call and submits it.
    login(page, "principal-s0001")
    expect(page).to_have_url(re.compile(r"/$"))  # the principal's home: what needs them, then the grid
    assert_accessible(page)
    unread_before = unread_count(page)

    nav_link(page, "Calls").click()
    expect(heading(page)).to_have_text("Calls for proposals")
    assert_accessible(page)
    open_now = page.get_by_role("region", name="Open now")
    call_title = open_now.get_by_role("heading", level=3, name=re.compile(r"call for proposals$")).text_content()
    open_now.get_by_role("button", name="Start a request").click()

    expect_step(page, 1, "Choose autonomies")
    expect(page.get_by_role("status")).to_contain_text("Your draft for")
    expect(page.locator(".request-status")).to_have_text("Draft")
    page.get_by_label(CURRICULUM, exact=True).check()
    page.get_by_label(LEARNING_TIME, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    expect_step(page, 2, "Reasons and barriers")
    curriculum = group(page, CURRICULUM)
    curriculum.get_by_label("Why does your school need this?").fill(
        "Our grade 3-5 readers need a phonics-based curriculum the district list does not include."
    )
    curriculum.get_by_label("What stands in the way today? (optional)").fill(
        "Curriculum adoption procedure AP-6161 requires the district-wide list."
    )
    group(page, LEARNING_TIME).get_by_label("Why does your school need this?").fill(
        "Thirty more minutes of reading a day for students below grade level."
    )
    page.get_by_role("button", name="Save as draft").click()
    # The draft is kept: the same step comes back, saved, with what was written.
    expect(page.get_by_role("status")).to_have_text("Draft saved.")
    expect_step(page, 2, "Reasons and barriers")
    expect(group(page, CURRICULUM).get_by_label("What stands in the way today? (optional)")).to_have_value(
        "Curriculum adoption procedure AP-6161 requires the district-wide list."
    )
    page.get_by_role("button", name="Save and continue").click()

    expect_step(page, 3, "Plan and questions")
    page.get_by_label("Your school's plan").fill(
        "Pilot in grades 3-5 this year, school-wide next year; monthly data reviews."
    )
    questions = group(page, "The call's questions").get_by_role("textbox")
    expect(questions).to_have_count(2)
    questions.nth(0).fill("Students reading below grade level; we will track ELA proficiency.")
    questions.nth(1).fill("The site council and a family night shaped the proposal.")
    page.get_by_role("button", name="Save and continue").click()

    expect_step(page, 4, "Target outcomes")
    outcome = group(page, "Outcome 1")
    outcome.get_by_label("Measure").select_option(label="Proficiency in ELA")
    outcome.get_by_label("Where you are now (optional)").fill("41")
    outcome.get_by_label("Target", exact=True).fill("50")
    expect(outcome.get_by_text(re.compile(r"^As \d{4}-\d{2}\.$"))).to_be_visible()  # the hint: a school year
    outcome.get_by_label("By school year").fill(by_period)
    page.get_by_role("button", name="Save and continue").click()

    expect_step(page, 5, "Review and submit")
    expect(page.get_by_role("heading", level=2, name="Ready to submit")).to_be_visible()
    outcomes = page.get_by_role("region", name="Target outcomes").get_by_role(
        "row", name=re.compile("Proficiency in ELA")
    )
    expect(outcomes).to_contain_text(by_period)
    review_screenshot(page, "request-review-step")
    page.get_by_role("button", name="Submit the request").click()

    expect(heading(page)).to_have_text(call_title)
    expect(page.get_by_role("status")).to_contain_text("Your request is submitted.")
    expect(page.locator(".request-status")).to_have_text("Submitted")
    history = page.get_by_role("region", name="History")
    expect(history.get_by_role("listitem")).to_have_count(2)
    expect(history).to_contain_text("started the draft")
    expect(history).to_contain_text("submitted the request")
    assert_accessible(page)
    logout(page)

    # 2. A reviewer finds it in their queue and recommends approval, visibly to the school.
    login(page, "reviewer-academics")
    assert_accessible(page)
    nav_link(page, "Review queue").click()
    expect(heading(page)).to_have_text("Review queue")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="S0001")
    expect(row).to_contain_text(f"Program: {CURRICULUM}")
    expect(row).to_contain_text(f"Time: {LEARNING_TIME}")
    row.get_by_role("link", name=re.compile(r"^Addams")).click()

    expect(heading(page)).to_have_text(call_title)
    assert_accessible(page)
    comment = page.get_by_role("group", name="Add a comment")
    comment.get_by_label("Comment", exact=True).fill(COMMENT)
    comment.get_by_label("Visible to the school").check()
    comment.get_by_label("Your recommendation").select_option(label="Recommend approval")
    comment.get_by_role("button", name="Save the comment").click()

    expect(page.get_by_role("status")).to_have_text("Comment sent to the school.")
    expect(page.locator(".request-status")).to_have_text("Under review")
    sent = page.get_by_role("region", name="Comments").get_by_role("listitem").filter(has_text=COMMENT)
    expect(sent).to_contain_text("To the school")
    expect(sent).to_contain_text("Recommend approval")
    assert_accessible(page)
    logout(page)

    # 3. The admin decides item by item: approves the curriculum, declines the learning time.
    login(page, "admin")
    assert_accessible(page)
    nav_link(page, "Review queue").click()
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="S0001").get_by_role("link", name=re.compile(r"^Addams")).click()
    expect(heading(page)).to_have_text(call_title)
    assert_accessible(page)
    page.get_by_role("link", name="Decide item by item").click()

    expect(page.locator(".eyebrow")).to_have_text(re.compile(r"Decide · Addams .*\(S0001\)"))
    expect(page.get_by_role("region", name="Reviewers' recommendations")).to_contain_text("Recommend approval")
    assert_accessible(page)
    group(page, f"Your decision on “{CURRICULUM}”").get_by_label("Approve").check()
    group(page, f"Your decision on “{LEARNING_TIME}”").get_by_label("Decline").check()
    group(page, LEARNING_TIME).get_by_label("Note on this item").fill(DECLINE_NOTE)
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("status")).to_have_text("The decision is recorded and the school has been told.")
    expect(page.locator(".request-status")).to_have_text("Approved")
    decided = page.get_by_role("region", name="Decisions requested")
    expect(decided.get_by_role("listitem").filter(has_text=CURRICULUM)).to_contain_text("Approved")
    learning_time = decided.get_by_role("listitem").filter(has_text=LEARNING_TIME)
    expect(learning_time).to_contain_text("Declined")
    expect(learning_time).to_contain_text(DECLINE_NOTE)
    expect(page.get_by_role("region", name="History")).to_contain_text("recorded the decision")
    assert_accessible(page)

    # 4. The grant shows in the decision-rights matrix.
    nav_link(page, "Decision rights").click()
    expect(heading(page)).to_have_text("Decision rights")
    assert_accessible(page)
    columns = [
        name.strip()
        for name in page.locator("th.autonomy-head").evaluate_all("ths => ths.map(th => th.firstChild.textContent)")
    ]
    addams = page.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile(r"^Addams")))
    cell_words = addams.locator("td .visually-hidden")
    expect(cell_words.nth(columns.index(CURRICULUM))).to_have_text("Held")
    expect(cell_words.nth(columns.index(LEARNING_TIME))).to_have_text("Not held")
    review_screenshot(page, "grants-matrix-after-decision")
    logout(page)

    # ... and the principal was told, and now holds the decision.
    login(page, "principal-s0001")
    expect(page).to_have_url(re.compile(r"/$"))
    assert unread_count(page) == unread_before + 2, "expected the reviewer's comment and the decision as unread"
    program = page.get_by_role("region", name=re.compile(r"^Program\b"))
    expect(program.get_by_role("row", name=re.compile("^" + CURRICULUM)).locator(".status")).to_have_text("Held")
    time_domain = page.get_by_role("region", name=re.compile(r"^Time\b"))
    expect(time_domain.get_by_role("row", name=re.compile("^" + LEARNING_TIME)).locator(".status")).to_have_text(
        "Not held"
    )
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Inbox\b")).click()
    expect(heading(page)).to_have_text("Inbox")
    decision_note = page.locator(".inbox-item.unread").filter(has_text=f"Decision on your request in “{call_title}”")
    expect(decision_note).to_contain_text(f"{CURRICULUM}: approved, {LEARNING_TIME}: declined")
    comment_note = page.locator(".inbox-item.unread").filter(
        has_text=f"A reviewer commented on your request in “{call_title}”"
    )
    expect(comment_note).to_contain_text(COMMENT)
    assert_accessible(page)
    review_screenshot(page, "principal-inbox-after-decision")
    decision_note.get_by_role("link").click()
    expect(heading(page)).to_have_text(call_title)
    expect(page.locator(".request-status")).to_have_text("Approved")
    assert_accessible(page)


def tab_to(page: Page, target: Locator, *, limit: int = 60) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached in {limit} presses of Tab")


def test_admin_decides_from_the_keyboard_alone(page: Page, demo_district):
    """The seeded submitted request: open it from the queue and decide it without a mouse."""
    code = AutonomyRequest.objects.get(status=RequestStatus.SUBMITTED).school.code
    login(page, "admin")
    nav_link(page, "Review queue").click()
    opening = page.get_by_role("row").filter(has_text=code).get_by_role("link")
    tab_to(page, opening)
    page.keyboard.press("Enter")
    decide = page.get_by_role("link", name="Decide item by item")
    expect(decide).to_be_visible()
    tab_to(page, decide)
    page.keyboard.press("Enter")

    expect(page.locator(".eyebrow")).to_contain_text(f"({code})")
    curriculum = group(page, f"Your decision on “{CURRICULUM}”")
    learning_time = group(page, f"Your decision on “{LEARNING_TIME}”")
    tab_to(page, curriculum.get_by_label("Approve"))
    page.keyboard.press("Space")
    expect(curriculum.get_by_label("Approve")).to_be_checked()
    page.keyboard.press("ArrowDown")  # the arrows move within one radio group
    expect(curriculum.get_by_label("Decline")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(curriculum.get_by_label("Approve")).to_be_checked()

    tab_to(page, learning_time.get_by_label("Approve"))
    page.keyboard.press("ArrowDown")
    expect(learning_time.get_by_label("Decline")).to_be_checked()
    page.keyboard.press("Tab")
    expect(group(page, LEARNING_TIME).get_by_label("Note on this item")).to_be_focused()
    page.keyboard.type(DECLINE_NOTE)
    assert_accessible(page)

    record = page.get_by_role("button", name="Record the decision")
    tab_to(page, record)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("The decision is recorded and the school has been told.")
    expect(page.locator(".request-status")).to_have_text("Approved")
    assert_accessible(page)
