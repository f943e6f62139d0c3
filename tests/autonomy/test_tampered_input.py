"""Input no page sends: ids in other scripts' digits, and formset row counts altered. Each is refused with
a 400 and a message, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from autonomy.models import Autonomy, CallForProposals, TargetOutcome
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request

pytestmark = pytest.mark.django_db

NOT_IDS = ["²", "٣", "３", "-1", "1" * 40]


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


@pytest.fixture
def principal(school, make_member):
    return make_member(Role.PRINCIPAL, school=school)


@pytest.fixture
def draft(school, admin, principal):
    return complete_request(principal=principal, school=school, call=CallFactory(created_by=admin))


def _edit(draft, step):
    return reverse("autonomy:request_edit", args=[draft.pk, step])


@pytest.mark.parametrize("bad", NOT_IDS)
def test_an_autonomy_that_is_not_an_id_is_refused(draft, principal, client_for, bad):
    before = set(draft.items.values_list("autonomy_id", flat=True))
    response = client_for(principal).post(_edit(draft, "autonomies"), {"autonomies": [bad], "intent": "draft"})
    assert response.status_code == 400
    assert set(draft.items.values_list("autonomy_id", flat=True)) == before


@pytest.mark.parametrize("bad", NOT_IDS)
def test_a_call_offering_an_autonomy_that_is_not_an_id_is_refused(admin, client_for, bad):
    today = timezone.localdate()
    response = client_for(admin).post(
        reverse("autonomy:call_create"),
        {
            "title": "A call",
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
            "autonomies": [str(Autonomy.objects.first().pk), bad],
        },
    )
    assert response.status_code == 400
    assert not CallForProposals.objects.filter(title="A call").exists()


def _outcomes(total, initial, rows=()):
    data = {"outcomes-TOTAL_FORMS": total, "outcomes-INITIAL_FORMS": initial, "intent": "draft"}
    for index, row in enumerate(rows):
        data.update({f"outcomes-{index}-{key}": value for key, value in row.items()})
    return data


SAVED_ROW = {"metric": "ela_proficiency", "baseline": "40", "target": "55", "by_period": "2027-28"}
TAMPERED = {
    "a negative total": _outcomes("-1", "0"),
    "a negative total and initial count": _outcomes("-1", "-1"),
    "a negative initial count": _outcomes("1", "-1", [SAVED_ROW]),
    "the saved row counted as new": _outcomes("1", "0", [SAVED_ROW]),
    "more saved rows than the total": _outcomes("0", "1"),
    "a huge total": _outcomes("99999999999999999999", "1", [SAVED_ROW]),
    "counts that are not numbers": _outcomes("²", "1", [SAVED_ROW]),
    "no counts at all": {"intent": "draft", **{f"outcomes-0-{k}": v for k, v in SAVED_ROW.items()}},
}


@pytest.mark.parametrize("data", TAMPERED.values(), ids=TAMPERED.keys())
def test_altered_row_counts_are_refused_and_nothing_is_removed(draft, principal, client_for, data):
    response = client_for(principal).post(_edit(draft, "outcomes"), data)
    assert response.status_code == 400
    assert "Draft saved." not in response.content.decode()
    assert list(TargetOutcome.objects.filter(request=draft).values_list("target", flat=True)) == [55]


def test_the_rows_as_the_page_sent_them_are_saved(draft, principal, client_for):
    changed = {**SAVED_ROW, "target": "60"}
    response = client_for(principal).post(_edit(draft, "outcomes"), _outcomes("2", "1", [changed]))
    assert response.status_code == 302
    assert list(TargetOutcome.objects.filter(request=draft).values_list("target", flat=True)) == [60]


def test_a_negative_total_says_why(draft, principal, client_for):
    response = client_for(principal).post(_edit(draft, "outcomes"), _outcomes("-1", "0"))
    assert "do not match the page it came from" in response.content.decode()
