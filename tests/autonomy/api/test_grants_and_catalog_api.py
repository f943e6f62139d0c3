"""The autonomy API's catalog, calls and grants: who sees what, what each role may change, bad input,
and list query counts that do not grow with rows. Requests are in test_requests_api.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from autonomy.models import Autonomy, AutonomyGrant, CallForProposals, EligibilityCriterion, GrantEvent
from autonomy.services import grant_change
from metrics.models import Metric
from tests.autonomy.factories import CallFactory
from tests.factories import SchoolFactory, grant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "detail", "fields"}
    return body


# --- the catalog ----------------------------------------------------------------------------------

AUTONOMY_KEYS = {
    "code",
    "domain",
    "name",
    "description",
    "school_decides",
    "district_keeps",
    "retention_expectations",
    "name_es",
    "description_es",
    "school_decides_es",
    "district_keeps_es",
    "retention_expectations_es",
    "model",
    "criteria",
}


def test_the_catalog_lists_every_autonomy_with_its_model_and_criteria(clients, earned_budget):
    body = clients["principal"].get("/api/v1/autonomies/", {"limit": 100}).json()
    assert body["count"] == Autonomy.objects.count()
    rows = {row["code"]: row for row in body["results"]}
    assert set(rows["money.budget"]) == AUTONOMY_KEYS
    assert rows["money.budget"]["model"] == "earned"
    assert rows["money.budget"]["criteria"] == [
        {
            "metric": "finance_rating",
            "metric_name": "Finance evaluation rating",
            "comparator": ">=",
            "threshold": "4.0000",
            "text": "Finance evaluation rating at least 4",
        }
    ]
    assert rows["program.curriculum"]["criteria"] == []


def test_the_catalog_filters_by_domain_and_model_and_refuses_unknown_values(clients):
    client = clients["principal"]
    money = client.get("/api/v1/autonomies/", {"domain": "money", "limit": 100}).json()["results"]
    assert money and {row["domain"] for row in money} == {"money"}
    earned = client.get("/api/v1/autonomies/", {"model": "earned", "limit": 100}).json()["results"]
    expected = set(Autonomy.objects.filter(model="earned").values_list("code", flat=True))
    assert {row["code"] for row in earned} == expected
    body = _error(client.get("/api/v1/autonomies/", {"domain": "weather"}), 400)
    assert "domain" in body["fields"]


def test_an_autonomy_is_looked_up_by_code_and_junk_answers_404(clients):
    client = clients["team"]
    assert client.get("/api/v1/autonomies/people.hiring/").json()["name"] == "Hire and dismiss staff"
    for code in ("people.nothing", "PEOPLE.HIRING", "x" * 300, "people.hiring%00"):
        assert client.get(f"/api/v1/autonomies/{code}/").status_code == 404, code


def test_the_catalog_is_read_only(clients):
    response = clients["admin"].post("/api/v1/autonomies/", {"code": "money.new"}, format="json")
    assert response.status_code == 405
    response = clients["admin"].patch("/api/v1/autonomies/money.budget/", {"model": "full"}, format="json")
    assert response.status_code == 405
    assert Autonomy.objects.get(code="money.budget").model == "earned"


# --- calls ----------------------------------------------------------------------------------------

CALL_KEYS = {"id", "title", "opens_on", "closes_on", "is_open", "guidance", "autonomies", "questions"}


def test_every_user_sees_every_call_with_its_window(clients):
    open_call = CallFactory(offers=["program.curriculum"], questions=["Why now?"])
    later = CallFactory(opens_on=TODAY() + datetime.timedelta(days=3), closes_on=TODAY() + datetime.timedelta(days=9))
    closed = CallFactory(opens_on=TODAY() - datetime.timedelta(days=30), closes_on=TODAY() - datetime.timedelta(days=1))
    for name in ("principal", "other_principal", "hr", "liaison"):
        rows = clients[name].get("/api/v1/calls/").json()["results"]
        assert {row["id"] for row in rows} == {open_call.pk, later.pk, closed.pk}, name
    row = clients["principal"].get(f"/api/v1/calls/{open_call.pk}/").json()
    assert set(row) == CALL_KEYS
    assert row["is_open"] is True and row["autonomies"] == ["program.curriculum"]
    assert [q["text"] for q in row["questions"]] == ["Why now?"]

    def window(value):
        return [r["id"] for r in clients["principal"].get("/api/v1/calls/", {"window": value}).json()["results"]]

    assert window("open") == [open_call.pk] and window("upcoming") == [later.pk] and window("closed") == [closed.pk]
    assert "window" in _error(clients["principal"].get("/api/v1/calls/", {"window": "soon"}), 400)["fields"]
    assert clients["principal"].get("/api/v1/calls/99999999999999999/").status_code == 404
    assert clients["principal"].get("/api/v1/calls/abc/").status_code == 404


def _call_body(**changes):
    body = {
        "title": "Spring 2027 call",
        "opens_on": str(TODAY()),
        "closes_on": str(TODAY() + datetime.timedelta(days=30)),
        "autonomies": ["program.curriculum", "time.learning_time"],
        "guidance": "Tell us what you would do differently.",
        "questions": ["How will you involve families?"],
    }
    body.update(changes)
    return body


def test_the_autonomy_office_opens_a_call_through_the_service(clients, people):
    response = clients["admin"].post("/api/v1/calls/", _call_body(), format="json")
    assert response.status_code == 201, response.content
    call = CallForProposals.objects.get(pk=response.json()["id"])
    assert call.title == "Spring 2027 call" and call.created_by == people["admin"]
    assert sorted(call.autonomies.values_list("code", flat=True)) == ["program.curriculum", "time.learning_time"]
    assert list(call.questions.values_list("text", flat=True)) == ["How will you involve families?"]
    assert response.json()["is_open"] is True


@pytest.mark.parametrize("name", ["principal", "team", "finance", "viewer", "liaison"])
def test_only_the_autonomy_office_opens_calls(clients, name):
    body = _error(clients[name].post("/api/v1/calls/", _call_body(), format="json"), 403)
    assert body["error"] == "not_permitted" and "autonomy office" in body["detail"]
    assert not CallForProposals.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"opens_on": "tomorrow"}, "opens_on"),
        ({"closes_on": str(TODAY() - datetime.timedelta(days=1))}, "closes_on"),
        ({"autonomies": []}, "autonomies"),
        ({"autonomies": ["money.unknown"]}, "autonomies"),
        ({"autonomies": "program.curriculum"}, "autonomies"),
        ({"questions": ["q" * 501]}, "questions.0"),
        ({"status": "open"}, "status"),
        ({"created_by": 1}, "created_by"),
    ],
)
def test_a_call_with_bad_input_is_refused_naming_the_field(clients, changes, field):
    body = _error(clients["admin"].post("/api/v1/calls/", _call_body(**changes), format="json"), 400)
    assert field in body["fields"], body
    assert not CallForProposals.objects.exists()


# --- grants ---------------------------------------------------------------------------------------

GRANT_ROW_KEYS = {
    "id",
    "school",
    "school_name",
    "autonomy",
    "autonomy_name",
    "domain",
    "model",
    "status",
    "starts_on",
    "ends_on",
    "granted_by",
    "reason",
    "retention_benchmarks",
    "request",
    "created_at",
    "updated_at",
}
GRANT_DETAIL_KEYS = GRANT_ROW_KEYS | {"evidence", "evidence_summary", "events", "allowed_actions"}
GRANT_EVENT_KEYS = {"at", "actor", "action", "from_status", "to_status", "reason", "evidence"}


@pytest.fixture
def grants(school, other_school, people):
    return {
        "hiring": grant(school, "people.hiring", actor=people["admin"]),
        "budget": grant(school, "money.budget", actor=people["admin"]),
        "other": grant(other_school, "people.hiring", actor=people["admin"]),
    }


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_grants_are_scoped_to_the_schools_a_user_may_see(clients, grants):
    own = {grants["hiring"].pk, grants["budget"].pk}
    everyone = own | {grants["other"].pk}
    expected = {
        "principal": own,
        "team": own,
        "liaison": own,
        "other_principal": {grants["other"].pk},
        "finance": everyone,
        "viewer": everyone,
        "admin": everyone,
    }
    for name, ids in expected.items():
        assert _ids(clients[name].get("/api/v1/grants/")) == ids, name
    assert _error(clients["principal"].get(f"/api/v1/grants/{grants['other'].pk}/"), 404)["error"] == "not_found"
    assert clients["liaison"].get(f"/api/v1/grants/{grants['other'].pk}/").status_code == 404


def test_grants_filter_by_school_domain_model_status_and_autonomy(clients, grants, school, other_school):
    client = clients["admin"]
    assert _ids(client.get("/api/v1/grants/", {"school": school.code})) == {grants["hiring"].pk, grants["budget"].pk}
    assert _ids(client.get("/api/v1/grants/", {"domain": "money"})) == {grants["budget"].pk}
    assert _ids(client.get("/api/v1/grants/", {"model": "full"})) == {grants["hiring"].pk, grants["other"].pk}
    assert _ids(client.get("/api/v1/grants/", {"autonomy": "people.hiring", "school": other_school.code})) == {
        grants["other"].pk
    }
    grant_change(actor=None, grant_id=grants["budget"].pk, action="put_at_risk", reason="A notice is out.")
    assert _ids(client.get("/api/v1/grants/", {"status": "at_risk"})) == {grants["budget"].pk}
    # A principal filtering on another school's code learns nothing.
    assert _ids(clients["principal"].get("/api/v1/grants/", {"school": other_school.code})) == set()
    for bad in ({"status": "sleeping"}, {"domain": "weather"}, {"model": "any"}, {"school": "x" * 21}):
        assert set(bad) <= set(_error(client.get("/api/v1/grants/", bad), 400)["fields"]), bad


def test_a_grant_comes_with_its_history(clients, grants, people):
    row = clients["principal"].get("/api/v1/grants/").json()["results"][0]
    assert set(row) == GRANT_ROW_KEYS
    detail = clients["principal"].get(f"/api/v1/grants/{grants['hiring'].pk}/").json()
    assert set(detail) == GRANT_DETAIL_KEYS
    assert detail["school"] == grants["hiring"].school.code and detail["granted_by"] == people["admin"].username
    assert detail["allowed_actions"] == []  # a principal may not change a grant
    (event,) = detail["events"]
    assert set(event) == GRANT_EVENT_KEYS
    assert event["from_status"] == "" and event["to_status"] == "active" and event["reason"] == "Granted in a test."
    admin_view = clients["admin"].get(f"/api/v1/grants/{grants['hiring'].pk}/").json()
    assert set(admin_view) == GRANT_DETAIL_KEYS and admin_view["allowed_actions"] == ["suspend", "revoke"]


def test_the_autonomy_office_suspends_restores_and_revokes_with_a_reason(clients, grants, people):
    client, pk = clients["admin"], grants["hiring"].pk
    response = client.post(
        f"/api/v1/grants/{pk}/suspend/",
        {"reason": "Vacancies above the limit.", "evidence_note": "HR report of Sept 1", "expected_status": "active"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "suspended" and body["allowed_actions"] == ["restore", "revoke"]
    last = body["events"][-1]
    assert last["actor"] == people["admin"].username and last["from_status"] == "active"
    assert last["to_status"] == "suspended" and last["reason"] == "Vacancies above the limit."
    assert last["evidence"] == {"note": "HR report of Sept 1"}
    assert client.post(f"/api/v1/grants/{pk}/restore/", {"reason": "Filled."}, format="json").json()["status"] == (
        "active"
    )
    revoked = client.post(f"/api/v1/grants/{pk}/revoke/", {"reason": "Repeated vacancies."}, format="json").json()
    assert revoked["status"] == "revoked" and revoked["allowed_actions"] == ["reinstate"]
    assert list(GrantEvent.objects.filter(grant_id=pk).values_list("to_status", flat=True)) == [
        "active",
        "suspended",
        "active",
        "revoked",
    ]


@pytest.mark.parametrize("name", ["principal", "team", "liaison", "finance", "viewer"])
def test_only_the_autonomy_office_changes_grants(clients, grants, name):
    body = _error(clients[name].post(f"/api/v1/grants/{grants['hiring'].pk}/suspend/", {"reason": "x"}), 403)
    assert body["detail"] == "Only the autonomy office can do this."
    assert AutonomyGrant.objects.get(pk=grants["hiring"].pk).status == "active"


def test_another_schools_grant_answers_404_before_any_permission(clients, grants):
    assert clients["principal"].post(f"/api/v1/grants/{grants['other'].pk}/revoke/", {"reason": "x"}).status_code == 404


def test_a_step_not_open_from_the_grants_status_or_a_stale_view_is_a_conflict(clients, grants):
    client, pk = clients["admin"], grants["hiring"].pk
    body = _error(client.post(f"/api/v1/grants/{pk}/restore/", {"reason": "Back."}, format="json"), 409)
    assert "active" in body["detail"]
    stale = client.post(f"/api/v1/grants/{pk}/suspend/", {"reason": "x", "expected_status": "suspended"}, format="json")
    assert "Somebody acted on this grant first" in _error(stale, 409)["detail"]
    assert AutonomyGrant.objects.get(pk=pk).status == "active"
    assert GrantEvent.objects.filter(grant_id=pk).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "a\x00b"}, "reason"),
        ({"reason": "x" * 4001}, "reason"),
        ({"reason": "ok", "evidence_note": "x" * 2001}, "evidence_note"),
        ({"reason": "ok", "expected_status": "sleeping"}, "expected_status"),
        ({"reason": "ok", "status": "active"}, "status"),
        ({"reason": "ok", "ends_on": "2030-01-01"}, "ends_on"),
        ({"reason": ["a"]}, "reason"),
    ],
)
def test_a_grant_change_with_bad_input_is_refused_naming_the_field(clients, grants, body, field):
    response = clients["admin"].post(f"/api/v1/grants/{grants['hiring'].pk}/suspend/", body, format="json")
    assert field in _error(response, 400)["fields"]
    assert AutonomyGrant.objects.get(pk=grants["hiring"].pk).status == "active"


@pytest.mark.parametrize("name", ["principal", "admin"])
def test_a_grants_dates_status_and_school_cannot_be_written(clients, grants, other_school, name):
    pk = grants["hiring"].pk
    before = AutonomyGrant.objects.values().get(pk=pk)
    change = {"starts_on": "2020-01-01", "ends_on": "2040-01-01", "status": "revoked", "school": other_school.code}
    for method in ("patch", "put"):
        assert getattr(clients[name], method)(f"/api/v1/grants/{pk}/", change, format="json").status_code == 405
    assert clients[name].delete(f"/api/v1/grants/{pk}/").status_code == 405
    assert AutonomyGrant.objects.values().get(pk=pk) == before


@pytest.mark.parametrize(
    "payload",
    ["not json", "[1, 2]", '"reason"', "null", "", '{"reason": 1e400}', '{"reason": {"a": 1}}', "\x00"],
)
def test_garbage_bodies_never_fail_the_server(clients, grants, payload):
    response = clients["admin"].generic(
        "POST", f"/api/v1/grants/{grants['hiring'].pk}/suspend/", payload, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"] in ("invalid", "parse_error")


# --- query counts: measured after a warm-up request, the same for 2 rows and 30 -------------------


def _grow_catalog(n: int, start: int) -> None:
    rating = Metric.objects.get(code="finance_rating")
    for i in range(start, start + n):
        autonomy = Autonomy.objects.create(code=f"money.extra_{i}", domain="money", name=f"Extra {i}", model="earned")
        EligibilityCriterion.objects.create(autonomy=autonomy, metric=rating, comparator=">=", threshold=Decimal(i))


def _grow_calls(n: int) -> None:
    for _ in range(n):
        CallFactory(questions=["One?", "Two?"])


def _grow_grants(n: int, people) -> None:
    """n schools of the liaison's caseload, three grants each, one of them with a history of two events."""
    codes = list(Autonomy.objects.order_by("code").values_list("code", flat=True)[:3])
    for _ in range(n):
        school = SchoolFactory(liaison=people["liaison"])
        issued = [grant(school, code, actor=people["admin"]) for code in codes]
        grant_change(actor=people["admin"], grant_id=issued[0].pk, action="suspend", reason="Test.")


GROW = {
    "/api/v1/autonomies/": lambda n, people, start: _grow_catalog(n, start),
    "/api/v1/calls/": lambda n, people, start: _grow_calls(n),
    "/api/v1/grants/": lambda n, people, start: _grow_grants(n, people),
}


@pytest.mark.parametrize(
    ("url", "name", "added"),
    [
        ("/api/v1/autonomies/", "admin", 30),
        ("/api/v1/autonomies/", "principal", 30),
        ("/api/v1/calls/", "admin", 30),
        ("/api/v1/calls/", "principal", 30),
        ("/api/v1/grants/", "admin", 90),
        ("/api/v1/grants/", "liaison", 90),
        ("/api/v1/grants/", "principal", 0),  # other schools' grants: none of them reach a principal
    ],
)
def test_list_query_counts_do_not_grow_with_rows(clients, people, django_assert_max_num_queries, url, name, added):
    client = clients[name]
    GROW[url](2, people, 0)
    client.get(url, {"limit": 500})
    with django_assert_max_num_queries(5) as few:
        first = client.get(url, {"limit": 500})
    GROW[url](30, people, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        second = client.get(url, {"limit": 500})
    assert second.json()["count"] - first.json()["count"] == added
