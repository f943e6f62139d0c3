"""Starting a run from the runs page or the API: one service (evaluation_run_request), one rule for a run
of the date still in progress. The loser is told so (409 on both, the page with its message, the API in
its one error shape), nothing is enqueued, and the run's row is left as it was."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accountability.models import EvaluationRun, RunStatus
from accountability.services import RunInProgress, RunTrigger, evaluation_run_request
from accountability.tasks import evaluate_benchmarks_nightly
from core.errors import NotPermitted
from schools.models import Role

DAY = datetime.date(2026, 11, 20)
ROW = ("status", "trigger", "attempts", "unfinished_attempts", "started_at", "finished_at", "error")


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


def _page_start(client):
    return client.post(reverse("accountability:evaluation_runs"), {"as_of": DAY.isoformat(), "start": "1"})


def _api_start(api):
    return api.post("/api/v1/evaluation-runs/", {"as_of": DAY.isoformat()}, format="json")


@pytest.mark.django_db
@pytest.mark.parametrize("started_by", ["page", "api"])
def test_a_run_in_progress_is_refused_alike_by_the_page_and_the_api(
    admin, client_for, api_for, django_capture_on_commit_callbacks, started_by
):
    page, api = client_for(admin), api_for(admin)
    with django_capture_on_commit_callbacks() as enqueued:
        started = _page_start(page) if started_by == "page" else _api_start(api)
    assert started.status_code in (302, 202) and len(enqueued) == 1  # left in the queue: still in progress
    before = EvaluationRun.objects.values(*ROW).get(as_of=DAY)
    message = RunInProgress(DAY).message

    with django_capture_on_commit_callbacks() as enqueued:
        on_page, by_api = _page_start(page), _api_start(api)

    assert enqueued == []
    assert on_page.status_code == 409 and message in on_page.content.decode()
    assert by_api.status_code == 409
    body = by_api.json()
    assert (body["error"], body["fields"]) == ("conflict", {}) and body["detail"].startswith(message)
    assert EvaluationRun.objects.values(*ROW).get(as_of=DAY) == before


@pytest.mark.django_db
def test_a_finished_run_may_be_started_again_and_is_running_once_more(admin, django_capture_on_commit_callbacks):
    EvaluationRun.objects.create(
        as_of=DAY, status=RunStatus.SUCCEEDED, attempts=1, started_at=timezone.now(), finished_at=timezone.now()
    )
    with django_capture_on_commit_callbacks() as enqueued:
        run = evaluation_run_request(actor=admin, as_of=DAY, trigger=RunTrigger.API)
    assert (run.status, run.trigger, run.finished_at, len(enqueued)) == (RunStatus.RUNNING, "api", None, 1)
    assert EvaluationRun.objects.get(as_of=DAY).status == RunStatus.RUNNING


@pytest.mark.django_db
def test_only_the_autonomy_office_may_start_a_run(make_member, django_capture_on_commit_callbacks):
    liaison = make_member(Role.LIAISON)
    with django_capture_on_commit_callbacks() as enqueued, pytest.raises(NotPermitted):
        evaluation_run_request(actor=liaison, as_of=DAY)
    assert enqueued == [] and not EvaluationRun.objects.exists()


# --- PostgreSQL: two requests at the same instant ----------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: on SQLite select_for_update is a no-op and one writer at a time is the only lock",
)
@pytest.mark.parametrize("date_seen_before", [False, True], ids=["new date", "date run before"])
def test_two_requests_at_the_same_instant_start_one_run(admin, monkeypatch, date_seen_before):
    if date_seen_before:  # the row exists: the row lock decides; otherwise the unique date does
        EvaluationRun.objects.create(
            as_of=DAY, status=RunStatus.SUCCEEDED, attempts=1, started_at=timezone.now(), finished_at=timezone.now()
        )
    enqueued = []
    monkeypatch.setattr(evaluate_benchmarks_nightly, "delay", lambda *args, **kwargs: enqueued.append(args))
    on_commit = transaction.on_commit

    def on_commit_late(func, using=None, robust=False):
        time.sleep(0.3)  # the winner holds its lock a moment, so that the other request arrives while it does
        on_commit(func, using=using, robust=robust)

    monkeypatch.setattr(transaction, "on_commit", on_commit_late)
    barrier, answers = threading.Barrier(2), []

    def request():
        try:
            barrier.wait(timeout=10)
            evaluation_run_request(actor=admin, as_of=DAY)
            answers.append("started")
        except RunInProgress:
            answers.append("in progress")
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answers) == ["in progress", "started"]
    assert len(enqueued) == 1
    assert EvaluationRun.objects.get(as_of=DAY).status == RunStatus.RUNNING


@pytest.mark.django_db
def test_a_date_after_today_is_refused_by_the_page_the_api_the_command_and_a_preview(
    admin, client_for, api_for, django_capture_on_commit_callbacks
):
    from django.core.management import CommandError, call_command

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page, api = client_for(admin), api_for(admin)
    with django_capture_on_commit_callbacks() as enqueued:
        on_page = page.post(reverse("accountability:evaluation_runs"), {"as_of": tomorrow.isoformat(), "start": "1"})
        previewed = page.post(
            reverse("accountability:evaluation_runs"), {"as_of": tomorrow.isoformat(), "preview": "1"}
        )
        by_api = api.post("/api/v1/evaluation-runs/", {"as_of": tomorrow.isoformat()}, format="json")
    assert on_page.status_code == previewed.status_code == 400
    assert "is after today" in on_page.content.decode() and "is after today" in previewed.content.decode()
    assert by_api.status_code == 400 and "is after today" in by_api.json()["fields"]["as_of"][0]
    with pytest.raises(CommandError, match="--as-of: .* is after today"):
        call_command("evaluate_benchmarks", "--as-of", tomorrow.isoformat())
    assert enqueued == [] and not EvaluationRun.objects.exists()
    # Today is a date a run may judge.
    assert evaluation_run_request(actor=admin, as_of=timezone.localdate(), dry_run=True).as_of == timezone.localdate()
