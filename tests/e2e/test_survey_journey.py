"""A principal rates central office in Chromium: the answer form is one fieldset per department with a
legend, each statement a radio group from "Strongly disagree" to "Strongly agree" plus "No experience";
the first department is answered with the keyboard alone. The autonomy office closes the cycle and reads
the results (checked with axe-core); finance's head reads the department's scorecard with its trend."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from support.models import Department, DepartmentStaff, SurveyResponse
from support.services.survey_answers import survey_answer_submit
from support.services.surveys import DEFAULT_ITEMS, survey_cycle_close, survey_cycle_create, survey_cycle_open
from tests.factories import NetworkFactory, SchoolFactory, SchoolYearFactory

from .accessibility import assert_accessible
from .steps import login, logout, review_screenshot

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _answers(cycle, value):
    positions = list(cycle.items.values_list("position", flat=True))
    return {d: dict.fromkeys(positions, value) for d in Department.values}


@pytest.fixture
def survey_district(live_server, django_db_serialized_rollback, make_member):
    """Six schools in two networks with their principals; last Spring's survey closed (so the scorecard has
    a trend), this Fall's open and answered by five of them; the office; finance's head."""
    from schools.models import Role

    admin = make_member(Role.ADMIN, username="autonomy-office", is_staff=True, is_superuser=True)
    head = make_member(Role.REVIEWER, function="finance", username="finance-head")
    DepartmentStaff.objects.create(user=head, department=Department.FINANCE, is_head=True)
    north, south = NetworkFactory(name="North Network"), NetworkFactory(name="South Network")
    pairs = []
    for n in range(6):
        school = SchoolFactory(name=f"School {n + 1}", network=north if n < 4 else south)
        pairs.append((school, make_member(Role.PRINCIPAL, school=school, username=f"principal-{n + 1}")))
    today = timezone.localdate()
    last = SchoolYearFactory(
        label="2025-26",
        start_date=datetime.date(2025, 7, 1),
        end_date=datetime.date(2026, 6, 30),
        first_day=datetime.date(2025, 8, 18),
    )
    spring = survey_cycle_create(
        actor=admin, school_year=last, term="Spring", opens_on=today - datetime.timedelta(days=200), closes_on=today
    )
    survey_cycle_open(actor=admin, cycle_id=spring.pk)
    for index, (school, principal) in enumerate(pairs):
        survey_answer_submit(actor=principal, cycle=spring, school=school, answers=_answers(spring, 4 if index else 2))
    survey_cycle_close(actor=admin, cycle_id=spring.pk)
    fall = survey_cycle_create(
        actor=admin,
        school_year=SchoolYearFactory(),
        term="Fall",
        opens_on=today - datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=12),
    )
    survey_cycle_open(actor=admin, cycle_id=fall.pk)
    for index, (school, principal) in enumerate(pairs[1:]):
        survey_answer_submit(actor=principal, cycle=fall, school=school, answers=_answers(fall, 5 if index % 2 else 3))
    return {"fall": fall, "school": pairs[0][0]}


def test_a_principal_answers_and_the_office_reads_the_results(page: Page, survey_district):
    fall, school = survey_district["fall"], survey_district["school"]

    # 1. The principal finds the survey on the surveys page and opens the form.
    login(page, "principal-1", PASSWORD)
    page.goto("/support/surveys/")
    page.get_by_role("link", name=f"Answer the {fall} survey for {school.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rate central office: the {fall} survey")

    # 2. Academics with the keyboard alone: into the first radio group, pick, then Tab to the next statement.
    academics = page.get_by_role("group", name="Academics", exact=True)
    academics.get_by_role("radio").first.focus()
    for _ in DEFAULT_ITEMS:
        page.keyboard.press("Space")  # 1 Strongly disagree
        for _ in range(3):
            page.keyboard.press("ArrowRight")  # … to 4 Agree
        page.keyboard.press("Tab")
    for text in DEFAULT_ITEMS:
        expect(academics.get_by_role("group", name=text).get_by_label("4 Agree")).to_be_checked()
    review_screenshot(page, "survey-answer-principal-1280")

    # 3. The others with the mouse; one department left out, to see the refusal next to it.
    for department, name in Department.choices[1:]:
        group = page.get_by_role("group", name=name, exact=True)
        for text in DEFAULT_ITEMS:
            choice = "No experience" if department == "data" else "5 Strongly agree"
            if department == "hr" and text == DEFAULT_ITEMS[1]:
                continue
            group.get_by_role("group", name=text).get_by_label(choice).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose an answer, or no experience.")
    assert SurveyResponse.objects.filter(cycle=fall).count() == 5  # nothing saved
    hr = page.get_by_role("group", name="Talent and human resources", exact=True)
    skipped = hr.get_by_role("group", name=DEFAULT_ITEMS[1])
    expect(skipped.get_by_label("3 Neither agree nor disagree")).not_to_be_checked()
    assert_accessible(page)
    # the refused form keeps every choice made; only the statement left out needs an answer
    expect(academics.get_by_role("group", name=DEFAULT_ITEMS[0]).get_by_label("4 Agree")).to_be_checked()
    skipped.get_by_label("4 Agree").check()
    page.set_viewport_size(PHONE)
    review_screenshot(page, "survey-answer-principal-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text(f"Thank you: your answers to the {fall} survey are in.")).to_be_visible()
    assert SurveyResponse.objects.filter(cycle=fall).count() == 6
    logout(page)

    # 4. The office closes the cycle and reads the results.
    login(page, "autonomy-office", PASSWORD)
    page.goto(f"/support/surveys/{fall.pk}/")
    expect(page.get_by_text("6 schools answered")).to_be_visible()
    page.get_by_role("button", name="Close").click()
    page.get_by_role("link", name="See the results").click()
    summary = page.get_by_role("table", name="Each department, the whole district")
    expect(summary.get_by_role("row", name="Academics")).to_contain_text("6")
    south = page.get_by_role("table", name="Finance, network by network").get_by_role("row", name="South Network")
    expect(south).to_contain_text("Fewer than 5 answered")
    assert_accessible(page)
    review_screenshot(page, "survey-results-office-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    review_screenshot(page, "survey-results-office-390")
    page.set_viewport_size(DESKTOP)
    page.goto("/support/surveys/")
    scorecards = page.get_by_role(
        "table", name=f"Each department in the {fall} survey, against the target of 85% positive"
    )
    expect(scorecards.get_by_role("row", name="Finance")).to_contain_text("Not met")
    assert_accessible(page)
    review_screenshot(page, "survey-home-office-1280")
    page.set_viewport_size(PHONE)
    review_screenshot(page, "survey-home-office-390")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/support/surveys/{fall.pk}/results/")
    page.get_by_label("Network", exact=True).select_option(label="South Network")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name="Each department, South Network")).to_contain_text("Fewer than 5 answered")
    logout(page)

    # 5. The principal reads the district's results; finance's head reads the scorecard with its trend.
    login(page, "principal-1", PASSWORD)
    page.goto(f"/support/surveys/{fall.pk}/results/")
    assert_accessible(page)
    review_screenshot(page, "survey-results-principal-1280")
    page.set_viewport_size(PHONE)
    review_screenshot(page, "survey-results-principal-390")
    page.set_viewport_size(DESKTOP)
    logout(page)
    login(page, "finance-head", PASSWORD)
    page.goto("/support/surveys/")
    page.get_by_role("link", name="Finance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finance: scorecard")
    expect(page.get_by_role("img", name="Finance: % positive, survey by survey")).to_be_visible()
    assert_accessible(page)
    review_screenshot(page, "survey-scorecard-head-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    review_screenshot(page, "survey-scorecard-head-390")
