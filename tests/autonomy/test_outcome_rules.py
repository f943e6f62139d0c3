"""A target outcome's school year and range are the shared rules of schools.periods and Metric.range_problem,
whether the outcome comes through the page's form or straight to the service."""

import pytest

from autonomy.forms.requests import OutcomeForm
from autonomy.services import OutcomeInput, request_create, request_set_outcomes
from core.errors import ApplicationError
from metrics.models import Metric
from schools.models import Role
from tests.autonomy.factories import CallFactory

pytestmark = pytest.mark.django_db

WRONG_YEARS = [
    ("2025-99", "'2025-99' is not a school year: 99 is not the year after 2025 (write 2025-26)"),
    ("٢٠٢٥-٢٦", "'٢٠٢٥-٢٦' is not a school year written as 2025-26 with the digits 0-9"),
    ("２０２５-２６", "'２０２５-２６' is not a school year written as 2025-26 with the digits 0-9"),
]


def _form(by_period: str) -> OutcomeForm:
    data = {"outcomes-0-metric": "ela_proficiency", "outcomes-0-target": "50", "outcomes-0-by_period": by_period}
    return OutcomeForm(data, prefix="outcomes-0", metrics=Metric.objects.all())


@pytest.mark.parametrize(("by_period", "problem"), WRONG_YEARS)
def test_the_form_refuses_a_wrong_school_year_under_its_field(by_period, problem):
    form = _form(by_period)
    assert not form.is_valid()
    assert form.errors == {"by_period": [problem]}
    assert _form("2025-26").is_valid()


@pytest.fixture
def draft(school, make_member):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(offers=["program.curriculum"])
    return principal, request_create(actor=principal, school=school, call=call)


@pytest.mark.parametrize(("by_period", "problem"), WRONG_YEARS)
def test_the_service_refuses_a_wrong_school_year_naming_the_outcome(draft, by_period, problem):
    principal, request = draft
    outcomes = [
        OutcomeInput("ela_proficiency", "40", "50", "2025-26"),
        OutcomeInput("ela_proficiency", "", "50", by_period),
    ]
    with pytest.raises(ApplicationError) as refused:
        request_set_outcomes(actor=principal, request_id=request.pk, outcomes=outcomes)
    assert refused.value.message == f"Outcome 2: the period {problem}."
    assert refused.value.fields == {"outcomes.1.by_period": [problem]}
    assert not request.outcomes.exists()
    request_set_outcomes(actor=principal, request_id=request.pk, outcomes=outcomes[:1])
    assert request.outcomes.get().by_period == "2025-26"


@pytest.mark.parametrize(
    ("baseline", "target", "message"),
    [
        ("", "140", "Outcome 1: the target 140 is outside Proficiency in ELA's range 0–100."),
        ("-1", "50", "Outcome 1: the baseline -1 is outside Proficiency in ELA's range 0–100."),
        ("", "100.0000", None),
    ],
)
def test_the_service_words_a_value_out_of_range_as_the_metric_does(draft, baseline, target, message):
    principal, request = draft
    outcomes = [OutcomeInput("ela_proficiency", baseline, target, "2027-28")]
    if message is None:
        request_set_outcomes(actor=principal, request_id=request.pk, outcomes=outcomes)
        return
    with pytest.raises(ApplicationError) as refused:
        request_set_outcomes(actor=principal, request_id=request.pk, outcomes=outcomes)
    assert refused.value.message == message
