"""The accountability pages: flags list and detail with their steps, a school's results, the runs."""

import datetime

import pytest
from django.urls import reverse

from accountability.models import EvaluationRun, FlagEvent, InterventionFlag, RunStatus
from accountability.services import evaluation_run, evaluation_run_mark_requested
from core.models import Notification
from schools.models import Role
from tests.accountability.builders import AS_OF, ela_template, flag_of, flagged_schools, observe, school_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(make_member):
    admin = make_member(Role.ADMIN)
    liaison = make_member(Role.LIAISON)
    (own, principal), (other, other_principal) = flagged_schools(2, admin=admin, template=ela_template(), liaison=None)
    own.liaison = liaison
    own.save()
    return {
        "admin": admin,
        "liaison": liaison,
        "principal": principal,
        "other_principal": other_principal,
        "own": own,
        "other": other,
        "reviewer": make_member(Role.REVIEWER, function="finance"),
    }


def _post(client, flag, action, **data):
    return client.post(reverse("accountability:flag_action", args=[flag.pk, action]), data)


# --- flag detail and its steps ---------------------------------------------------------------------


def test_the_principal_reads_the_notice_evidence_and_history_and_may_submit_a_plan(setting, client_for):
    flag = flag_of(setting["own"])
    response = client_for(setting["principal"]).get(reverse("accountability:flag_detail", args=[flag.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for words in (
        "Notice of concern",
        "What was missed",
        "Section 5.1",
        "Submit an improvement plan.",
        "Proficiency in ELA is at least 50",
        "Not met",
        "2026-11-01",
        "Opened",
        "by the nightly evaluation",
    ):
        assert words in page, words
    assert 'name="plan"' in page and 'name="expected_status"' in page
    assert "&lt;p&gt;" not in page  # each step's words are drawn as text, not shown as markup
    assert (
        reverse("accountability:flag_action", args=[flag.pk, "resolve"]) not in page
    )  # only the steps the viewer may take


def test_another_schools_principal_gets_404_for_the_flag_its_steps_and_the_results(setting, client_for):
    client, flag = client_for(setting["other_principal"]), flag_of(setting["own"])
    assert client.get(reverse("accountability:flag_detail", args=[flag.pk])).status_code == 404
    assert _post(client, flag, "submit_plan", plan="Ours", expected_status="open").status_code == 404
    assert client.get(reverse("accountability:school_results", args=[setting["own"].code])).status_code == 404
    assert InterventionFlag.objects.get(pk=flag.pk).status == "open"


def test_an_empty_plan_is_400_naming_the_plan_and_saves_nothing(setting, client_for):
    flag = flag_of(setting["own"])
    response = _post(client_for(setting["principal"]), flag, "submit_plan", plan="  ", expected_status="open")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Improvement plan" in page and 'id="submit_plan_plan_error"' in page
    assert InterventionFlag.objects.get(pk=flag.pk).status == "open" and flag.events.count() == 1


def test_a_plan_is_submitted_and_the_liaison_is_told(setting, client_for):
    flag = flag_of(setting["own"])
    response = _post(client_for(setting["principal"]), flag, "submit_plan", plan="Tutoring.", expected_status="open")
    assert response.status_code == 302 and response.url == reverse("accountability:flag_detail", args=[flag.pk])
    flag.refresh_from_db()
    assert (flag.status, flag.plan) == ("plan_submitted", "Tutoring.")
    assert Notification.objects.filter(
        user=setting["liaison"], url=reverse("accountability:flag_detail", args=[flag.pk])
    ).exists()


def test_a_stale_expected_status_is_409_and_shows_the_flag_as_it_is(setting, client_for):
    flag = flag_of(setting["own"])
    assert _post(client_for(setting["liaison"]), flag, "acknowledge", expected_status="open").status_code == 302
    response = _post(client_for(setting["admin"]), flag, "resolve", note="Done.", expected_status="open")
    assert response.status_code == 409
    assert "Acknowledged by the liaison" in response.content.decode()
    assert "Done." in response.content.decode()  # what the person wrote is kept
    assert InterventionFlag.objects.get(pk=flag.pk).status == "acknowledged"


def test_a_step_that_is_not_the_viewers_is_403(setting, client_for):
    flag = flag_of(setting["own"])
    assert _post(client_for(setting["reviewer"]), flag, "resolve", note="x", expected_status="open").status_code == 403
    assert _post(client_for(setting["liaison"]), flag, "escalate", note="x", expected_status="open").status_code == 403
    assert _post(client_for(setting["principal"]), flag, "acknowledge", expected_status="open").status_code == 403
    assert flag.events.count() == 1


def test_only_the_admin_resolves_and_raises(setting, client_for):
    flag, admin = flag_of(setting["own"]), client_for(setting["admin"])
    response = _post(admin, flag, "escalate", note="No reply.", expected_status="open", expected_level=1)
    assert response.status_code == 302 and InterventionFlag.objects.get(pk=flag.pk).level == 2
    assert _post(admin, flag, "resolve", note="", expected_status="open").status_code == 400
    assert _post(admin, flag, "resolve", note="Better now.", expected_status="open").status_code == 302
    assert InterventionFlag.objects.get(pk=flag.pk).status == "resolved"
    assert [e.action for e in FlagEvent.objects.filter(flag=flag)] == ["open", "escalate", "resolve"]


def test_an_unknown_step_is_404(setting, client_for):
    response = _post(client_for(setting["admin"]), flag_of(setting["own"]), "delete", expected_status="open")
    assert response.status_code == 404


# --- the flag list -----------------------------------------------------------------------------


def test_a_liaison_lists_only_the_caseload_and_filters_narrow_it(setting, client_for):
    page = client_for(setting["liaison"]).get(reverse("accountability:flag_list")).content.decode()
    assert setting["own"].name in page and setting["other"].name not in page
    admin = client_for(setting["admin"])
    both = admin.get(reverse("accountability:flag_list")).content.decode()
    assert setting["own"].name in both and setting["other"].name in both
    narrowed = admin.get(reverse("accountability:flag_list"), {"liaison": setting["liaison"].pk}).content.decode()
    assert setting["own"].name in narrowed and setting["other"].name not in narrowed
    assert "No flag matches" in admin.get(reverse("accountability:flag_list"), {"level": 3}).content.decode()
    assert "No flag matches" in admin.get(reverse("accountability:flag_list"), {"status": "resolved"}).content.decode()
    assert setting["own"].name in admin.get(reverse("accountability:flag_list"), {"status": "live"}).content.decode()


def test_the_list_marks_a_cleared_condition_and_answers_htmx_with_the_table_only(setting, client_for):
    observe(setting["own"], "2026-27", 55)
    evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))
    response = client_for(setting["admin"]).get(reverse("accountability:flag_list"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Cleared" in page and "<html" not in page and "hx-swap-oob" in page


def _district(count, admin):
    flagged_schools(count, admin=admin, template=ela_template(), years=school_years())


@pytest.mark.parametrize(
    ("name", "args", "queries"),
    [
        ("accountability:flag_list", lambda school: [], 5),
        ("accountability:school_results", lambda school: [school.code], 7),
    ],
)
def test_query_counts_do_not_grow_with_schools(make_member, client_for, django_assert_num_queries, name, args, queries):
    admin = make_member(Role.ADMIN)
    _district(3, admin)
    client = client_for(admin)
    school = InterventionFlag.objects.first().school
    client.get(reverse(name, args=args(school)))  # warm: session, roles and unread count are cached from here on
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, args=args(school))).status_code == 200
    _district(17, admin)
    assert InterventionFlag.objects.count() == 20
    client.get(reverse(name, args=args(school)))  # re-cache what the new flags cleared
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, args=args(school))).status_code == 200


