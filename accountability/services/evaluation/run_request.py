"""Asking for a run: how the runs page and the API start one, with one rule for a run already in progress.

A started run is recorded as running at once (the runs page shows it so), and its task is enqueued once
that is committed; a worker then does the work through evaluation_run, which takes the same row over.
"""

import datetime

from django.utils import timezone

from accountability.models import EvaluationRun, RunStatus
from accountability.services.evaluation.runs import RunTrigger


def evaluation_run_mark_requested(*, as_of: datetime.date, trigger: str = RunTrigger.MANUAL) -> EvaluationRun:
    """Record that a run for the date was asked for, before a worker takes it up, so that the runs page
    shows it as running. The run itself (evaluation_run) takes the same row over, and ends it.

    Not an attempt: attempts are counted by evaluation_run when the work starts. The count of unfinished
    attempts starts again, so a run a person starts again gets its full number of tries.
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
