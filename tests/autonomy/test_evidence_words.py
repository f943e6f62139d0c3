"""A grant's evidence reads as sentences in the district's words on the grant pages: every shape the code
records (a cohort scope, a request's checks, earned criteria, a flag's rung with its results, the end of a
term, a lapse of the criteria, a note), never a stored key or a comparator symbol."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from autonomy.evidence_words import evidence_summary
from autonomy.models import Autonomy, EligibilityCriterion
from autonomy.selectors_eligibility import criterion_check
from autonomy.services import grants as grant_services
from metrics.models import Metric, Observation
from schools.models import Role
from tests.factories import grant

pytestmark = pytest.mark.django_db

RAW = ("Comparator", "Threshold", "&gt;=", "&lt;=", "as_of", "ends_on", "not_met", "no_data", "criterion':", "Scope:")


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


def _page(client_for, user, school) -> str:
    return client_for(user).get(reverse("autonomy:school_grants", args=[school.code])).content.decode()


def _evidence_of(school, autonomy_code, evidence, *, actor=None):
    (issued,) = grant_services.grants_issue(
        schools=[school],
        autonomy=Autonomy.objects.get(code=autonomy_code),
        actor=actor,
        reason="Granted in a test.",
        starts_on=datetime.date(2026, 7, 1),
        evidence=evidence,
    )
    return issued


def _finance_check(school, value="4.25"):
    criterion = EligibilityCriterion.objects.create(
        autonomy=Autonomy.objects.get(code="money.budget"),
        metric=Metric.objects.get(code="finance_rating"),
        comparator=">=",
        threshold=Decimal(4),
    )
    observation = Observation.objects.create(
        school=school, metric=criterion.metric, period="2025-26", value=Decimal(value)
    )
    criterion.refresh_from_db()  # the threshold as stored, a Decimal
    return criterion_check(criterion, observation).as_evidence()


def _assert_plain(html):
    for raw in RAW:
        assert raw not in html, raw


def test_earned_criteria_read_as_a_sentence_with_the_value_in_its_unit(school, admin, client_for):
    _evidence_of(school, "money.budget", {"criteria": [_finance_check(school, "4.25")]})
    html = _page(client_for, admin, school)
    # the value as the metric is written (a whole rating), not as stored
    assert "Finance evaluation rating at least 4: 4 in 2025-26 (met)." in html
    assert "4.25" not in html
    _assert_plain(html)


def test_a_request_approval_names_the_request_its_checks_and_an_override(school, admin, client_for):
    check = {**_finance_check(school, "3"), "holds": False}
    _evidence_of(school, "money.budget", {"request": 7, "criteria": [check], "override": True})
    html = _page(client_for, admin, school)
    assert "Approved on request #7." in html
    assert "Finance evaluation rating at least 4: 3 in 2025-26 (not met)." in html
    assert "Approved although not every eligibility criterion was met; the reason is recorded." in html
    _assert_plain(html)


def test_a_cohort_grant_names_its_scope(school, admin, client_for):
    _evidence_of(school, "people.hiring", {"scope": "the pilot cohort"})
    html = _page(client_for, admin, school)
    assert "Granted to the pilot cohort." in html
    _assert_plain(html)


def test_a_flags_rung_cites_the_flag_with_a_link_the_date_and_the_results_in_words(school, admin, client_for):
    hiring = grant(school, "people.hiring")
    results = {
        "ela-growth": {"status": "met", "kind": "growth", "comparator": ">=", "target": "1.0000", "value": "47.4"},
        "math-proficiency": {
            "status": "not_met",
            "kind": "value",
            "comparator": ">=",
            "target": "61.3",
            "value": "61.1",
        },
        "vacancies": {"status": "no_data", "kind": "value", "comparator": "<=", "target": "3", "value": None},
    }
    grant_services.grant_change(
        actor=None,
        grant_id=hiring.pk,
        action="suspend_by_rule",
        reason="Missed a benchmark.",
        evidence={"flag": 12, "as_of": "2026-11-01", "results": results},
    )
    html = _page(client_for, admin, school)
    link = reverse("accountability:flag_detail", args=[12])
    assert f'Under flag #12 (<a href="{link}">see the notice</a>), evaluated as of November 1, 2026.' in html
    assert "Results of the 3 benchmarks then: 1 met, 1 not met, 1 without data." in html
    assert "ela-growth" not in html and "math-proficiency" not in html
    _assert_plain(html)


def test_the_end_of_a_term_says_when_it_ended(school, admin, client_for):
    hiring = grant(school, "people.hiring")
    hiring.ends_on = datetime.date(2026, 10, 31)
    hiring.save(update_fields=["ends_on"])
    grant_services.grants_expire_ended(as_of=datetime.date(2026, 11, 1))
    html = _page(client_for, admin, school)
    assert "The term ended on October 31, 2026." in html
    _assert_plain(html)


def test_a_lapse_of_the_criteria_gives_the_date_and_the_criteria_sentences(school, admin, client_for):
    budget = _evidence_of(school, "money.budget", {})
    check = {**_finance_check(school, "3"), "holds": False}
    grant_services.grant_change(
        actor=None,
        grant_id=budget.pk,
        action="criteria_lapse",
        reason="The criteria are no longer met.",
        evidence={"as_of": "2026-12-03", "criteria": [check]},
        at_risk_until=datetime.date(2027, 2, 1),
    )
    html = _page(client_for, admin, school)
    assert "The criteria were checked as of December 3, 2026." in html
    assert "Finance evaluation rating at least 4: 3 in 2025-26 (not met)." in html
    _assert_plain(html)


def test_a_note_reads_as_written_and_a_check_without_words_is_said_from_its_parts(school, admin, client_for):
    hiring = grant(school, "people.hiring")
    grant_services.grant_change(
        actor=admin, grant_id=hiring.pk, action="suspend", reason="Audit.", evidence={"note": "Audit letter of May 2."}
    )
    assert "Audit letter of May 2." in _page(client_for, admin, school)
    old = {
        "metric": "finance_rating",
        "comparator": ">=",
        "threshold": "4",
        "period": "2025-26",
        "value": "4",
        "holds": True,
    }
    assert evidence_summary(old) == ["Finance evaluation rating at least 4: 4 in 2025-26 (met)."]


def test_the_grant_change_page_shows_the_timelines_evidence_too(school, admin, client_for):
    hiring = grant(school, "people.hiring")
    grant_services.grant_change(
        actor=None,
        grant_id=hiring.pk,
        action="suspend_by_rule",
        reason="Missed a benchmark.",
        evidence={"flag": 3, "as_of": "2026-11-01", "results": {"x": {"status": "met"}}},
    )
    html = client_for(admin).get(reverse("autonomy:grant_change", args=[hiring.pk])).content.decode()
    assert "evaluated as of November 1, 2026." in html
    assert "Results of the 1 benchmark then: 1 met." in html
