"""The decision log through the API: listed for the office and the viewers, recorded by the office only
through the page's service (the catalog then states it), bad input refused naming the field, in the
OpenAPI schema, and a list whose queries do not grow with its rows."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from autonomy.models import Autonomy
from impact.models import AutonomyDecision
from schools.models import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/impact/decisions/"
EVIDENCE = "/impact/outcomes/?autonomy=program.assessment&metric=ela_proficiency"


def _client(user):
    _, raw = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _body(**changes):
    return {
        "autonomy": "program.assessment",
        "decision": "extend",
        "rationale": "+3 points.",
        "evidence_path": EVIDENCE,
    } | changes


def test_the_office_records_a_decision_the_catalog_states_and_viewers_list_it(make_member):
    assert reverse("api:impact-decision-list") == URL
    office = _client(make_member(Role.ADMIN))
    created = office.post(URL, _body(), format="json")
    assert created.status_code == 201
    assert created.json() | {"id": 0, "decided_at": ""} == {
        "id": 0,
        "autonomy": "program.assessment",
        "decision": "extend",
        "decision_words": "Extend it to more schools",
        "rationale": "+3 points.",
        "evidence_path": EVIDENCE,
        "decided_by": AutonomyDecision.objects.get().decided_by.username,
        "decided_at": "",
    }
    entry = Autonomy.objects.get(code="program.assessment")
    assert (entry.evaluation_decision, entry.evaluation_evidence_path) == ("Extend it to more schools", EVIDENCE)

    viewer = _client(make_member(Role.VIEWER))
    listed = viewer.get(URL).json()
    assert listed["count"] == 1 and listed["results"][0]["decision"] == "extend"
    refused = viewer.post(URL, _body(decision="retire"), format="json")
    assert refused.status_code == 403 and refused.json()["error"]
    assert AutonomyDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rationale": ""}, "rationale"),
        ({"decision": "abolish"}, "decision"),
        ({"autonomy": "no.such"}, "autonomy"),
        ({"evidence_path": "https://x.example/"}, "evidence_path"),
        ({"status": "done"}, "status"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(make_member, change, field):
    response = _client(make_member(Role.ADMIN)).post(URL, _body(**change), format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not AutonomyDecision.objects.exists()
    assert Autonomy.objects.get(code="program.assessment").evaluation_decision == ""


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.LIAISON, Role.REVIEWER])
def test_anyone_else_is_refused_the_list(make_member, school, role):
    user = make_member(
        role, school=school if role == Role.PRINCIPAL else None, function="finance" if role == Role.REVIEWER else ""
    )
    assert _client(user).get(URL).status_code == 403


def test_the_list_costs_the_same_queries_for_1_and_20_decisions(make_member, django_assert_num_queries):
    office = make_member(Role.ADMIN)
    client = _client(office)
    client.post(URL, _body(), format="json")
    client.get(URL)  # warm the token and the roles
    with django_assert_num_queries(3):  # the token (with its user), the count, the page of rows
        client.get(URL)
    for i in range(19):
        client.post(URL, _body(rationale=f"Reason {i}."), format="json")
    client.get(URL)
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == 20


def test_the_decision_log_is_in_the_openapi_schema(client_for, make_member):
    schema = client_for(make_member(Role.ADMIN)).get("/api/schema/", {"format": "json"}).json()
    operations = schema["paths"][URL]
    assert set(operations) >= {"get", "post"}
    assert "ImpactDecisionInput" in str(operations["post"]["requestBody"])
