"""/api/v1/flags/ and /api/v1/evaluation-runs/: flags per role (own and other school), their evidence and
history, their steps through the flag services; runs for the autonomy office, started in the background
with 202 and the run's URL, refused with 409 while one for the date is in progress; pinned field sets and
constant query counts. Last, the journey a district's script takes: a token made on the profile page
pushes observations, starts a run and lists the flags it opened."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accountability.models import EvaluationRun, FlagEvent, FlagStatus, InterventionFlag, RunStatus
from accountability.services import SUMMARY_KEYS, evaluation_run_mark_requested
from schools.models import Role
from tests.accountability.builders import AS_OF, ela_template, flag_of, flagged_schools, school_years
from tests.factories import NetworkFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

FLAG_KEYS = {
    "id",
    "url",
    "school",
    "school_name",
    "network",
    "liaison",
    "rule_key",
    "level",
    "level_label",
    "status",
    "period",
    "deficiency",
    "provision",
    "remedy",
    "deadline",
    "opened_at",
    "opened_run",
    "condition_cleared_at",
    "plan",
}
FLAG_DETAIL_KEYS = FLAG_KEYS | {"rule", "evidence", "events", "actions"}
EVIDENCE_KEYS = {"key", "sentence", "status", "status_words", "value", "target", "period", "note"}
EVENT_KEYS = {"at", "actor", "action", "from_status", "to_status", "reason", "evidence"}
RUN_KEYS = {
    "id",
    "url",
    "as_of",
    "status",
    "trigger",
    "attempts",
    "started_at",
    "finished_at",
    "duration_seconds",
    "counts",
    "held_reason",
    "error",
    "confirmed_by",
    "discarded_by",
}


@pytest.fixture
def world(make_member):
    admin = make_member(Role.ADMIN)
    liaison = make_member(Role.LIAISON)
    (own, principal), (other, other_principal) = flagged_schools(2, admin=admin, template=ela_template())
    own.liaison = liaison
    own.save()
    return {
        "admin": admin,
        "liaison": liaison,
        "other_liaison": make_member(Role.LIAISON),
        "principal": principal,
        "team": make_member(Role.SCHOOL_TEAM, school=own),
        "other_principal": other_principal,
        "reviewer": make_member(Role.REVIEWER, function="finance"),
        "viewer": make_member(Role.VIEWER),
        "nobody": UserFactory(),
        "own": own,
        "other": other,
        "flag": flag_of(own),
        "other_flag": flag_of(other),
    }


def _flag_url(flag, step: str = "") -> str:
    return f"/api/v1/flags/{flag.pk}/" + (f"{step}/" if step else "")


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- flags: reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("admin", {"flag", "other_flag"}),
        ("reviewer", {"flag", "other_flag"}),
        ("viewer", {"flag", "other_flag"}),
        ("liaison", {"flag"}),
        ("other_liaison", set()),
        ("principal", {"flag"}),
        ("team", {"flag"}),
        ("other_principal", {"other_flag"}),
    ],
)
def test_each_role_lists_the_flags_of_the_schools_it_sees(world, api_for, role, sees):
    assert sorted(_ids(api_for(world[role]).get("/api/v1/flags/"))) == sorted(world[name].pk for name in sees)


def test_a_user_without_a_role_is_told_flags_are_not_for_them(world, api_for):
    response = api_for(world["nobody"]).get("/api/v1/flags/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Flags are for central-office staff, liaisons and school staff."


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("principal", "flag", 200),
        ("principal", "other_flag", 404),
        ("team", "other_flag", 404),
        ("liaison", "other_flag", 404),
        ("other_liaison", "flag", 404),
        ("nobody", "flag", 404),
        ("viewer", "other_flag", 200),
    ],
)
def test_another_schools_flag_is_404(world, api_for, role, name, status):
    response = api_for(world[role]).get(_flag_url(world[name]))
    assert response.status_code == status
    if status == 404:
        assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("role", ["admin", "principal", "team", "liaison", "viewer", "reviewer"])
def test_every_role_gets_the_same_pinned_flag_fields(world, api_for, role):
    client = api_for(world[role])
    row = next(r for r in client.get("/api/v1/flags/").json()["results"] if r["id"] == world["flag"].pk)
    assert set(row) == FLAG_KEYS
    body = client.get(_flag_url(world["flag"])).json()
    assert set(body) == FLAG_DETAIL_KEYS
    assert body["evidence"] and all(set(line) == EVIDENCE_KEYS for line in body["evidence"])
    assert body["events"] and all(set(event) == EVENT_KEYS for event in body["events"])


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        ("admin", ["acknowledge", "resolve", "escalate"]),
        ("liaison", ["acknowledge"]),
        ("principal", ["submit_plan"]),
        ("team", []),
        ("viewer", []),
    ],
)
def test_the_detail_lists_the_steps_the_user_may_take_now(world, api_for, role, actions):
    assert api_for(world[role]).get(_flag_url(world["flag"])).json()["actions"] == actions


def test_the_flag_reads_as_its_notice(world, api_for):
    body = api_for(world["principal"]).get(_flag_url(world["flag"])).json()
    assert (body["school"], body["rule_key"], body["level"], body["status"], body["period"]) == (
        world["own"].code,
        "one-missed",
        1,
        "open",
        "2026-27",
    )
    assert body["level_label"] == "Notice of concern" and body["provision"] == "Section 5.1"
    assert body["liaison"] == world["liaison"].username and body["network"] == world["own"].network.name
    (line,) = body["evidence"]
    assert (line["key"], line["status"], line["value"], line["period"]) == ("ela", "not_met", "40%", "2026-27")
    assert [event["action"] for event in body["events"]] == ["open"] and body["events"][0]["actor"] is None
    assert body["rule"].startswith("If 1 or more benchmarks are missed in a year")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"status": "open"}, {"flag", "other_flag"}),
        ({"status": "live"}, {"flag", "other_flag"}),
        ({"status": "resolved"}, set()),
        ({"level": "1"}, {"flag", "other_flag"}),
        ({"level": "2"}, set()),
        ({"liaison": "nobody-here"}, set()),
    ],
)
def test_filters_narrow_the_flags(world, api_for, query, names):
    ids = _ids(api_for(world["admin"]).get("/api/v1/flags/", query))
    assert sorted(ids) == sorted(world[name].pk for name in names)


def test_school_network_and_liaison_filters_take_codes_and_names(world, api_for):
    client = api_for(world["admin"])
    own = world["own"]
    for query in ({"school": own.code}, {"network": own.network.name}, {"liaison": world["liaison"].username}):
        assert _ids(client.get("/api/v1/flags/", query)) == [world["flag"].pk], query


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"level": "9"}, "level"),
        ({"level": "one"}, "level"),
        ({"status": "closed"}, "status"),
        ({"school": "a\x00"}, "school"),
    ],
)
def test_a_bad_filter_is_400_naming_it(world, api_for, query, field):
    response = api_for(world["admin"]).get("/api/v1/flags/", query)
    assert response.status_code == 400 and field in response.json()["fields"]


@pytest.mark.parametrize("junk", ["x", "0", "123456789012345678901", "-1"])
def test_junk_flag_ids_are_404(world, api_for, junk):
    assert api_for(world["admin"]).get(f"/api/v1/flags/{junk}/").status_code == 404


def test_the_flag_list_costs_the_same_queries_for_2_and_30_flags(
    world, api_for, django_assert_max_num_queries, make_member
):
    client = api_for(world["admin"])
    client.get("/api/v1/flags/")
    with django_assert_max_num_queries(4) as few:
        client.get("/api/v1/flags/")
    liaison = make_member(Role.LIAISON)
    flagged_schools(28, admin=world["admin"], template=ela_template(), liaison=liaison)
    assert InterventionFlag.objects.count() == 30
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_ids(client.get("/api/v1/flags/"))) == 30


# --- flags: steps ------------------------------------------------------------------------------------------


def test_the_liaison_acknowledges_the_principal_plans_the_admin_raises_and_resolves(world, api_for):
    flag = world["flag"]
    response = api_for(world["liaison"]).post(
        _flag_url(flag, "acknowledge"), {"note": "We meet Monday."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"

    response = api_for(world["principal"]).post(
        _flag_url(flag, "submit_plan"),
        {"plan": "Tutoring twice a week.", "expected_status": "acknowledged"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["plan"] == "Tutoring twice a week."

    admin = api_for(world["admin"])
    response = admin.post(_flag_url(flag, "escalate"), {"note": "No progress.", "expected_level": 1}, format="json")
    assert response.status_code == 200 and response.json()["level"] == 2
    response = admin.post(_flag_url(flag, "resolve"), {"note": "Results now meet the target."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    assert response.json()["actions"] == []
    actions = list(FlagEvent.objects.filter(flag=flag).values_list("action", "actor"))
    assert actions == [
        ("open", None),
        ("acknowledge", world["liaison"].pk),
        ("submit_plan", world["principal"].pk),
        ("escalate", world["admin"].pk),
        ("resolve", world["admin"].pk),
    ]


@pytest.mark.parametrize(
    ("role", "step", "data", "status"),
    [
        ("principal", "acknowledge", {}, 403),
        ("principal", "resolve", {"note": "Done."}, 403),
        ("team", "submit_plan", {"plan": "A plan."}, 403),
        ("liaison", "resolve", {"note": "Done."}, 403),
        ("liaison", "submit_plan", {"plan": "A plan."}, 403),
        ("viewer", "escalate", {"note": "Up."}, 403),
        ("other_principal", "submit_plan", {"plan": "A plan."}, 404),
        ("other_liaison", "acknowledge", {}, 404),
        ("nobody", "acknowledge", {}, 404),
        ("admin", "submit_plan", {"plan": "A plan."}, 403),
    ],
)
def test_a_step_that_is_not_yours_is_refused_and_changes_nothing(world, api_for, role, step, data, status):
    flag = world["flag"]
    response = api_for(world[role]).post(_flag_url(flag, step), data, format="json")
    assert response.status_code == status, response.content
    fresh = InterventionFlag.objects.get(pk=flag.pk)
    assert (fresh.status, fresh.level, fresh.plan) == (FlagStatus.OPEN, 1, "")
    assert FlagEvent.objects.filter(flag=flag).count() == 1


@pytest.mark.parametrize(
    ("role", "step", "data", "field"),
    [
        ("principal", "submit_plan", {}, "plan"),
        ("principal", "submit_plan", {"plan": "   "}, "plan"),
        ("principal", "submit_plan", {"plan": "x" * 20_001}, "plan"),
        ("principal", "submit_plan", {"plan": "a\x00b"}, "plan"),
        ("principal", "submit_plan", {"plan": ["a"]}, "plan"),
        ("admin", "resolve", {}, "note"),
        ("admin", "resolve", {"note": 5.5, "expected_status": "gone"}, "expected_status"),
        ("admin", "escalate", {"note": "Up.", "expected_level": 9}, "expected_level"),
        ("admin", "escalate", {"note": "Up.", "expected_level": "high"}, "expected_level"),
        ("admin", "escalate", {"note": "Up.", "expected_level": "1"}, "expected_level"),  # a rung is a number
        ("admin", "resolve", {"note": 5}, "note"),  # text is a string, not a number made into one
        ("admin", "resolve", {"note": "Done.", "expected_status": 1}, "expected_status"),
        ("liaison", "acknowledge", {"note": "x" * 4001}, "note"),
    ],
)
def test_bad_input_is_400_naming_the_field(world, api_for, role, step, data, field):
    flag = world["flag"]
    response = api_for(world[role]).post(_flag_url(flag, step), data, format="json")
    assert response.status_code == 400 and field in response.json()["fields"], response.content
    assert InterventionFlag.objects.get(pk=flag.pk).status == FlagStatus.OPEN


def test_somebody_acting_first_is_409(world, api_for):
    flag = world["flag"]
    admin = api_for(world["admin"])
    stale = admin.post(_flag_url(flag, "resolve"), {"note": "Done.", "expected_status": "acknowledged"}, format="json")
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    assert (
        admin.post(_flag_url(flag, "escalate"), {"note": "Up.", "expected_level": 3}, format="json").status_code == 409
    )
    assert admin.post(_flag_url(flag, "resolve"), {"note": "Done."}, format="json").status_code == 200
    again = admin.post(_flag_url(flag, "resolve"), {"note": "Done again."}, format="json")
    assert again.status_code == 409
    assert "resolved" in again.json()["detail"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_flag_is_never_written_directly(world, api_for, method):
    flag = world["flag"]
    response = getattr(api_for(world["principal"]), method)(
        _flag_url(flag), {"status": "resolved", "level": 1, "plan": "x"}, format="json"
    )
    assert response.status_code == 405
    assert InterventionFlag.objects.get(pk=flag.pk).status == FlagStatus.OPEN


def test_extra_fields_in_a_step_are_ignored(world, api_for):
    flag = world["flag"]
    response = api_for(world["principal"]).post(
        _flag_url(flag, "submit_plan"), {"plan": "A plan.", "status": "resolved", "level": 6}, format="json"
    )
    assert response.status_code == 200
    fresh = InterventionFlag.objects.get(pk=flag.pk)
    assert (fresh.status, fresh.level) == (FlagStatus.PLAN_SUBMITTED, 1)


# --- evaluation runs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["principal", "liaison", "reviewer", "viewer", "nobody"])
def test_runs_are_the_autonomy_offices(world, api_for, role):
    client = api_for(world[role])
    run = EvaluationRun.objects.get()
    for response in (
        client.get("/api/v1/evaluation-runs/"),
        client.get(f"/api/v1/evaluation-runs/{run.pk}/"),
        client.post("/api/v1/evaluation-runs/", {"as_of": "2026-11-20"}, format="json"),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Only the autonomy office runs the evaluation."
    assert EvaluationRun.objects.count() == 1


def test_the_admin_reads_the_runs_with_pinned_fields(world, api_for):
    client = api_for(world["admin"])
    (row,) = client.get("/api/v1/evaluation-runs/").json()["results"]
    assert set(row) == RUN_KEYS and set(row["counts"]) == set(SUMMARY_KEYS)
    body = client.get(row["url"]).json()
    assert body == row
    assert (body["as_of"], body["status"], body["attempts"]) == (AS_OF.isoformat(), "succeeded", 1)
    assert body["counts"]["schools"] == 2 and body["counts"]["flags_opened"] == 2
    assert body["duration_seconds"] >= 0 and body["held_reason"] == "" and body["confirmed_by"] is None


def test_starting_a_run_answers_202_with_its_url_and_it_runs_in_the_background(
    world, api_for, django_capture_on_commit_callbacks
):
    client = api_for(world["admin"])
    with django_capture_on_commit_callbacks() as enqueued:
        response = client.post("/api/v1/evaluation-runs/", {"as_of": "2026-11-20"}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"] == body["url"]
    assert (body["as_of"], body["status"], body["trigger"], body["finished_at"]) == (
        "2026-11-20",
        "running",
        "api",
        None,
    )
    assert len(enqueued) == 1

    busy = client.post("/api/v1/evaluation-runs/", {"as_of": "2026-11-20"}, format="json")
    assert busy.status_code == 409 and body["url"] in busy.json()["detail"]

    enqueued[0]()  # the worker takes it up (tasks run in-process in tests)
    done = client.get(body["url"]).json()
    assert (done["status"], done["attempts"], done["counts"]["schools"]) == ("succeeded", 1, 2)
    assert done["finished_at"] is not None


def test_a_date_with_a_run_in_progress_is_409(world, api_for):
    evaluation_run_mark_requested(as_of=datetime.date(2026, 11, 21))
    response = api_for(world["admin"]).post("/api/v1/evaluation-runs/", {"as_of": "2026-11-21"}, format="json")
    assert response.status_code == 409 and "in progress" in response.json()["detail"]


def test_a_finished_date_may_be_run_again(world, api_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(world["admin"]).post("/api/v1/evaluation-runs/", {"as_of": AS_OF.isoformat()}, format="json")
    assert response.status_code == 202
    run = EvaluationRun.objects.get(as_of=AS_OF)
    assert (run.status, run.attempts, run.trigger) == (RunStatus.SUCCEEDED, 2, "api")
    assert InterventionFlag.objects.count() == 2  # the same date again opens nothing new


def test_a_dry_run_answers_what_the_run_would_do_and_records_nothing(world, api_for):
    before = (EvaluationRun.objects.count(), InterventionFlag.objects.count())
    response = api_for(world["admin"]).post(
        "/api/v1/evaluation-runs/", {"as_of": "2026-11-22", "dry_run": True}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"as_of", "dry_run", "status", "counts", "held_reason"}
    assert (body["as_of"], body["dry_run"], body["status"], body["counts"]["schools"]) == (
        "2026-11-22",
        True,
        "succeeded",
        2,
    )
    assert (EvaluationRun.objects.count(), InterventionFlag.objects.count()) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "as_of"),
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"as_of": "11/20/2026"}, "as_of"),
        ({"as_of": 20261120}, "as_of"),
        ({"as_of": None}, "as_of"),
        ({"as_of": ""}, "as_of"),
        ({"as_of": "2026-11-20", "dry_run": "perhaps"}, "dry_run"),
        ({"as_of": "2026-11-20", "dry_run": [True]}, "dry_run"),
        ({"as_of": "2026-11-20", "dry_run": 0}, "dry_run"),
        ({"as_of": "2026-11-20", "dry_run": "false"}, "dry_run"),
    ],
)
def test_bad_run_input_is_400_naming_the_field(world, api_for, data, field):
    response = api_for(world["admin"]).post("/api/v1/evaluation-runs/", data, format="json")
    assert response.status_code == 400 and field in response.json()["fields"], response.content
    assert EvaluationRun.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "count"), [({"status": "succeeded"}, 1), ({"status": "held"}, 0), ({"as_of_from": "2026-12-01"}, 0)]
)
def test_runs_filter_by_status_and_date(world, api_for, query, count):
    assert api_for(world["admin"]).get("/api/v1/evaluation-runs/", query).json()["count"] == count


def test_a_bad_run_filter_is_400(world, api_for):
    response = api_for(world["admin"]).get("/api/v1/evaluation-runs/", {"as_of_to": "yesterday"})
    assert response.status_code == 400 and "as_of_to" in response.json()["fields"]


def test_the_run_list_costs_the_same_queries_for_2_and_30_runs(world, api_for, django_assert_max_num_queries):
    client = api_for(world["admin"])
    evaluation_run_mark_requested(as_of=datetime.date(2026, 1, 1))
    client.get("/api/v1/evaluation-runs/")
    with django_assert_max_num_queries(4) as few:
        client.get("/api/v1/evaluation-runs/")
    for day in range(2, 30):
        evaluation_run_mark_requested(as_of=datetime.date(2026, 1, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/evaluation-runs/").json()["count"] == 30


# --- the journey: a token from the profile page, observations pushed, a run started, its flags listed ------


def _token_from_profile(client) -> str:
    response = client.post(reverse("accounts:profile"), {"name": "Nightly data push"})
    assert response.status_code == 201
    match = re.search(r'id="new-token"[^>]*value="(sgs_[^"]+)"', response.content.decode())
    assert match, "the profile page shows the new token"
    return match.group(1)


def test_a_token_from_the_profile_page_pushes_data_starts_a_run_and_lists_its_flags(
    make_member, client_for, api_for, django_capture_on_commit_callbacks
):
    school_years()
    admin = make_member(Role.ADMIN, first_name="Ada", last_name="Office")
    template = ela_template()
    north = NetworkFactory(name="North")
    schools = [SchoolFactory(network=north) for _ in range(3)]
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {_token_from_profile(client_for(admin))}")

    # Contracts, through the API too: drafted and proposed by the district, signed by each principal.
    for school in schools:
        principal = make_member(Role.PRINCIPAL, school=school)
        draft = script.post(
            "/api/v1/contracts/",
            {"school": school.code, "template": template.name, "term_start": "2026-27", "term_end": "2027-28"},
            format="json",
        )
        assert draft.status_code == 201, draft.content
        url = draft["Location"]
        assert script.post(f"{url}propose/", {}, format="json").status_code == 200
        signed = api_for(principal).post(
            f"{url}sign/", {"confirm": True, "password": "correct-horse-battery"}, format="json"
        )
        assert signed.status_code == 200
        assert (
            script.post(f"{url}countersign/", {"password": "correct-horse-battery"}, format="json").status_code == 200
        )

    # A CSV export's worth of observations: the first school misses its ELA target of 50.
    export = "school,metric,period,value,source\n" + "".join(
        f"{school.code},ela_proficiency,{period},{value},State assessment\n"
        for school, values in zip(schools, ((45, 40), (55, 60), (52, 51)), strict=True)
        for period, value in zip(("2025-26", "2026-27"), values, strict=True)
    )
    rows = list(csv.DictReader(io.StringIO(export)))
    pushed = script.post("/api/v1/observations/bulk/", {"rows": rows}, format="json")
    assert pushed.status_code == 200 and pushed.json()["created"] == 6

    with django_capture_on_commit_callbacks(execute=True):
        started = script.post("/api/v1/evaluation-runs/", {"as_of": AS_OF.isoformat()}, format="json")
    assert started.status_code == 202
    run = script.get(started["Location"]).json()
    assert (run["status"], run["counts"]["schools"], run["counts"]["not_met"], run["counts"]["flags_opened"]) == (
        "succeeded",
        3,
        1,
        1,
    )

    flags = script.get("/api/v1/flags/", {"status": "open", "network": "North"}).json()["results"]
    assert [(f["school"], f["rule_key"], f["opened_run"]) for f in flags] == [
        (schools[0].code, "one-missed", run["id"])
    ]
