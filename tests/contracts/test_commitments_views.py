"""The commitments' pages: the contract page's fourth section, the draft editor (refusals naming the field,
nothing saved), the department's list (its own department only, the same queries for 1 row and 10) and
the record-delivery step."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import CommitmentMeasure, CommitmentStatus, ContractCommitment
from support.models import Department, DepartmentStaff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAST_DUE = datetime.date(2026, 10, 1)


def _commitment(contract, **fields) -> ContractCommitment:
    values = {
        "key": f"c{ContractCommitment.objects.count() + 1}",
        "department": Department.FINANCE,
        "text": "Budget projections released",
        "measure": CommitmentMeasure.DELIVERED_BY,
        "due_on": PAST_DUE,
        **fields,
    }
    return ContractCommitment.objects.create(contract=contract, **values)


def _staff(department):
    user = UserFactory()
    DepartmentStaff.objects.create(user=user, department=department)
    return user


def _add_data(draft, **changes):
    data = {
        "intent": "add",
        "department": "finance",
        "text": "Budget and enrollment projections released",
        "measure": "delivered_by",
        "due_on": "2027-03-01",
        "milestone_kind": "",
        "business_days": "on",
        "expected_status": draft.status,
    }
    data.update(changes)
    return data


def test_the_contract_page_lists_the_commitments_with_their_status_in_words(client_for, principal, active):
    _commitment(active, status=CommitmentStatus.MISSED, evidence={"due_on": "2026-10-01", "source": "recorded"})
    page = client_for(principal).get(reverse("contracts:contract_detail", args=[active.pk])).content.decode()
    assert "What central office commits to" in page
    assert "Budget projections released" in page and "Finance" in page
    assert "Delivered by October 1, 2026" in page
    assert "Missed: not delivered by October 1, 2026." in page


def test_the_editor_adds_a_commitment_and_refuses_bad_input_naming_the_field(client_for, admin, draft):
    client = client_for(admin)
    url = reverse("contracts:contract_commitments", args=[draft.pk])
    for changes, field, words in [
        ({"text": ""}, "text", "This field is required."),
        ({"department": "library"}, "department", "Select a valid choice"),
        ({"due_on": "2031-01-01"}, "due_on", "The date must fall within the contract&#x27;s term"),
        ({"measure": "answered_within", "days": "0", "target_percent": "90"}, "days", "1 or more"),
    ]:
        response = client.post(url, _add_data(draft, **changes))
        assert response.status_code == 400, field
        body = response.content.decode()
        assert f'id="id_{field}"' in body and words in body, field
        assert 'aria-invalid="true"' in body
    assert not ContractCommitment.objects.exists()

    response = client.post(url, _add_data(draft))
    assert response.status_code == 302
    (row,) = ContractCommitment.objects.all()
    assert (row.department, row.due_on) == ("finance", datetime.date(2027, 3, 1))
    response = client.post(url, {"intent": "remove", "key": row.key, "expected_status": draft.status})
    assert response.status_code == 302 and not ContractCommitment.objects.exists()


def test_a_draft_is_the_autonomy_offices_alone(client_for, admin, principal, draft):
    assert client_for(principal).get(reverse("contracts:contract_commitments", args=[draft.pk])).status_code == 404
    active_url = reverse("contracts:contract_commitments", args=[draft.pk])
    assert client_for(admin).get(active_url).status_code == 200


def test_a_version_in_force_is_not_edited(client_for, admin, active):
    url = reverse("contracts:contract_commitments", args=[active.pk])
    assert client_for(admin).post(url, _add_data(active)).status_code == 403
    assert not ContractCommitment.objects.exists()


def test_the_department_sees_its_own_commitments_and_records_a_delivery(client_for, active, principal):
    finance, hr = _staff(Department.FINANCE), _staff(Department.HR)
    mine = _commitment(active)
    theirs = _commitment(active, department=Department.HR, text="Vacancies filled")
    page = client_for(finance).get(reverse("contracts:commitment_list")).content.decode()
    assert "Budget projections released" in page and "Vacancies filled" not in page
    assert reverse("contracts:commitment_deliver", args=[mine.pk]) in page
    # Another department's commitment, or a principal: not found.
    assert client_for(finance).get(reverse("contracts:commitment_deliver", args=[theirs.pk])).status_code == 404
    assert client_for(hr).get(reverse("contracts:commitment_deliver", args=[mine.pk])).status_code == 404
    assert client_for(principal).get(reverse("contracts:commitment_list")).status_code == 404

    url = reverse("contracts:commitment_deliver", args=[mine.pk])
    response = client_for(finance).post(url, {"delivered_on": "2099-01-01", "note": "Sent."})
    assert response.status_code == 400 and 'id="id_delivered_on"' in response.content.decode()
    response = client_for(finance).post(url, {"delivered_on": "2026-09-30", "note": ""})
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.delivered_on is None
    response = client_for(finance).post(url, {"delivered_on": "2026-09-30", "note": "Posted on the budget site."})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.delivered_by, mine.delivered_on) == ("met", finance, datetime.date(2026, 9, 30))
    page = client_for(principal).get(reverse("contracts:contract_detail", args=[active.pk])).content.decode()
    assert "Met: delivered September 30, 2026, as the department recorded. Evidence: Posted on the budget site." in page


def _queries(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_department_list_costs_the_same_for_1_and_10_commitments(client_for, active):
    finance = _staff(Department.FINANCE)
    client, url = client_for(finance), reverse("contracts:commitment_list")
    _commitment(active)
    one = _queries(client, url)
    for _ in range(9):
        _commitment(active)
    assert _queries(client, url) == one
