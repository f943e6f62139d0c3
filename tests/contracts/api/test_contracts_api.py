"""/api/v1/contracts/: reading per role (own and other school, drafts), the field sets each role gets,
filters, constant query counts; drafting from a template, amending, and the signature steps through the
services the pages call, with bad input refused per field and nothing changed."""

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from contracts.models import ContractStatus, PerformanceContract
from contracts.services import contract_countersign, contract_create_from_template, contract_propose, contract_sign
from schools.models import Role
from tests.accountability.builders import ela_template, school_years
from tests.factories import SchoolFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

S = ContractStatus
LIST_KEYS = {
    "id",
    "url",
    "school",
    "school_name",
    "version",
    "previous",
    "status",
    "term_start",
    "term_end",
    "summary",
    "amendment_reason",
    "proposed_at",
    "signed_by",
    "signed_at",
    "signed_name",
    "signed_address",
    "signed_content_sha256",
    "countersigned_by",
    "countersigned_at",
    "countersigned_name",
    "countersigned_address",
    "countersigned_content_sha256",
    "created_at",
    "updated_at",
}
DETAIL_KEYS = LIST_KEYS | {"content_sha256", "template", "benchmarks", "rules", "commitments", "grants", "events"}
BENCHMARK_KEYS = {
    "key",
    "metric",
    "kind",
    "comparator",
    "target",
    "baseline",
    "baseline_period",
    "periods",
    "exceeds_margin",
    "far_below_margin",
    "new_school_target",
    "binding_grant",
    "binding_autonomy",
    "position",
}
RULE_KEYS = {"key", "condition", "count", "level", "deadline_days", "remedy", "provision", "benchmark", "position"}
GRANT_KEYS = {"id", "autonomy", "autonomy_name", "model", "status", "starts_on", "ends_on"}
EVENT_KEYS = {"at", "actor", "action", "from_status", "to_status", "reason", "evidence"}


@pytest.fixture
def world(make_member):
    """Two schools, each with a principal; the first has a liaison, a held autonomy and an active
    contract; the second a contract proposed to it; and a draft for the first school's next term."""
    years = school_years()
    liaison = make_member(Role.LIAISON)
    own, other = SchoolFactory(liaison=liaison), SchoolFactory()
    admin = make_member(Role.ADMIN, first_name="Ada", last_name="Office")
    principal = make_member(Role.PRINCIPAL, school=own, first_name="Pat", last_name="Rivera")
    other_principal = make_member(Role.PRINCIPAL, school=other)
    template = ela_template()
    grant(own, "people.hiring", actor=admin)
    active = contract_create_from_template(
        actor=admin, school=own, template=template, term_start=years[1], term_end=years[2]
    )
    contract_propose(actor=admin, contract_id=active.pk)
    contract_sign(actor=principal, contract_id=active.pk, password="correct-horse-battery")
    contract_countersign(actor=admin, contract_id=active.pk, password="correct-horse-battery")
    proposed = contract_create_from_template(
        actor=admin, school=other, template=template, term_start=years[1], term_end=years[1]
    )
    contract_propose(actor=admin, contract_id=proposed.pk)
    draft = contract_create_from_template(
        actor=admin, school=own, template=template, term_start=years[2], term_end=years[2]
    )
    return {
        "years": years,
        "template": template,
        "own": own,
        "other": other,
        "admin": admin,
        "principal": principal,
        "other_principal": other_principal,
        "team": make_member(Role.SCHOOL_TEAM, school=own),
        "liaison": liaison,
        "reviewer": make_member(Role.REVIEWER, function="finance"),
        "viewer": make_member(Role.VIEWER),
        "nobody": UserFactory(),
        "active": PerformanceContract.objects.get(pk=active.pk),
        "proposed": PerformanceContract.objects.get(pk=proposed.pk),
        "draft": draft,
    }


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _url(contract, action: str = "") -> str:
    return f"/api/v1/contracts/{contract.pk}/" + (f"{action}/" if action else "")