# --- a school's results --------------------------------------------------------------------------


def test_the_results_page_says_each_benchmark_its_status_in_words_its_trend_and_links_the_open_flag(
    setting, client_for
):
    response = client_for(setting["principal"]).get(
        reverse("accountability:school_results", args=[setting["own"].code])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Proficiency in ELA is at least 50%." in page
    assert "Not met" in page and "does not meet" in page
    assert "<svg" in page and 'role="img"' in page and "2025-26: 45%; 2026-27: 40% (not met). Target: 50%." in page
    assert reverse("accountability:flag_detail", args=[flag_of(setting["own"]).pk]) in page
    assert "<script" not in page.split("<body")[1] and "style=" not in page


def test_the_decision_rights_page_links_to_the_results(setting, client_for):
    page = (
        client_for(setting["principal"])
        .get(reverse("autonomy:school_detail", args=[setting["own"].code]))
        .content.decode()
    )
    assert reverse("accountability:school_results", args=[setting["own"].code]) in page


# --- evaluation runs -----------------------------------------------------------------------------


def test_the_runs_page_is_the_admins_alone(setting, client_for):
    for who in ("principal", "liaison", "reviewer"):
        assert client_for(setting[who]).get(reverse("accountability:evaluation_runs")).status_code == 404
        assert (
            client_for(setting[who])
            .post(reverse("accountability:evaluation_runs"), {"as_of": "2026-11-02"})
            .status_code
            == 404
        )
    page = client_for(setting["admin"]).get(reverse("accountability:evaluation_runs")).content.decode()
    assert "Nov 1, 2026" in page and "Succeeded" in page and "Flags opened: <strong>2</strong>" in page


def test_the_preview_shows_the_counts_and_changes_nothing(setting, client_for):
    observe(setting["other"], "2026-27", 60)
    before = (
        list(EvaluationRun.objects.values_list("pk", "attempts", "status", "counts")),
        list(InterventionFlag.objects.values_list("pk", "condition_cleared_at")),
        FlagEvent.objects.count(),
        Notification.objects.count(),
    )
    response = client_for(setting["admin"]).post(
        reverse("accountability:evaluation_runs"), {"as_of": "2026-11-05", "preview": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview as of November 5, 2026" in page and "<dt>Conditions cleared</dt><dd>1</dd>" in page
    after = (
        list(EvaluationRun.objects.values_list("pk", "attempts", "status", "counts")),
        list(InterventionFlag.objects.values_list("pk", "condition_cleared_at")),
        FlagEvent.objects.count(),
        Notification.objects.count(),
    )
    assert after == before


def test_starting_a_run_creates_the_run_for_the_date_and_a_second_start_updates_it(
    setting, client_for, django_capture_on_commit_callbacks
):
    client = client_for(setting["admin"])
    with django_capture_on_commit_callbacks() as enqueued:
        response = client.post(reverse("accountability:evaluation_runs"), {"as_of": "2026-11-05", "start": "1"})
    assert response.status_code == 302 and len(enqueued) == 1
    run = EvaluationRun.objects.get(as_of=datetime.date(2026, 11, 5))
    assert run.status == RunStatus.RUNNING  # asked for, not yet taken up: the page shows it running
    enqueued[0]()  # the worker (Celery runs eagerly in tests)
    run.refresh_from_db()
    assert (run.status, run.trigger, run.attempts, run.counts["schools"]) == ("succeeded", "manual", 1, 2)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accountability:evaluation_runs"), {"as_of": "2026-11-05", "start": "1"})
    run.refresh_from_db()
    assert run.attempts == 2 and EvaluationRun.objects.filter(as_of=datetime.date(2026, 11, 5)).count() == 1


def test_a_bad_date_is_400_naming_the_field(setting, client_for):
    response = client_for(setting["admin"]).post(
        reverse("accountability:evaluation_runs"), {"as_of": "2026-13-01", "start": "1"}
    )
    assert response.status_code == 400 and "Evaluate as of" in response.content.decode()
    assert not EvaluationRun.objects.filter(as_of__gt=AS_OF).exists()


def test_a_running_run_shows_progress_and_the_table_polls_only_while_it_runs(setting, client_for):
    client = client_for(setting["admin"])
    assert 'hx-trigger="every 2s"' not in client.get(reverse("accountability:evaluation_runs")).content.decode()
    evaluation_run_mark_requested(as_of=datetime.date(2026, 11, 9))
    partial = client.get(reverse("accountability:evaluation_runs"), HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in partial and 'hx-trigger="every 2s"' in partial and "<html" not in partial
    assert EvaluationRun.objects.get(as_of=datetime.date(2026, 11, 9)).status == RunStatus.RUNNING
