"""The survey pages: the office drafts, edits, opens and closes a cycle; a principal answers on their own
page (a bad or missing answer shown next to its statement, nothing saved); the results and a scorecard say
what they show, and the nightly task closes a cycle once."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from support.models import Department, DepartmentStaff, SurveyCycle, SurveyResponse, SurveyStatus
from support.services.support_request_steps import support_request_close, support_request_resolve
from support.services.surveys import DEFAULT_ITEMS
from support.tasks import survey_cycles_close_nightly
from tests.factories import SchoolYearFactory, UserFactory
from tests.support.requests_builders import raise_request, request_world
from tests.support.surveys_world import admin_user, answer, closed_cycle, networks_with, open_cycle

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_office_drafts_edits_opens_and_closes_a_cycle(client_for):
    admin = admin_user()
    client = client_for(admin)
    page = client.get(reverse("support:survey_cycle_new"))
    assert escape(DEFAULT_ITEMS[0]) in page.content.decode()  # offered as the defaults
    year = SchoolYearFactory()
    data = {"school_year": year.pk, "term": "Fall", "opens_on": TODAY, "closes_on": TODAY}
    data |= {f"item_{n}": text for n, text in enumerate(DEFAULT_ITEMS, start=1)}
    response = client.post(reverse("support:survey_cycle_new"), data)
    cycle = SurveyCycle.objects.get()
    assert response.url == reverse("support:survey_cycle", args=[cycle.pk])
    edit = reverse("support:survey_cycle_edit", args=[cycle.pk])
    response = client.post(edit, {"opens_on": TODAY, "closes_on": TODAY, "item_1": "Answers my calls."})
    assert response.status_code == 302
    assert list(cycle.items.values_list("text", flat=True)) == ["Answers my calls."]
    client.post(reverse("support:survey_cycle_open", args=[cycle.pk]), {"expected_status": "draft"})
    cycle.refresh_from_db()
    assert cycle.status == SurveyStatus.OPEN
    assert client.get(edit).status_code == 404  # an open cycle's statements stay as asked
    detail = client.get(reverse("support:survey_cycle", args=[cycle.pk])).content.decode()
    assert "0 schools answered" in detail and "Close" in detail
    client.post(reverse("support:survey_cycle_close", args=[cycle.pk]), {"expected_status": "open"})
    cycle.refresh_from_db()
    assert cycle.status == SurveyStatus.CLOSED


def test_a_bad_cycle_is_shown_next_to_its_field(client_for):
    client = client_for(admin_user())
    year = SchoolYearFactory()
    data = {"school_year": year.pk, "term": "Fall", "opens_on": TODAY, "closes_on": TODAY - datetime.timedelta(days=1)}
    response = client.post(reverse("support:survey_cycle_new"), data | {"item_1": "Fine."})
    assert response.status_code == 400
    assert 'id="id_closes_on_error"' in response.content.decode()
    assert not SurveyCycle.objects.exists()


def test_a_stale_step_is_told_and_changes_nothing(client_for):
    admin = admin_user()
    cycle = open_cycle(admin)
    response = client_for(admin).post(
        reverse("support:survey_cycle_open", args=[cycle.pk]), {"expected_status": "draft"}, follow=True
    )
    assert "Somebody acted on this survey cycle first" in response.content.decode()


def _answer_data(cycle, value="4", **by_department):
    positions = cycle.items.values_list("position", flat=True)
    return {f"{d}-{p}": by_department.get(d, value) for d in Department.values for p in positions}


def test_a_principal_answers_on_their_own_page(client_for):
    admin = admin_user()
    _, [(school, principal)] = networks_with(1)
    cycle = open_cycle(admin)
    client = client_for(principal)
    home = client.get(reverse("support:surveys")).content.decode()
    url = reverse("support:survey_answer", args=[cycle.pk, school.code])
    assert url in home
    page = client.get(url).content.decode()
    assert "<legend>" in page and "Strongly disagree" in page and "No experience" in page
    response = client.post(url, _answer_data(cycle, finance="none"))
    assert response.status_code == 302
    assert SurveyResponse.objects.get().answers.exclude(department="finance").count() == 15
    assert "answered. Thank you." in client.get(reverse("support:surveys")).content.decode()
    again = client.post(url, _answer_data(cycle))
    assert again.status_code == 409 and "has been answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_missing_or_bad_answer_is_shown_next_to_its_statement(client_for):
    admin = admin_user()
    _, [(school, principal)] = networks_with(1)
    cycle = open_cycle(admin)
    data = _answer_data(cycle)
    del data["hr-2"]
    data["finance-1"] = "7"
    response = client_for(principal).post(reverse("support:survey_answer", args=[cycle.pk, school.code]), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="id_hr-2_error"' in text and 'id="id_finance-1_error"' in text
    assert 'href="#id_hr-2"' in text and 'id="id_hr-2"' in text  # the summary links to the statement
    assert not SurveyResponse.objects.exists()


def test_another_schools_answer_page_is_404(client_for):
    admin = admin_user()
    _, [(school, _), (_, other_principal)] = networks_with(2)
    cycle = open_cycle(admin)
    url = reverse("support:survey_answer", args=[cycle.pk, school.code])
    assert client_for(other_principal).get(url).status_code == 404
    assert client_for(other_principal).post(url, _answer_data(cycle)).status_code == 404


def test_results_wait_for_the_cycle_to_close(client_for):
    admin = admin_user()
    cycle = open_cycle(admin)
    response = client_for(admin).get(reverse("support:survey_results", args=[cycle.pk]))
    assert response.status_code == 200
    assert "results come when it closes" in response.content.decode()
    assert client_for(admin).get(reverse("support:survey_results_csv", args=[cycle.pk])).status_code == 404


def test_department_staff_read_only_their_own_department(client_for):
    admin = admin_user()
    _, pairs = networks_with(5)
    cycle = closed_cycle(admin, pairs, value=5, finance=3)
    staff = UserFactory()
    DepartmentStaff.objects.create(user=staff, department="finance", is_head=True)
    client = client_for(staff)
    text = client.get(reverse("support:survey_results", args=[cycle.pk])).content.decode()
    assert "Finance" in text and "Talent and human resources" not in text
    assert client.get(reverse("support:survey_scorecard", args=["hr"])).status_code == 404
    card = client.get(reverse("support:survey_scorecard", args=["finance"])).content.decode()
    assert "0%" in card and "The target of 85% positive was not met" in card and ">F<" in card


def test_the_scorecard_draws_the_trend_and_its_table(client_for):
    admin = admin_user()
    _, pairs = networks_with(5)
    closed_cycle(admin, pairs, value=4, term="Spring")  # 100% positive
    second = open_cycle(
        admin,
        term="Fall",
        year=SchoolYearFactory(
            label="2027-28",
            start_date=datetime.date(2027, 7, 1),
            end_date=datetime.date(2028, 6, 30),
            first_day=datetime.date(2027, 8, 16),
        ),
    )
    answer(second, pairs[:3], 4)
    answer(second, pairs[3:], 2)  # 60% positive
    SurveyCycle.objects.filter(pk=second.pk).update(status=SurveyStatus.CLOSED)
    text = client_for(admin).get(reverse("support:survey_scorecard", args=["academics"])).content.decode()
    assert "<svg" in text and 'role="img"' in text
    assert re.search(
        r"Spring 2026-27: 100% positive \(target met\); Fall 2027-28: 60% positive \(target not met\)", text
    )
    assert ">D<" in text and "The target of 85% positive was not met: 60% of answers were positive." in text
    assert "<caption" in text and "Not met" in text


def test_the_nightly_task_closes_once():
    admin = admin_user()
    cycle = open_cycle(admin)
    later = (cycle.closes_on + datetime.timedelta(days=1)).isoformat()
    assert survey_cycles_close_nightly.delay(later).get() == {"today": later, "closed": 1}
    events = cycle.events.count()
    assert survey_cycles_close_nightly.delay(later).get() == {"today": later, "closed": 0}
    assert cycle.events.count() == events


def test_the_scorecard_shows_the_departments_requests_beside_its_ratings(client_for):
    world = request_world()
    done = raise_request(world)
    support_request_resolve(actor=world.head, request_id=done.pk, message="Carried over in full.")
    support_request_close(actor=world.principal, request_id=done.pk, rating=4)
    text = client_for(world.head).get(reverse("support:survey_scorecard", args=["finance"])).content.decode()
    assert "No survey has closed yet" in text
    assert "100%</span> resolved by the deadline (1 of 1)" in text
    assert "4.0</span> mean rating of 5, from 1 school" in text
    hr = client_for(world.admin).get(reverse("support:survey_scorecard", args=["hr"])).content.decode()
    assert "No support request to the department was resolved." in hr


HOSTILE = ["٣", "\x00", "x" * 100_000, "-1", "99999999999999999999", "=1+1", ""]


def test_hostile_values_are_refused_and_change_nothing(client_for):
    admin = admin_user()
    _, [(school, principal)] = networks_with(1)
    cycle = open_cycle(admin)
    year = SchoolYearFactory(
        label="2027-28",
        start_date=datetime.date(2027, 7, 1),
        end_date=datetime.date(2028, 6, 30),
        first_day=datetime.date(2027, 8, 16),
    )
    good_cycle = {"school_year": year.pk, "term": "Spring", "opens_on": TODAY, "closes_on": TODAY, "item_1": "Fine."}
    answer_url = reverse("support:survey_answer", args=[cycle.pk, school.code])
    for value in HOSTILE:
        for field in good_cycle:
            response = client_for(admin).post(reverse("support:survey_cycle_new"), good_cycle | {field: value})
            assert response.status_code in (302, 400), (field, value[:10])
            if response.status_code == 400:
                assert SurveyCycle.objects.count() == 1
            else:
                SurveyCycle.objects.exclude(pk=cycle.pk).delete()
        for field in ("finance-1", "hr-3"):
            response = client_for(principal).post(answer_url, _answer_data(cycle) | {field: value})
            assert response.status_code == 400, (field, value[:10])
        results = client_for(admin).get(reverse("support:survey_results", args=[cycle.pk]), {"network": value})
        assert results.status_code in (200, 400)
    assert not SurveyResponse.objects.exists()


def test_the_surveys_page_lists_each_departments_latest_grade(client_for):
    admin = admin_user()
    _, pairs = networks_with(5)
    closed_cycle(admin, pairs, value=5, hr=2)
    text = client_for(admin).get(reverse("support:surveys")).content.decode()
    assert "Each department in the Fall 2026-27 survey, against the target of 85% positive" in text
    finance = text[text.index(reverse("support:survey_scorecard", args=["finance"])) :]
    assert finance.index('100% <span class="grade">A</span>') < finance.index("Met") < finance.index("</tr>")
    hr = text[text.index(reverse("support:survey_scorecard", args=["hr"])) :]
    assert hr.index('0% <span class="grade">F</span>') < hr.index("Not met") < hr.index("</tr>")