# --- reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("admin", {"active", "proposed", "draft"}),
        ("viewer", {"active", "proposed"}),
        ("reviewer", {"active", "proposed"}),
        ("liaison", {"active"}),
        ("principal", {"active"}),
        ("team", {"active"}),
        ("other_principal", {"proposed"}),
        ("nobody", set()),
    ],
)
def test_the_list_holds_the_contracts_each_role_may_see(world, api_for, role, sees):
    ids = _ids(api_for(world[role]).get("/api/v1/contracts/"))
    assert sorted(ids) == sorted(world[name].pk for name in sees)


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("principal", "active", 200),
        ("principal", "proposed", 404),  # another school's
        ("principal", "draft", 404),  # drafts stay with the autonomy office
        ("team", "active", 200),
        ("other_principal", "active", 404),
        ("liaison", "active", 200),
        ("liaison", "proposed", 404),  # not in the caseload
        ("viewer", "draft", 404),
        ("admin", "draft", 200),
        ("nobody", "active", 404),
    ],
)
def test_retrieving_another_schools_contract_or_a_draft_is_404(world, api_for, role, name, status):
    response = api_for(world[role]).get(_url(world[name]))
    assert response.status_code == status
    if status == 404:
        assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("role", ["admin", "principal", "team", "liaison", "viewer", "reviewer"])
def test_every_role_gets_the_same_pinned_fields(world, api_for, role):
    client = api_for(world[role])
    row = client.get("/api/v1/contracts/", {"school": world["own"].code, "status": "active"}).json()["results"][0]
    assert set(row) == LIST_KEYS
    body = client.get(_url(world["active"])).json()
    assert set(body) == DETAIL_KEYS
    assert {frozenset(b) for b in body["benchmarks"]} == {frozenset(BENCHMARK_KEYS)}
    assert {frozenset(r) for r in body["rules"]} == {frozenset(RULE_KEYS)}
    assert {frozenset(g) for g in body["grants"]} == {frozenset(GRANT_KEYS)}
    assert {frozenset(e) for e in body["events"]} == {frozenset(EVENT_KEYS)}


def test_the_detail_reads_as_the_contract(world, api_for):
    body = api_for(world["principal"]).get(_url(world["active"])).json()
    assert body["status"] == "active" and body["school"] == world["own"].code
    assert (body["term_start"], body["term_end"], body["version"], body["previous"]) == ("2026-27", "2027-28", 1, None)
    assert body["template"] == world["template"].name
    assert body["signed_name"] == "Pat Rivera" and body["countersigned_name"] == "Ada Office"
    (benchmark,) = body["benchmarks"]
    assert (benchmark["key"], benchmark["metric"], benchmark["comparator"], benchmark["target"]) == (
        "ela",
        "ela_proficiency",
        ">=",
        "50.0000",
    )
    (rule,) = body["rules"]
    assert (rule["key"], rule["condition"], rule["level"], rule["provision"]) == (
        "one-missed",
        "n_missed",
        1,
        "Section 5.1",
    )
    (held,) = body["grants"]
    assert (held["autonomy"], held["status"]) == ("people.hiring", "active")
    assert [e["action"] for e in body["events"]] == ["create", "propose", "sign", "countersign"]
    assert body["url"].endswith(_url(world["active"]))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"status": "proposed"}, {"proposed"}),
        ({"status": "draft"}, {"draft"}),
        ({"school": "T-NONE"}, set()),
        ({"term": "2026-27"}, {"active", "proposed"}),
        ({"term": "2027-28"}, {"active", "draft"}),
        ({"term": "2030-31"}, set()),
    ],
)
def test_filters_narrow_the_list(world, api_for, query, names):
    ids = _ids(api_for(world["admin"]).get("/api/v1/contracts/", query))
    assert sorted(ids) == sorted(world[name].pk for name in names)


