"""Autonomy requests through the API: drafting, every workflow step for each role that may and may not,
mass assignment, the fields each role receives, bad input, query counts and a whole journey."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from autonomy.models import AutonomyGrant, AutonomyRequest, ItemDecision, RequestStatus, ReviewComment
from autonomy.services import request_comment
from metrics.models import Metric, Observation
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def call():
    return CallFactory(offers=["people.hiring", "money.budget", "program.curriculum"], questions=["Families?"])


@pytest.fixture
def draft(people, school, call):
    """A complete draft of the school asking for program.curriculum (routed to academics)."""
    return complete_request(principal=people["principal"], school=school, call=call)


@pytest.fixture
def submitted(people, school, call):
    return complete_request(principal=people["principal"], school=school, call=call, submit=True)


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "detail", "fields"}
    return body


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def _status(request) -> str:
    return AutonomyRequest.objects.get(pk=request.pk).status


DRAFT = {
    "autonomies": ["program.curriculum", "money.budget"],
    "items": [
        {"autonomy": "program.curriculum", "justification": "Our readers need it.", "barrier": "Policy 6.1"},
        {"autonomy": "money.budget", "justification": "Spend on tutors."},
    ],
    "plan": "Adopt the new curriculum in grades 3-5.",
    "outcomes": [{"metric": "ela_proficiency", "baseline": "41", "target": 52.5, "by_period": "2027-28"}],
}


# --- creating and editing the draft ---------------------------------------------------------------


def test_a_principal_starts_a_draft_with_all_its_parts_at_once(clients, people, school, call):
    question = call.questions.get()
    body = {**DRAFT, "call": call.pk, "answers": [{"question": question.pk, "text": "Family nights."}]}
    created = _ok(clients["principal"].post("/api/v1/requests/", body, format="json"), 201)
    assert created["status"] == "draft" and created["school"] == school.code and created["call"] == call.pk
    assert created["created_by"] == people["principal"].username
    items = {item["autonomy"]: item for item in created["items"]}
    assert items["program.curriculum"]["barrier"] == "Policy 6.1" and items["money.budget"]["barrier"] == ""
    assert created["plan"] == DRAFT["plan"]
    assert created["answers"] == [{"question": question.pk, "question_text": "Families?", "text": "Family nights."}]
    assert created["outcomes"] == [
        {
            "metric": "ela_proficiency",
            "metric_name": "Proficiency in ELA",
            "baseline": "41.0000",
            "target": "52.5000",
            "by_period": "2027-28",
        }
    ]
    assert created["missing"] == {} and set(created["allowed_actions"]) == {"edit", "submit", "withdraw"}
    assert [event["action"] for event in created["events"]] == ["create"]


def test_a_team_member_may_start_and_edit_but_only_the_principal_submits(clients, call):
    created = _ok(clients["team"].post("/api/v1/requests/", {"call": call.pk}, format="json"), 201)
    assert created["allowed_actions"] == ["edit"]
    body = _error(clients["team"].post(f"/api/v1/requests/{created['id']}/submit/"), 403)
    assert body["detail"] == "Only the school's principal can do this."


@pytest.mark.parametrize("name", ["admin", "finance", "viewer", "liaison"])
def test_only_school_staff_start_requests(clients, call, name):
    body = _error(clients[name].post("/api/v1/requests/", {"call": call.pk}, format="json"), 403)
    assert body["detail"] == "Only a school's principal or leadership team can start its request."
    assert not AutonomyRequest.objects.exists()


def test_naming_another_school_is_refused_the_same_whether_it_exists_or_not(clients, other_school, call):
    for code in (other_school.code, "NOPE"):
        body = _error(clients["principal"].post("/api/v1/requests/", {"call": call.pk, "school": code}), 403)
        assert body["detail"] == "Only a school's principal or leadership team can start its request."
    assert not AutonomyRequest.objects.exists()


def test_someone_acting_for_two_schools_names_one(api_for, school, other_school, call):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.PRINCIPAL, school=school)
    MembershipFactory(user=user, role=Role.SCHOOL_TEAM, school=other_school)
    client = api_for(user)
    client.default_format = "json"
    assert "school" in _error(client.post("/api/v1/requests/", {"call": call.pk}), 400)["fields"]
    created = _ok(client.post("/api/v1/requests/", {"call": call.pk, "school": other_school.code}), 201)
    assert created["school"] == other_school.code


def test_a_closed_call_an_unknown_call_or_a_second_open_request_is_refused(clients, call, draft):
    closed = CallFactory(opens_on=TODAY() - datetime.timedelta(days=9), closes_on=TODAY() - datetime.timedelta(days=1))
    client = clients["principal"]
    assert "call" in _error(client.post("/api/v1/requests/", {"call": closed.pk}), 400)["fields"]
    assert "call" in _error(client.post("/api/v1/requests/", {"call": 99999999}), 400)["fields"]
    assert "call" in _error(client.post("/api/v1/requests/", {"call": call.pk}), 400)["fields"]
    assert AutonomyRequest.objects.count() == 1


def test_a_draft_refused_in_any_part_is_not_created_at_all(clients, call):
    body = {
        **DRAFT,
        "call": call.pk,
        "outcomes": [{"metric": "ela_proficiency", "target": 150, "by_period": "2027-28"}],
    }
    refused = _error(clients["principal"].post("/api/v1/requests/", body, format="json"), 400)
    assert (
        list(refused["fields"]) == ["outcomes.0.target"]
        and "outside Proficiency in ELA's range 0–100" in refused["detail"]
    )
    assert not AutonomyRequest.objects.exists()


def test_the_school_edits_its_draft_part_by_part(clients, draft, call):
    client, url = clients["principal"], f"/api/v1/requests/{draft.pk}/"
    edited = _ok(client.patch(url, {"autonomies": ["program.curriculum", "people.hiring"]}, format="json"))
    assert [item["autonomy"] for item in edited["items"]] == ["people.hiring", "program.curriculum"]
    # What was written for an autonomy still chosen is kept; the new one needs its reason.
    assert edited["items"][1]["justification"] == "We need Choose curriculum."
    assert list(edited["missing"]) == ["items.0.justification"]
    edited = _ok(client.patch(url, {"items": [{"autonomy": "people.hiring", "justification": "Hire early."}]}))
    assert edited["items"][0]["justification"] == "Hire early." and edited["missing"] == {}
    # A part left out is kept: a justification alone keeps the barrier written before.
    edited = _ok(client.patch(url, {"items": [{"autonomy": "program.curriculum", "justification": "Readers."}]}))
    assert edited["items"][1]["barrier"] == "Policy 7.2 requires approval."
    question = call.questions.get()
    edited = _ok(client.patch(url, {"answers": [{"question": question.pk, "text": "Weekly."}]}, format="json"))
    assert edited["answers"][0]["text"] == "Weekly." and edited["plan"] == "Our plan."
    edited = _ok(client.patch(url, {"plan": "A new plan."}, format="json"))
    assert edited["plan"] == "A new plan." and edited["answers"][0]["text"] == "Weekly."
    edited = _ok(client.patch(url, {"outcomes": []}, format="json"))
    assert edited["outcomes"] == [] and list(edited["missing"]) == ["outcomes"]
    assert _ok(client.patch(url, {}, format="json"))["id"] == draft.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"autonomies": []}, "autonomies"),
        ({"autonomies": ["time.schedule"]}, "autonomies"),  # in the catalog, not offered by this call
        ({"autonomies": ["money.nothing"]}, "autonomies"),
        ({"autonomies": "program.curriculum"}, "autonomies"),
        ({"autonomies": [7]}, "autonomies.0"),
        ({"items": [{"autonomy": "money.budget", "justification": "x"}]}, "items.0.autonomy"),
        ({"items": [{"autonomy": "program.curriculum"}, {"autonomy": "program.curriculum"}]}, "items.1.autonomy"),
        ({"items": [{"justification": "x"}]}, "items.0.autonomy"),
        ({"items": [{"autonomy": "program.curriculum", "decision": "approved"}]}, "items.0.decision"),
        ({"items": {"autonomy": "program.curriculum"}}, "items"),
        ({"plan": "a\x00b"}, "plan"),
        ({"plan": "x" * 20_001}, "plan"),
        ({"plan": 12}, "plan"),
        ({"answers": [{"question": 99999999, "text": "x"}]}, "answers"),
        ({"answers": [{"question": "first", "text": "x"}]}, "answers.0.question"),
        ({"answers": [{"question": 10**30, "text": "x"}]}, "answers.0.question"),
        ({"outcomes": [{"metric": "nothing", "target": 5, "by_period": "2027-28"}]}, "outcomes.0.metric"),
        ({"outcomes": [{"metric": "ela_proficiency", "target": 50, "by_period": "2027"}]}, "outcomes.0.by_period"),
        ({"outcomes": [{"metric": "ela_proficiency", "target": "NaN", "by_period": "2027-28"}]}, "outcomes.0.target"),
        ({"outcomes": [{"metric": "ela_proficiency", "target": 1e300, "by_period": "2027-28"}]}, "outcomes.0.target"),
        ({"outcomes": [{"metric": "ela_proficiency", "by_period": "2027-28"}]}, "outcomes.0.target"),
        (
            {"outcomes": [{"metric": "ela_proficiency", "baseline": -1, "target": 50, "by_period": "2027-28"}]},
            "outcomes.0.baseline",
        ),
        ({"outcomes": [{"metric": "ela_proficiency", "target": 5, "by_period": "2027-28"}] * 21}, "outcomes"),
    ],
)
def test_bad_draft_input_is_refused_naming_the_field_and_nothing_is_saved(clients, draft, body, field):
    before = _ok(clients["principal"].get(f"/api/v1/requests/{draft.pk}/"))
    refused = _error(clients["principal"].patch(f"/api/v1/requests/{draft.pk}/", body, format="json"), 400)
    assert field in refused["fields"] or f"{field}.non_field_errors" in refused["fields"], refused
    after = _ok(clients["principal"].get(f"/api/v1/requests/{draft.pk}/"))
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


def test_a_refusal_late_in_a_patch_undoes_the_parts_before_it(clients, draft):
    body = {"plan": "Changed.", "autonomies": ["money.budget"], "outcomes": [{"metric": "x", "target": 1}]}
    _error(clients["principal"].patch(f"/api/v1/requests/{draft.pk}/", body, format="json"), 400)
    body["outcomes"] = [{"metric": "unknown_metric", "target": 1, "by_period": "2027-28"}]
    _error(clients["principal"].patch(f"/api/v1/requests/{draft.pk}/", body, format="json"), 400)
    draft.refresh_from_db()
    assert draft.plan == "Our plan."
    assert list(draft.items.values_list("autonomy__code", flat=True)) == ["program.curriculum"]


@pytest.mark.parametrize(
    "change",
    [
        {"status": "approved"},
        {"school": "OTHER"},
        {"decided_by": 1},
        {"decided_at": "2026-01-01T00:00:00Z"},
        {"submitted_at": "2026-01-01T00:00:00Z"},
        {"call": 1},
        {"created_by": 1},
        {"decision_note": "Approved."},
        {"id": 5},
        {"items": [{"autonomy": "program.curriculum", "decision": "approved", "override_reason": "x"}]},
        {"status": "approved", "plan": "Sneaked in."},
    ],
)
def test_mass_assignment_changes_nothing_and_names_the_field(clients, draft, change, other_school, people):
    other_school.code = "OTHER"
    other_school.save(update_fields=["code"])
    before = AutonomyRequest.objects.values().get(pk=draft.pk)
    items_before = list(draft.items.values())
    refused = _error(clients["principal"].patch(f"/api/v1/requests/{draft.pk}/", change, format="json"), 400)
    named = {key.split(".")[0] if key.startswith("items") else key for key in refused["fields"]}
    assert named <= set(change) and named, refused
    assert AutonomyRequest.objects.values().get(pk=draft.pk) == before
    assert list(draft.items.values()) == items_before


def test_who_may_edit_which_request(clients, draft, people, other_school, call):
    url = f"/api/v1/requests/{draft.pk}/"
    assert _error(clients["other_principal"].patch(url, {"plan": "x"}), 404)["error"] == "not_found"
    for name in ("admin", "finance", "academics", "liaison", "viewer"):
        assert clients[name].patch(url, {"plan": "x"}).status_code == 404, name  # drafts stay with the school
    assert _ok(clients["team"].patch(url, {"plan": "Team plan."}))["plan"] == "Team plan."
    # Once submitted, the school waits: a conflict with the state, not a question of who.
    sent = complete_request(principal=people["other_principal"], school=other_school, call=call, submit=True)
    refused = _error(clients["other_principal"].patch(f"/api/v1/requests/{sent.pk}/", {"plan": "x"}), 409)
    assert "with the central office" in refused["detail"]
    assert _error(clients["admin"].patch(f"/api/v1/requests/{sent.pk}/", {"plan": "x"}), 403)["detail"] == (
        "Only the school's staff can do this."
    )
    assert clients["admin"].put(f"/api/v1/requests/{sent.pk}/", {"plan": "x"}).status_code == 405
    assert clients["principal"].delete(url).status_code == 405


# --- who sees which requests ----------------------------------------------------------------------


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_requests_are_listed_as_the_pages_show_them(clients, people, school, other_school, call):
    own_draft = complete_request(principal=people["principal"], school=school, call=call)
    second_call = CallFactory(offers=["money.budget"])
    own_sent = complete_request(
        principal=people["principal"], school=school, call=second_call, codes=("money.budget",), submit=True
    )
    other_draft = complete_request(
        principal=people["other_principal"], school=other_school, call=second_call, codes=("money.budget",)
    )
    other_sent = complete_request(principal=people["other_principal"], school=other_school, call=call, submit=True)
    expected = {
        "principal": {own_draft.pk, own_sent.pk},
        "team": {own_draft.pk, own_sent.pk},
        "other_principal": {other_draft.pk, other_sent.pk},
        "liaison": {own_sent.pk},  # the caseload's, once submitted
        "finance": {own_sent.pk},  # routed to finance (money)
        "academics": {other_sent.pk},  # routed to academics (program)
        "hr": set(),
        "viewer": {own_sent.pk, other_sent.pk},
        "admin": {own_sent.pk, other_sent.pk},
    }
    for name, ids in expected.items():
        assert _ids(clients[name].get("/api/v1/requests/")) == ids, name
    assert clients["finance"].get(f"/api/v1/requests/{other_sent.pk}/").status_code == 404
    assert clients["principal"].get(f"/api/v1/requests/{other_draft.pk}/").status_code == 404
    admin = clients["admin"]
    assert _ids(admin.get("/api/v1/requests/", {"school": school.code})) == {own_sent.pk}
    assert _ids(admin.get("/api/v1/requests/", {"call": call.pk})) == {other_sent.pk}
    assert _ids(clients["principal"].get("/api/v1/requests/", {"status": "draft"})) == {own_draft.pk}
    assert _ids(clients["principal"].get("/api/v1/requests/", {"school": other_school.code})) == set()
    for bad in ({"status": "lost"}, {"call": "abc"}, {"call": "1e400"}, {"school": "x" * 21}):
        assert set(bad) <= set(_error(admin.get("/api/v1/requests/", bad), 400)["fields"]), bad
    for junk in ("abc", "99999999999999999999", "-1"):
        assert admin.get(f"/api/v1/requests/{junk}/").status_code == 404


def test_the_list_is_in_a_stable_order(clients, people, school, call):
    calls = [call] + [CallFactory() for _ in range(4)]
    for each in calls:
        complete_request(principal=people["principal"], school=school, call=each)
    AutonomyRequest.objects.update(updated_at=timezone.now())  # equal values: the id decides
    ids = [row["id"] for row in clients["principal"].get("/api/v1/requests/").json()["results"]]
    assert ids == sorted(ids, reverse=True)
    paged = [
        row["id"]
        for offset in range(0, 5, 2)
        for row in clients["principal"].get("/api/v1/requests/", {"limit": 2, "offset": offset}).json()["results"]
    ]
    assert paged == ids
    oldest = clients["principal"].get("/api/v1/requests/", {"ordering": "created_at"}).json()["results"]
    assert [row["id"] for row in oldest] == sorted(ids)


# --- the fields each role receives ----------------------------------------------------------------

ROW_KEYS = {
    "id",
    "school",
    "school_name",
    "call",
    "call_title",
    "status",
    "autonomies",
    "created_at",
    "updated_at",
    "submitted_at",
    "decided_at",
}
DETAIL_KEYS = ROW_KEYS | {
    "plan",
    "created_by",
    "decided_by",
    "decision_note",
    "items",
    "answers",
    "outcomes",
    "events",
    "comments",
    "missing",
    "allowed_actions",
}
ITEM_KEYS = {
    "id",
    "autonomy",
    "autonomy_name",
    "domain",
    "model",
    "justification",
    "barrier",
    "decision",
    "decision_note",
    "override_reason",
    "eligibility",
}
COMMENT_KEYS = {"id", "created_at", "author", "function", "body", "to_school", "recommendation"}
EVENT_KEYS = {"at", "actor", "action", "from_status", "to_status", "reason", "evidence"}


@pytest.fixture
def reviewed(people, submitted):
    request_comment(actor=people["academics"], request_id=submitted.pk, body="Internal: weak evidence.")
    request_comment(
        actor=people["academics"],
        request_id=submitted.pk,
        body="Please add a timeline.",
        to_school=True,
        recommendation="return",
        function="academics",
    )
    return submitted


@pytest.mark.parametrize(
    ("name", "sees_internal", "actions"),
    [
        ("principal", False, ["withdraw"]),
        ("team", False, []),
        ("liaison", False, []),
        ("academics", True, ["comment", "recommend"]),
        ("viewer", False, []),  # board members read what the school reads
        ("admin", True, ["comment", "recommend", "approve", "decline", "return"]),
    ],
)
def test_each_role_receives_a_pinned_field_set_and_only_the_comments_it_may_read(
    clients, reviewed, name, sees_internal, actions
):
    body = _ok(clients[name].get(f"/api/v1/requests/{reviewed.pk}/"))
    assert set(body) == DETAIL_KEYS
    assert {key for item in body["items"] for key in item} == ITEM_KEYS
    assert {key for event in body["events"] for key in event} == EVENT_KEYS
    assert {key for comment in body["comments"] for key in comment} == COMMENT_KEYS
    bodies = [comment["body"] for comment in body["comments"]]
    if sees_internal:
        assert bodies == ["Internal: weak evidence.", "Please add a timeline."]
    else:
        assert bodies == ["Please add a timeline."]
        assert "weak evidence" not in str(body)
    assert body["comments"][-1]["recommendation"] == "return"
    assert body["allowed_actions"] == actions
    row = clients[name].get("/api/v1/requests/").json()["results"][0]
    assert set(row) == ROW_KEYS


# --- the workflow's steps -------------------------------------------------------------------------


def test_submit_lists_what_is_missing_by_field_and_keeps_the_draft(clients, people, school, call):
    client = clients["principal"]
    created = _ok(client.post("/api/v1/requests/", {"call": call.pk, "autonomies": ["money.budget"]}), 201)
    refused = _error(client.post(f"/api/v1/requests/{created['id']}/submit/"), 400)
    assert refused["detail"] == "The request is not complete yet."
    assert set(refused["fields"]) == {"items.0.justification", "plan", "answers.0", "outcomes"}
    assert refused["fields"] == created["missing"]
    assert AutonomyRequest.objects.get(pk=created["id"]).status == "draft"


def test_the_principal_submits_and_a_second_submit_is_a_conflict(clients, draft):
    url = f"/api/v1/requests/{draft.pk}/submit/"
    body = _ok(clients["principal"].post(url, {"expected_status": "draft"}, format="json"))
    assert body["status"] == "submitted" and body["submitted_at"] and body["missing"] == {}
    assert body["allowed_actions"] == ["withdraw"]
    assert "submitted" in _error(clients["principal"].post(url), 409)["detail"]


def test_a_stale_view_is_a_conflict_and_nothing_moves(clients, draft):
    response = clients["principal"].post(
        f"/api/v1/requests/{draft.pk}/withdraw/", {"expected_status": "submitted"}, format="json"
    )
    assert "Somebody acted on this request first" in _error(response, 409)["detail"]
    assert _status(draft) == "draft"


def test_submitting_outside_the_calls_window_is_refused_with_the_dates(clients, draft, call):
    call.closes_on = TODAY() - datetime.timedelta(days=1)
    call.save(update_fields=["closes_on"])
    assert "call" in _error(clients["principal"].post(f"/api/v1/requests/{draft.pk}/submit/"), 400)["fields"]
    assert _status(draft) == "draft"


def test_the_principal_withdraws_and_others_may_not(clients, submitted):
    url = f"/api/v1/requests/{submitted.pk}/withdraw/"
    for name in ("admin", "academics", "team"):
        assert _error(clients[name].post(url), 403)["error"] == "not_permitted", name
    assert _error(clients["other_principal"].post(url), 404)["error"] == "not_found"
    assert _ok(clients["principal"].post(url))["status"] == "withdrawn"
    assert _error(clients["principal"].post(url), 409)["error"] == "conflict"


def test_a_routed_reviewer_comments_which_opens_the_review(clients, people, submitted):
    url = f"/api/v1/requests/{submitted.pk}/comment/"
    body = _ok(clients["academics"].post(url, {"body": "Looks promising."}, format="json"))
    assert body["status"] == "under_review"
    (comment,) = body["comments"]
    assert comment["to_school"] is False and comment["function"] == "academics"
    assert comment["author"] == people["academics"].username and comment["recommendation"] == ""
    to_school = _ok(clients["admin"].post(url, {"body": "Add a timeline.", "to_school": True}, format="json"))
    assert to_school["comments"][-1]["function"] == ""
    assert [c["body"] for c in _ok(clients["principal"].get(f"/api/v1/requests/{submitted.pk}/"))["comments"]] == [
        "Add a timeline."
    ]


def test_who_may_comment(clients, submitted, people):
    url = f"/api/v1/requests/{submitted.pk}/comment/"
    assert clients["finance"].post(url, {"body": "x"}).status_code == 404  # not routed to finance: not visible
    assert clients["hr"].post(url, {"body": "x"}).status_code == 404
    for name in ("principal", "team"):
        body = _error(clients[name].post(url, {"body": "x"}), 403)
        assert body["detail"] == "You work at this school, so you cannot review or decide its request.", name
    for name in ("viewer", "liaison"):
        assert _error(clients[name].post(url, {"body": "x"}), 403)["error"] == "not_permitted", name
    assert not ReviewComment.objects.exists()


def test_comments_are_taken_only_while_under_review(clients, submitted, people):
    clients["principal"].post(f"/api/v1/requests/{submitted.pk}/withdraw/")
    body = _error(clients["academics"].post(f"/api/v1/requests/{submitted.pk}/comment/", {"body": "x"}), 409)
    assert body["detail"] == "Comments are taken while the request is under review."


def test_recommend_needs_a_recommendation(clients, submitted):
    url = f"/api/v1/requests/{submitted.pk}/recommend/"
    assert "recommendation" in _error(clients["academics"].post(url, {"body": "Approve it."}), 400)["fields"]
    assert (
        "recommendation" in _error(clients["academics"].post(url, {"body": "x", "recommendation": ""}), 400)["fields"]
    )
    body = _ok(clients["academics"].post(url, {"body": "Approve it.", "recommendation": "approve"}, format="json"))
    assert body["comments"][-1]["recommendation"] == "approve"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "  "}, "body"),
        ({"body": "a\x00b"}, "body"),
        ({"body": "x", "recommendation": "maybe"}, "recommendation"),
        ({"body": "x", "to_school": "perhaps"}, "to_school"),
        ({"body": "x", "function": "finance"}, "function"),
        ({"body": "x", "author": 1}, "author"),
    ],
)
def test_bad_comments_are_refused_naming_the_field(clients, submitted, payload, field):
    response = clients["academics"].post(f"/api/v1/requests/{submitted.pk}/comment/", payload, format="json")
    assert field in _error(response, 400)["fields"]
    assert not ReviewComment.objects.exists() and _status(submitted) == "submitted"


def test_the_autonomy_office_returns_for_changes_and_the_school_resubmits(clients, submitted):
    url = f"/api/v1/requests/{submitted.pk}/return/"
    assert "note" in _error(clients["admin"].post(url, {}), 400)["fields"]
    assert _error(clients["academics"].post(url, {"note": "x"}), 403)["detail"] == (
        "Only the autonomy office decides requests."
    )
    returned = _ok(clients["admin"].post(url, {"note": "Add a budget."}, format="json"))
    assert returned["status"] == "changes_requested" and returned["events"][-1]["reason"] == "Add a budget."
    school_view = _ok(clients["principal"].get(f"/api/v1/requests/{submitted.pk}/"))
    assert set(school_view["allowed_actions"]) == {"edit", "submit", "withdraw"}
    _ok(clients["principal"].patch(f"/api/v1/requests/{submitted.pk}/", {"plan": "With a budget."}))
    assert _ok(clients["principal"].post(f"/api/v1/requests/{submitted.pk}/submit/"))["status"] == "submitted"


def test_the_autonomy_office_declines_with_a_reason(clients, submitted):
    url = f"/api/v1/requests/{submitted.pk}/decline/"
    assert "note" in _error(clients["admin"].post(url, {"note": ""}), 400)["fields"]
    body = _ok(clients["admin"].post(url, {"note": "Not this year."}, format="json"))
    assert body["status"] == "declined" and body["decision_note"] == "Not this year."
    assert {item["decision"] for item in body["items"]} == {"declined"}
    assert _error(clients["admin"].post(url, {"note": "Again."}), 409)["error"] == "conflict"


def test_nobody_decides_a_request_of_their_own_school(api_for, school, submitted):
    admin = UserFactory()
    MembershipFactory(user=admin, role=Role.ADMIN)
    MembershipFactory(user=admin, role=Role.SCHOOL_TEAM, school=school)
    body = _error(api_for(admin).post(f"/api/v1/requests/{submitted.pk}/decline/", {"note": "No."}, format="json"), 403)
    assert "You work at this school" in body["detail"]
    assert _status(submitted) == "submitted"


# --- the item-by-item decision --------------------------------------------------------------------


@pytest.fixture
def budget_request(people, school, call, earned_budget):
    return complete_request(
        principal=people["principal"],
        school=school,
        call=call,
        codes=("money.budget", "program.curriculum"),
        submit=True,
    )


def _finance_rating(school, value: str):
    Observation.objects.create(
        school=school, metric=Metric.objects.get(code="finance_rating"), period="2025-26", value=Decimal(value)
    )


def test_an_unmet_earned_autonomy_needs_an_override_reason(clients, budget_request, school):
    _finance_rating(school, "2")
    url = f"/api/v1/requests/{budget_request.pk}/approve/"
    decisions = {
        "items": [
            {"autonomy": "program.curriculum", "decision": "declined", "note": "Not now."},
            {"autonomy": "money.budget", "decision": "approved"},
        ]
    }
    refused = _error(clients["admin"].post(url, decisions, format="json"), 400)
    assert list(refused["fields"]) == ["items.1.override_reason"]
    assert "Finance evaluation rating at least 4" in refused["fields"]["items.1.override_reason"][0]
    assert "2 (2025-26)" in refused["fields"]["items.1.override_reason"][0]
    assert _status(budget_request) == "submitted" and not AutonomyGrant.objects.exists()

    decisions["items"][1]["override_reason"] = "A new principal with a finance background."
    decided = _ok(clients["admin"].post(url, decisions, format="json"))
    assert decided["status"] == "approved" and decided["decided_by"]
    items = {item["autonomy"]: item for item in decided["items"]}
    assert items["money.budget"]["decision"] == "approved"
    assert items["money.budget"]["override_reason"] == "A new principal with a finance background."
    assert items["money.budget"]["eligibility"]["override"] is True
    assert items["money.budget"]["eligibility"]["criteria"][0]["value"] == "2"
    assert items["program.curriculum"]["decision"] == "declined"
    grant = AutonomyGrant.objects.get()
    assert grant.autonomy.code == "money.budget" and grant.evidence["override"] is True


def test_a_met_earned_autonomy_is_approved_without_override(clients, budget_request, school):
    _finance_rating(school, "4")
    body = {
        "items": [
            {"autonomy": "money.budget", "decision": "approved"},
            {"autonomy": "program.curriculum", "decision": "clarified", "note": "Policy 6.1 allows supplements."},
        ],
        "note": "Go ahead.",
    }
    decided = _ok(clients["admin"].post(f"/api/v1/requests/{budget_request.pk}/approve/", body, format="json"))
    assert decided["status"] == "approved" and decided["decision_note"] == "Go ahead."
    assert {i["autonomy"]: i["decision"] for i in decided["items"]} == {
        "money.budget": ItemDecision.APPROVED,
        "program.curriculum": ItemDecision.CLARIFIED,
    }


def test_declining_every_item_declines_the_request(clients, submitted):
    body = {"items": [{"autonomy": "program.curriculum", "decision": "declined"}]}
    assert _ok(clients["admin"].post(f"/api/v1/requests/{submitted.pk}/approve/", body))["status"] == "declined"


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([], "items"),
        ([{"autonomy": "money.budget", "decision": "approved"}], "items"),  # one item left undecided
        ([{"autonomy": "money.budget", "decision": "maybe"}], "items.0.decision"),
        ([{"autonomy": "time.schedule", "decision": "approved"}], "items.0.autonomy"),
        ([{"autonomy": "money.budget", "decision": "approved"}] * 2, "items.1.autonomy"),
        (
            [
                {"autonomy": "money.budget", "decision": "declined"},
                {"autonomy": "program.curriculum", "decision": "clarified"},
            ],
            "items.1.note",
        ),
        ([{"autonomy": "money.budget", "decision": "approved", "grant": True}], "items.0.grant"),
        ("approved", "items.non_field_errors"),
    ],
)
def test_a_decision_with_bad_input_is_refused_naming_the_item(clients, budget_request, school, items, field):
    _finance_rating(school, "5")
    response = clients["admin"].post(f"/api/v1/requests/{budget_request.pk}/approve/", {"items": items}, format="json")
    assert field in _error(response, 400)["fields"]
    assert _status(budget_request) == "submitted" and not AutonomyGrant.objects.exists()


def test_who_may_decide(clients, submitted, people, school):
    draft = complete_request(principal=people["principal"], school=school, call=CallFactory())
    body = {"items": [{"autonomy": "program.curriculum", "decision": "approved"}]}
    url = f"/api/v1/requests/{submitted.pk}/approve/"
    for name in ("academics", "viewer", "liaison", "principal"):
        assert _error(clients[name].post(url, body, format="json"), 403)["error"] == "not_permitted", name
    assert clients["finance"].post(url, body, format="json").status_code == 404
    assert clients["admin"].post(f"/api/v1/requests/{draft.pk}/approve/", body, format="json").status_code == 404
    _ok(clients["admin"].post(url, body, format="json"))
    assert "approved" in _error(clients["admin"].post(url, body, format="json"), 409)["detail"]
    assert AutonomyGrant.objects.count() == 1


@pytest.mark.parametrize("step", ["submit", "withdraw", "comment", "recommend", "approve", "decline", "return"])
@pytest.mark.parametrize(
    "payload", ["not json", "[1, 2]", '"text"', "null", "", '{"note": 1e400, "body": 1e400}', "\x00", "{"]
)
def test_garbage_bodies_never_fail_the_server(clients, people, school, call, step, payload):
    request = complete_request(principal=people["principal"], school=school, call=call, submit=step != "submit")
    who = {"submit": "principal", "withdraw": "principal", "comment": "academics", "recommend": "academics"}
    client = clients[who.get(step, "admin")]
    response = client.generic(
        "POST", f"/api/v1/requests/{request.pk}/{step}/", payload, content_type="application/json"
    )
    assert response.status_code < 500, response.content
    assert response.status_code in (200, 400), response.content  # a bodiless step may go through


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", '"text"', "null", '{"plan": 1e400}', "\x00"])
def test_garbage_drafts_never_fail_the_server(clients, draft, call, payload):
    for method, url in (("PATCH", f"/api/v1/requests/{draft.pk}/"), ("POST", "/api/v1/requests/")):
        response = clients["principal"].generic(method, url, payload, content_type="application/json")
        assert response.status_code == 400, (method, response.content)


# --- query counts ---------------------------------------------------------------------------------


def _grow_requests(n: int, people, school, call) -> None:
    """Per step: another school's request in the liaison's caseload, and one of the principal's school in a new
    call (one open request per school and call); both submitted, so every role below sees them."""
    for _ in range(n):
        other = SchoolFactory(liaison=people["liaison"])
        principal = UserFactory()
        MembershipFactory(user=principal, role=Role.PRINCIPAL, school=other)
        complete_request(principal=principal, school=other, call=call, submit=True)
        complete_request(principal=people["principal"], school=school, call=CallFactory(), submit=True)


@pytest.mark.parametrize(("name", "per_step"), [("admin", 2), ("academics", 2), ("liaison", 2), ("principal", 1)])
def test_the_request_list_query_count_does_not_grow_with_rows(
    clients, people, school, call, django_assert_max_num_queries, name, per_step
):
    client = clients[name]
    _grow_requests(2, people, school, call)
    client.get("/api/v1/requests/", {"limit": 500})
    with django_assert_max_num_queries(5) as few:
        client.get("/api/v1/requests/", {"limit": 500})
    _grow_requests(30, people, school, call)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/requests/", {"limit": 500}).json()
    assert body["count"] == 32 * per_step


# --- a whole journey ------------------------------------------------------------------------------


def test_a_whole_journey_through_the_api(clients, people, school, call, earned_budget):
    _finance_rating(school, "4.5")
    principal, reviewer, admin = clients["principal"], clients["finance"], clients["admin"]
    question = call.questions.get()

    created = _ok(principal.post("/api/v1/requests/", {"call": call.pk}, format="json"), 201)
    url = f"/api/v1/requests/{created['id']}/"
    assert set(created["missing"]) == {"autonomies", "plan", "answers.0", "outcomes"}
    _ok(principal.patch(url, {"autonomies": ["money.budget"]}, format="json"))
    _ok(principal.patch(url, {"items": [{"autonomy": "money.budget", "justification": "Tutors."}]}, format="json"))
    _ok(
        principal.patch(
            url, {"plan": "Hire tutors.", "answers": [{"question": question.pk, "text": "Monthly."}]}, format="json"
        )
    )
    filled = _ok(principal.patch(url, {"outcomes": DRAFT["outcomes"]}, format="json"))
    assert filled["missing"] == {}
    assert reviewer.get(url).status_code == 404  # a draft stays with the school

    sent = _ok(principal.post(f"{url}submit/", {"expected_status": "draft"}, format="json"))
    assert sent["status"] == "submitted"

    reviewed = _ok(reviewer.post(f"{url}recommend/", {"body": "Sound budget.", "recommendation": "approve"}))
    assert reviewed["status"] == "under_review" and reviewed["comments"][0]["function"] == "finance"

    decided = _ok(
        admin.post(
            f"{url}approve/",
            {"items": [{"autonomy": "money.budget", "decision": "approved"}], "expected_status": "under_review"},
            format="json",
        )
    )
    assert decided["status"] == "approved" and decided["decided_by"] == people["admin"].username
    assert [e["action"] for e in decided["events"]] == ["create", "submit", "review", "approve"]

    grants = _ok(principal.get("/api/v1/grants/", {"autonomy": "money.budget"}))["results"]
    assert len(grants) == 1
    (row,) = grants
    assert row["school"] == school.code and row["status"] == "active" and row["model"] == "earned"
    assert row["request"] == created["id"] and row["granted_by"] == people["admin"].username
    detail = _ok(principal.get(f"/api/v1/grants/{row['id']}/"))
    # 4.5 written as the metric is, a whole rating
    assert any("Finance evaluation rating at least 4: 5 in" in line for line in detail["evidence_summary"])
    assert RequestStatus.APPROVED == AutonomyRequest.objects.get(pk=created["id"]).status
