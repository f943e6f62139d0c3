"""The attempts of a run: each is recorded before its work, a duplicate trigger is no attempt, and a run
whose attempts keep dying with their worker ends failed instead of coming back forever.

A lost attempt is what _attempt_begin leaves when nothing follows it: the row running, one more attempt
counted, and the note that says it has not finished. tests/accountability/test_worker_killed.py makes
the same by killing a real worker."""

import threading
import time

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from accountability.models import BenchmarkResult, EvaluationRun, InterventionFlag, RunStatus
from accountability.services import RunInProgress, evaluation_run, evaluation_run_mark_requested
from accountability.services.evaluation.lock import RUN_LOCK_CLASS
from accountability.services.evaluation.runs import _attempt_begin
from schools.models import Role
from tests.accountability.builders import AS_OF, ela_template, flagged_schools, school_years

pytestmark = pytest.mark.django_db
STOPPED = "Stopped after 3 attempts that did not finish: the worker was lost each time (see the worker's log)."


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


@pytest.fixture
def district(admin):
    """Two schools missing ELA, not yet evaluated (the builder's own run is undone)."""
    years = school_years()
    flagged_schools(2, admin=admin, template=ela_template(), years=years)
    InterventionFlag.objects.all().delete()
    BenchmarkResult.objects.all().delete()
    EvaluationRun.objects.all().delete()


def _lost_attempt(as_of=AS_OF):
    run, go_ahead = _attempt_begin(as_of=as_of, trigger="nightly", confirmed_by=None)
    assert go_ahead
    return run


def test_an_attempt_is_on_the_ledger_before_its_work(district):
    run = _lost_attempt()
    assert (run.status, run.attempts, run.finished_at) == (RunStatus.RUNNING, 1, None)
    assert run.unfinished_attempts == 1
    assert not BenchmarkResult.objects.exists()


def test_after_a_lost_attempt_the_next_one_completes_and_says_nothing_went_wrong(district):
    _lost_attempt()
    run = evaluation_run(as_of=AS_OF, trigger="nightly")
    assert (run.status, run.attempts, run.error) == (RunStatus.SUCCEEDED, 2, "")
    assert InterventionFlag.objects.count() == 2


def test_the_attempt_after_three_lost_ones_marks_the_run_failed_and_does_nothing(district, settings):
    assert settings.EVALUATION_MAX_ATTEMPTS == 3
    for _ in range(3):
        _lost_attempt()
    run = evaluation_run(as_of=AS_OF, trigger="nightly")  # returns: nothing is raised for a retry to catch
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.FAILED, 3) and run.finished_at is not None
    assert run.error.startswith(STOPPED)
    assert not BenchmarkResult.objects.exists() and not InterventionFlag.objects.exists()
    again = evaluation_run(as_of=AS_OF, trigger="nightly")  # a failed run is finished: a new try may run
    assert (again.status, again.attempts) == (RunStatus.SUCCEEDED, 4)


def test_the_cap_follows_the_setting(district, settings):
    settings.EVALUATION_MAX_ATTEMPTS = 1
    _lost_attempt()
    assert evaluation_run(as_of=AS_OF).status == RunStatus.FAILED


def test_attempts_that_finished_do_not_count_towards_the_cap(district):
    for _ in range(3):
        assert evaluation_run(as_of=AS_OF).status == RunStatus.SUCCEEDED
    _lost_attempt()
    run = evaluation_run(as_of=AS_OF)
    assert (run.status, run.attempts) == (RunStatus.SUCCEEDED, 5)


def test_asking_for_the_run_is_no_attempt_and_gives_a_stuck_run_its_tries_again(district):
    for _ in range(3):
        _lost_attempt()
    requested = evaluation_run_mark_requested(as_of=AS_OF)
    assert (requested.status, requested.attempts) == (RunStatus.RUNNING, 3)
    run = evaluation_run(as_of=AS_OF)
    assert (run.status, run.attempts) == (RunStatus.SUCCEEDED, 4)


def test_a_dry_run_is_no_attempt(district):
    _lost_attempt()
    preview = evaluation_run(as_of=AS_OF, dry_run=True)
    assert preview.counts["flags_opened"] == 2
    run = EvaluationRun.objects.get()
    assert (run.status, run.attempts) == (RunStatus.RUNNING, 1) and run.unfinished_attempts == 1


def test_the_runs_page_shows_why_the_run_was_stopped(district, admin, client_for):
    for _ in range(3):
        _lost_attempt()
    evaluation_run(as_of=AS_OF)
    page = client_for(admin).get(reverse("accountability:evaluation_runs")).content.decode()
    assert "Failed" in page and "Stopped after 3 attempts that did not finish" in page


def test_the_command_exits_with_the_reason_and_a_second_call_runs(district):
    for _ in range(3):
        _lost_attempt()
    with pytest.raises(CommandError, match="Stopped after 3 attempts that did not finish"):
        call_command("evaluate_benchmarks", "--as-of", AS_OF.isoformat())
    call_command("evaluate_benchmarks", "--as-of", AS_OF.isoformat())
    assert EvaluationRun.objects.get().status == RunStatus.SUCCEEDED


# --- PostgreSQL: the run's lock ---------------------------------------------------------------------


def _other_session():
    """A second database session, as another worker's would be."""
    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname=database["NAME"], autocommit=True
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks need PostgreSQL")
def test_a_duplicate_trigger_while_a_run_holds_the_lock_is_no_attempt(district):
    _lost_attempt()  # the run under way, as its row shows it
    before = list(EvaluationRun.objects.values_list("status", "attempts", "error"))
    with _other_session() as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK_CLASS, AS_OF.toordinal()])
        with pytest.raises(RunInProgress):
            evaluation_run(as_of=AS_OF, trigger="nightly")
        with pytest.raises(RunInProgress):
            evaluation_run(as_of=AS_OF, trigger="nightly", lock_wait=0.2)  # waited, in vain
    assert list(EvaluationRun.objects.values_list("status", "attempts", "error")) == before
    assert not BenchmarkResult.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks need PostgreSQL")
def test_a_redelivered_run_waits_for_the_lost_attempts_session_to_end(district):
    other = _other_session()
    other.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK_CLASS, AS_OF.toordinal()])
    ended = threading.Event()

    def end_session():
        time.sleep(0.3)
        other.close()  # what PostgreSQL does when a killed worker's connection drops: the lock goes with it
        ended.set()

    threading.Thread(target=end_session).start()
    run = evaluation_run(as_of=AS_OF, trigger="nightly", lock_wait=30)
    assert ended.is_set() and run.status == RunStatus.SUCCEEDED
    with connection.cursor() as cursor:  # and the run let go of its own lock
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        assert cursor.fetchone()[0] == 0