def test_the_school_filter_takes_a_code(world, api_for):
    ids = _ids(api_for(world["admin"]).get("/api/v1/contracts/", {"school": world["own"].code}))
    assert sorted(ids) == sorted([world["active"].pk, world["draft"].pk])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "signed-ish"}, "status"),
        ({"term": "2026"}, "term"),
        ({"term": "a\x00b"}, "term"),
        ({"school": "x" * 300}, "school"),
    ],
)
def test_a_bad_filter_is_400_naming_it(world, api_for, query, field):
    response = api_for(world["admin"]).get("/api/v1/contracts/", query)
    assert response.status_code == 400 and field in response.json()["fields"]


@pytest.mark.parametrize("junk", ["abc", "0", "99999999999999999999999", "1.5", "%00"])
def test_junk_ids_are_404(world, api_for, junk):
    assert api_for(world["admin"]).get(f"/api/v1/contracts/{junk}/").status_code == 404


def test_the_list_is_ordered_stably_whatever_the_client_asks(world, api_for):
    client = api_for(world["admin"])
    for ordering in ("status", "-status", "version", "-created_at"):
        first = _ids(client.get("/api/v1/contracts/", {"ordering": ordering, "limit": 2}))
        rest = _ids(client.get("/api/v1/contracts/", {"ordering": ordering, "limit": 2, "offset": 2}))
        assert len(set(first + rest)) == 3, ordering


def test_the_list_costs_the_same_queries_for_2_and_30_contracts(
    world, api_for, django_assert_max_num_queries, make_member
):
    client = api_for(world["admin"])
    client.get("/api/v1/contracts/")
    with django_assert_max_num_queries(4) as few:
        client.get("/api/v1/contracts/")
    for school in SchoolFactory.create_batch(27):
        contract_create_from_template(
            actor=world["admin"],
            school=school,
            template=world["template"],
            term_start=world["years"][1],
            term_end=world["years"][2],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_ids(client.get("/api/v1/contracts/"))) == 30


def test_anonymous_is_401():
    assert APIClient().get("/api/v1/contracts/").status_code == 401


# --- drafting from a template ----------------------------------------------------------------------


def _new(world, **changes):
    return {
        "school": world["other"].code,
        "template": world["template"].name,
        "term_start": "2027-28",
        "term_end": "2027-28",
        **changes,
    }


