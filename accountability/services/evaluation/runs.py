"""The nightly check: every active contract's benchmarks evaluated as of a date, rules applied, schools
flagged, autonomy put at risk, suspended or revoked where a contract says so.

It is a pure function of (contracts, observations, as-of date): a second run of the same date writes
nothing — results are written only where they changed, a flag is opened only where none is live, a
grant moves only if it is not already where the rule puts it, and notifications are keyed by event.
It is set-based: the queries it makes depend on the kinds of data, not on the number of schools (the
exception is one grant transition per grant a rule acts on, each with its own audit event).

This module is the run's ledger: its attempts, the guardrails' verdict, an admin confirming or
discarding a held run. The work is in evaluate.py and rules.py; a page or the API asks for a run
through run_request.py.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from accountability.models import EvaluationAttempt, EvaluationRun, RunStatus
from accountability.policies import can_run_evaluation
from accountability.services.evaluation.evaluate import evaluation_compute
from accountability.services.evaluation.guardrails import reason_to_hold
from accountability.services.evaluation.ladder import in_district_language
from accountability.services.evaluation.lock import run_lock
from autonomy.models import LIVE_STATUSES, AutonomyGrant
from core.errors import ApplicationError, Conflict
from core.hooks import announce_on_commit, evaluation_finished
from core.policies import require

LOST_ATTEMPT = "The worker was lost before this attempt ended; a later attempt took the run over."


class RunTrigger(models.TextChoices):
    """What started a run (EvaluationRun.trigger)."""

    NIGHTLY = "nightly", "The nightly schedule"
    MANUAL = "manual", "A person, on the runs page or with the command"
    API = "api", "A client of the API"


def evaluation_run(
    *,
    as_of: datetime.date,
    trigger: str = RunTrigger.MANUAL,
    dry_run: bool = False,
    confirm: bool = False,
    confirmed_by=None,
    lock_wait: float = 0,
) -> EvaluationRun:
    """Evaluate as of a date and record the run (one ledger row per date; a re-run is another attempt).

    With `dry_run` everything is computed, written and counted, then rolled back (notifications and
    queued emails included): the returned run shows what a real run would do, and nothing is recorded.

    A run the guardrails stop (too many grants suspended or revoked, or anomalous data) is rolled back
    the same way and recorded as held, with the counts it would have produced and the reason.
    `confirm` runs past the guardrails; with `confirmed_by` (an admin answering a held run) the run
    must be held still, and it goes ahead only if it would do exactly what the held run showed.

    Attempts: each real run is an attempt, recorded in its own committed transaction before the work
    (status running, attempts + 1, started_at), so that an attempt whose worker is killed leaves a trace.
    The work is then one transaction, which ends the row. When attempts keep dying with their worker and
    the task keeps coming back (acks_late, reject_on_worker_lost, the broker's visibility timeout), the
    attempt that finds EVALUATION_MAX_ATTEMPTS unfinished attempts in a row marks the run failed and
    returns it without raising, so nothing retries it; a person may start it again from the runs page.

    Locking, on PostgreSQL: a session-level advisory lock on the date is taken first, before any
    bookkeeping, and held until the work committed or rolled back. A duplicate trigger that finds it
    held raises RunInProgress without touching the row, so it never counts as an attempt. A
    transaction-level lock could not cover both transactions; the bookkeeping on a second connection,
    under the first one's lock, would hold two connections per run. PostgreSQL frees a session lock
    when its session ends, so a killed worker's lock goes with its connection; as that can take a moment
    (the session notices when its current statement ends), a redelivered task passes `lock_wait`
    seconds to wait for it instead of giving up at once. SQLite has no such lock: one process, one run.
    """
    as_of_check(as_of)
    with run_lock(as_of, wait=lock_wait):
        if dry_run:
            # A preview leaves no trace, not even of its failure.
            return _run(as_of=as_of, trigger=trigger, dry_run=True, confirm=confirm, confirmed_by=confirmed_by)
        run, go_ahead = _attempt_begin(as_of=as_of, trigger=trigger, confirmed_by=confirmed_by)
        if not go_ahead:
            return run
        try:
            return _run(as_of=as_of, trigger=trigger, dry_run=False, confirm=confirm, confirmed_by=confirmed_by)
        except Exception as exc:
            # The evaluation rolled back whole; the ledger says so, and the error goes on to the caller.
            EvaluationRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED,
                error=repr(exc),
                unfinished_attempts=0,
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            EvaluationAttempt.objects.filter(run=run, number=run.attempts).update(
                status=RunStatus.FAILED, error=repr(exc), finished_at=timezone.now()
            )
            raise


def as_of_check(as_of: datetime.date) -> None:
    """A run judges what has happened by a date: a date after today (in the district's time zone) would
    find no data yet and clear every flag for lack of it, so it is refused, naming the field."""
    today = timezone.localdate()
    if as_of > today:
        message = (
            f"The evaluation date {as_of:%B %-d, %Y} is after today ({today:%B %-d, %Y}): choose today or earlier."
        )
        raise ApplicationError(message, fields={"as_of": [message]})


def _attempt_begin(*, as_of: datetime.date, trigger: str, confirmed_by) -> tuple[EvaluationRun, bool]:
    """Record that an attempt starts, committed before the work; or, after EVALUATION_MAX_ATTEMPTS
    attempts in a row that never finished, mark the run failed instead. Returns the run and whether to
    go ahead. Expects the run's advisory lock (evaluation_run holds it)."""
    now = timezone.now()
    with transaction.atomic():
        run, _ = EvaluationRun.objects.select_for_update().get_or_create(
            as_of=as_of, defaults={"trigger": trigger, "started_at": now}
        )
        if confirmed_by is not None and run.status != RunStatus.HELD:
            raise Conflict(f"The run as of {as_of} is {run.get_status_display().lower()}, no longer held.")
        # Still running when an attempt begins: the earlier attempts never ended the row.
        unfinished = run.unfinished_attempts if run.status == RunStatus.RUNNING else 0
        EvaluationAttempt.objects.filter(run=run, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=LOST_ATTEMPT, finished_at=now
        )
        if unfinished >= settings.EVALUATION_MAX_ATTEMPTS:
            run.status, run.finished_at = RunStatus.FAILED, now
            run.error = (
                f"Stopped after {unfinished} attempts that did not finish: the worker was lost each time "
                "(see the worker's log). Start the run again once the cause is fixed."
            )
            run.save(update_fields=["status", "finished_at", "error", "updated_at"])
            return run, False
        run.status, run.trigger, run.started_at, run.finished_at = RunStatus.RUNNING, trigger, now, None
        run.attempts += 1
        run.unfinished_attempts, run.error = unfinished + 1, ""
        EvaluationAttempt.objects.create(run=run, number=run.attempts, trigger=trigger, started_at=now)
        run.save(
            update_fields=[
                "status",
                "trigger",
                "started_at",
                "finished_at",
                "attempts",
                "unfinished_attempts",
                "error",
                "updated_at",
            ]
        )
    return run, True


@in_district_language
def _run(*, as_of: datetime.date, trigger: str, dry_run: bool, confirm: bool, confirmed_by) -> EvaluationRun:
    """The work of one attempt, in one transaction (a preview's is rolled back). Expects the run's lock."""
    with transaction.atomic():
        run, _ = EvaluationRun.objects.select_for_update().get_or_create(
            as_of=as_of, defaults={"trigger": trigger, "started_at": timezone.now()}
        )
        previewed = dict(run.counts)
        live_grants = AutonomyGrant.objects.filter(status__in=LIVE_STATUSES).count()
        # A savepoint, so that a held run's changes (and the notifications they scheduled on commit) are
        # undone while this transaction lives on to record the run as held.
        with transaction.atomic():
            computed = evaluation_compute(as_of=as_of, run=run)
            counts = computed.counts
            held_reason = (
                "" if confirm else reason_to_hold(counts, live_grants=live_grants, data_concern=computed.concern)
            )
            if confirmed_by is not None and counts != previewed:
                held_reason = (
                    "The data changed after the run was held, so it would no longer do what you reviewed. "
                    "These are the new counts: review them and confirm again."
                )
            if held_reason:
                transaction.set_rollback(True)
        run.status = RunStatus.HELD if held_reason else RunStatus.SUCCEEDED
        run.counts, run.held_reason = counts, held_reason
        run.confirmed_by = None if held_reason else confirmed_by
        run.discarded_by = None
        run.trigger, run.finished_at, run.error, run.unfinished_attempts = trigger, timezone.now(), "", 0
        if dry_run:
            run.attempts += 1  # as the real attempt would count it
            run.save()
            transaction.set_rollback(True)
        else:
            run.save()
            if run.status == RunStatus.SUCCEEDED:
                announce_on_commit(evaluation_finished, run_id=run.pk, as_of=as_of)
            EvaluationAttempt.objects.filter(run=run, number=run.attempts).update(
                status=run.status,
                trigger=trigger,
                finished_at=run.finished_at,
                counts=counts,
                changes=computed.changes,
                changes_total=computed.changes_total,
                held_reason=held_reason,
            )
    # What the run changed (or, held or previewed, would have), school by school, for the page showing it.
    run.changes, run.changes_total = computed.changes, computed.changes_total
    return run


def evaluation_run_confirm(*, actor, as_of: datetime.date) -> EvaluationRun:
    """An admin confirms a held run: it runs for real, past the guardrails, if it would still do exactly
    what the held run showed. Otherwise it is held again with the new counts, and Conflict says so."""
    require(can_run_evaluation(actor))
    run = evaluation_run(as_of=as_of, trigger=RunTrigger.MANUAL, confirm=True, confirmed_by=actor)
    if run.status == RunStatus.HELD:
        raise Conflict(run.held_reason)
    return run


def evaluation_run_discard(*, actor, as_of: datetime.date) -> EvaluationRun:
    """An admin discards a held run: nothing it would have done is done. A later run may hold again."""
    require(can_run_evaluation(actor))
    with transaction.atomic():
        run = EvaluationRun.objects.select_for_update().filter(as_of=as_of).first()
        if run is None or run.status != RunStatus.HELD:
            state = run.get_status_display().lower() if run else "not recorded"
            raise Conflict(f"The run as of {as_of} is {state}, no longer held.")
        run.status, run.discarded_by, run.finished_at = RunStatus.DISCARDED, actor, timezone.now()
        run.save(update_fields=["status", "discarded_by", "finished_at", "updated_at"])
    return run
