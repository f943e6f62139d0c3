"""Asking for a run: how the runs page and the API start one, with one rule for a run already in progress.

A started run is recorded as running at once (the runs page shows it so), and its task is enqueued once
that is committed; a worker then does the work through evaluation_run, which takes the same row over.
"""

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from accountability.models import EvaluationRun, RunStatus
from accountability.policies import can_run_evaluation
from accountability.services.evaluation.lock import RunInProgress
from accountability.services.evaluation.runs import RunTrigger, as_of_check, evaluation_run
from core.policies import require


def evaluation_run_request(
    *, actor, as_of: datetime.date, trigger: str = RunTrigger.MANUAL, dry_run: bool = False
) -> EvaluationRun:
    """Start a run for the date in the background, or with `dry_run` work out here what it would do and
    roll it back (the preview: nothing is recorded, and the returned run is not saved).

    A run for the date still running (asked for and not yet ended, or a worker at it) refuses the start
    with RunInProgress, a Conflict, and nothing is enqueued. That is decided under a row lock: the date's
    run is read with select_for_update, and created inside the same transaction if there is none. On
    PostgreSQL, of two requests at the same instant for a new date one inserts the row and the other
    waits on the unique date until that commits, then reads the row as running: one run starts. A
    preview is refused only while a worker holds the run's advisory lock, as evaluation_run says.
    """
    require(can_run_evaluation(actor))
    as_of_check(as_of)
    if dry_run:
        return evaluation_run(as_of=as_of, trigger=trigger, dry_run=True)
    requested = _requested_fields(trigger)
    with transaction.atomic():
        run, created = EvaluationRun.objects.select_for_update().get_or_create(as_of=as_of, defaults=requested)
        if not created:
            if run.status == RunStatus.RUNNING:
                raise RunInProgress(as_of, run=run)
            for field, value in requested.items():
                setattr(run, field, value)
            run.save(update_fields=[*requested, "updated_at"])
        transaction.on_commit(partial(_run_enqueue, as_of, trigger), robust=True)
    return run


def evaluation_run_mark_requested(*, as_of: datetime.date, trigger: str = RunTrigger.MANUAL) -> EvaluationRun:
    """Record that a run for the date was asked for, before a worker takes it up, so that the runs page
    shows it as running. The run itself (evaluation_run) takes the same row over, and ends it.

    Not an attempt: attempts are counted by evaluation_run when the work starts. The count of unfinished
    attempts starts again, so a run a person starts again gets its full number of tries. It checks
    nothing: a start goes through evaluation_run_request.
    """
    run, _ = EvaluationRun.objects.update_or_create(as_of=as_of, defaults=_requested_fields(trigger))
    return run


def _requested_fields(trigger: str) -> dict:
    return {
        "status": RunStatus.RUNNING,
        "trigger": trigger,
        "error": "",
        "unfinished_attempts": 0,
        "started_at": timezone.now(),
        "finished_at": None,
    }


def _run_enqueue(as_of: datetime.date, trigger: str) -> None:
    """Hand the run to a worker. Without a broker the task runs here and now; a failure is on the run's row."""
    from accountability.tasks import evaluate_benchmarks_nightly  # the task module imports this package

    evaluate_benchmarks_nightly.delay(as_of.isoformat(), trigger=trigger)