def test_the_admin_drafts_a_contract_from_a_template(world, api_for):
    response = api_for(world["admin"]).post("/api/v1/contracts/", _new(world, summary="For the pilot."), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    contract = PerformanceContract.objects.get(pk=body["id"])
    assert response["Location"] == body["url"] and body["url"].endswith(_url(contract))
    assert (contract.school, contract.status, contract.summary) == (world["other"], S.DRAFT, "For the pilot.")
    assert [b["key"] for b in body["benchmarks"]] == ["ela"] and [r["key"] for r in body["rules"]] == ["one-missed"]
    assert contract.created_by == world["admin"]


def test_what_a_client_may_not_set_is_ignored_when_drafting(world, api_for):
    sneaky = _new(world, status="active", version=7, created_by=world["principal"].pk, signed_name="Forged")
    body = api_for(world["admin"]).post("/api/v1/contracts/", sneaky, format="json").json()
    contract = PerformanceContract.objects.get(pk=body["id"])
    assert (contract.status, contract.version, contract.signed_name) == (S.DRAFT, 1, "")
    assert contract.created_by == world["admin"]


@pytest.mark.parametrize("role", ["principal", "team", "liaison", "reviewer", "viewer", "nobody"])
def test_only_the_autonomy_office_drafts(world, api_for, role):
    before = PerformanceContract.objects.count()
    response = api_for(world[role]).post("/api/v1/contracts/", _new(world), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the autonomy office drafts and amends contracts."
    assert PerformanceContract.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"school": "NOPE"}, "school"),
        ({"school": None}, "school"),
        ({"school": ["a"]}, "school"),
        ({"school": "a\x00b"}, "school"),
        ({"template": "No such template"}, "template"),
        ({"template": 12}, "template"),
        ({"term_start": "2099-00"}, "term_start"),
        ({"term_end": {"label": "2027-28"}}, "term_end"),
        ({"summary": "x" * 2001}, "summary"),
        ({"summary": "a\x00b"}, "summary"),
        ({"summary": 42}, "summary"),
        ({"term_start": "2027-28", "term_end": "2026-27"}, "term_end"),  # the service's rule
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(world, api_for, changes, field):
    before = PerformanceContract.objects.count()
    response = api_for(world["admin"]).post("/api/v1/contracts/", _new(world, **changes), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid" and field in body["fields"], body
    assert PerformanceContract.objects.count() == before


@pytest.mark.parametrize("missing", ["school", "template", "term_start", "term_end"])
def test_each_missing_field_is_named(world, api_for, missing):
    data = _new(world)
    del data[missing]
    response = api_for(world["admin"]).post("/api/v1/contracts/", data, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {missing}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("", "application/json"),
        ("not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('"a string"', "application/json"),
        ("school=T1", "application/x-www-form-urlencoded"),
        ("[" * 50_000, "application/json"),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(world, api_for, body, content_type):
    before = PerformanceContract.objects.count()
    response = api_for(world["admin"]).generic("POST", "/api/v1/contracts/", body, content_type=content_type)
    assert 400 <= response.status_code < 500, response.content
    assert PerformanceContract.objects.count() == before


# --- amending ------------------------------------------------------------------------------------------


def test_the_admin_amends_the_version_in_force(world, api_for):
    client = api_for(world["admin"])
    response = client.post(_url(world["active"], "amend"), {"reason": "New targets."}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["version"], body["previous"], body["status"], body["amendment_reason"]) == (
        2,
        world["active"].pk,
        "draft",
        "New targets.",
    )
    assert response["Location"] == body["url"]
    assert PerformanceContract.objects.get(pk=world["active"].pk).status == S.ACTIVE
    again = client.post(_url(world["active"], "amend"), {"reason": "Again."}, format="json")
    assert again.status_code == 409 and again.json()["error"] == "conflict"


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("admin", "draft", 409),  # not in force: edit it instead
        ("admin", "proposed", 409),
        ("principal", "active", 403),
        ("viewer", "active", 403),
        ("other_principal", "active", 404),
        ("principal", "draft", 404),
    ],
)
def test_amending_what_is_not_in_force_or_not_yours_is_refused(world, api_for, role, name, status):
    before = PerformanceContract.objects.count()
    response = api_for(world[role]).post(_url(world[name], "amend"), {"reason": "Why not."}, format="json")
    assert response.status_code == status
    assert PerformanceContract.objects.count() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "reason"),
        ({"reason": "  "}, "reason"),
        ({"reason": "ok", "expected_status": "nonsense"}, "expected_status"),
    ],
)
def test_an_amendment_needs_a_reason(world, api_for, data, field):
    response = api_for(world["admin"]).post(_url(world["active"], "amend"), data, format="json")
    assert response.status_code == 400 and field in response.json()["fields"]
    assert not PerformanceContract.objects.filter(previous=world["active"]).exists()


def test_a_stale_expected_status_is_409(world, api_for):
    response = api_for(world["admin"]).post(
        _url(world["active"], "amend"), {"reason": "x", "expected_status": "signed"}, format="json"
    )
    assert response.status_code == 409


# --- the signature steps ---------------------------------------------------------------------------


def test_propose_sign_countersign_through_the_api(world, api_for):
    admin, principal = api_for(world["admin"]), api_for(world["principal"])
    draft = world["draft"]
    assert principal.post(_url(draft, "sign"), {}, format="json").status_code == 404  # a draft is not theirs yet

    response = admin.post(_url(draft, "propose"), {"expected_status": "draft"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "proposed"

    refused = principal.post(
        _url(draft, "sign"), {"confirm": False, "password": "correct-horse-battery"}, format="json"
    )
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"confirm"}
    refused = principal.post(
        _url(draft, "sign"), {"confirm": "yes", "password": "correct-horse-battery"}, format="json"
    )
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"confirm"}
    refused = principal.post(_url(draft, "sign"), {"confirm": True, "signed_name": "Mickey Mouse"}, format="json")
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"password"}
    refused = principal.post(_url(draft, "sign"), {"confirm": True, "password": "Mickey Mouse"}, format="json")
    assert refused.status_code == 400 and refused.json()["fields"] == {
        "password": ["That is not your password. Enter the password you sign in with."]
    }
    contract = PerformanceContract.objects.get(pk=draft.pk)
    assert (contract.status, contract.signed_at, contract.signed_name) == (S.PROPOSED, None, "")
    # A wrong password counts as a failed sign-in for the login throttle, as on the page.
    assert AccessAttempt.objects.get(username=world["principal"].get_username()).failures_since_start == 1

    response = principal.post(
        _url(draft, "sign"), {"confirm": True, "password": "correct-horse-battery"}, format="json"
    )
    assert response.status_code == 200 and response.json()["signed_name"] == "Pat Rivera"

    body = response.json()
    assert (body["signed_by"], body["signed_address"]) == (world["principal"].get_username(), "127.0.0.1")
    assert body["signed_content_sha256"] == body["content_sha256"] and len(body["content_sha256"]) == 64
    assert "password" not in body

    refused = admin.post(_url(draft, "countersign"), {"password": "wrong-password"}, format="json")
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"password"}
    assert PerformanceContract.objects.get(pk=draft.pk).status == S.SIGNED
    response = admin.post(_url(draft, "countersign"), {"password": "correct-horse-battery"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    assert response.json()["countersigned_name"] == "Ada Office"
    assert PerformanceContract.objects.get(pk=world["active"].pk).status == S.SUPERSEDED


@pytest.mark.parametrize(
    ("role", "name", "step", "data", "status"),
    [
        (
            "admin",
            "proposed",
            "sign",
            {"confirm": True, "password": "correct-horse-battery"},
            403,
        ),  # the principal's step
        ("reviewer", "proposed", "sign", {"confirm": True, "password": "correct-horse-battery"}, 403),
        ("other_principal", "proposed", "countersign", {"password": "correct-horse-battery"}, 409),  # not signed yet
        ("principal", "active", "sign", {"confirm": True, "password": "correct-horse-battery"}, 409),  # signed long ago
        ("admin", "active", "propose", {}, 409),
        (
            "principal",
            "proposed",
            "sign",
            {"confirm": True, "password": "correct-horse-battery"},
            404,
        ),  # not their school
        ("viewer", "proposed", "propose", {}, 409),
        ("viewer", "draft", "propose", {}, 404),
        (
            "other_principal",
            "proposed",
            "sign",
            {"confirm": True, "password": "correct-horse-battery", "expected_status": "draft"},
            409,
        ),
    ],
)
def test_a_step_not_open_is_409_and_one_not_yours_is_403(world, api_for, role, name, step, data, status):
    contract = world[name]
    response = api_for(world[role]).post(_url(contract, step), data, format="json")
    assert response.status_code == status, response.content
    assert PerformanceContract.objects.get(pk=contract.pk).status == contract.status


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_contract_is_never_written_directly(world, api_for, method):
    contract = world["proposed"]
    response = getattr(api_for(world["other_principal"]), method)(
        _url(contract), {"status": "active", "school": world["own"].code}, format="json"
    )
    assert response.status_code == 405
    fresh = PerformanceContract.objects.get(pk=contract.pk)
    assert (fresh.status, fresh.school_id) == (S.PROPOSED, world["other"].pk)
