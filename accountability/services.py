"""The accountability check. Benchmarks and intervention rules come with the contracts app; until a
contract is active there is nothing to evaluate, and a run honestly counts zero."""

import datetime

from django.db import transaction
from django.utils import timezone

from accountability.models import EvaluationRun, RunStatus

SUMMARY_KEYS = (
    "schools",
    "benchmarks",
    "met",
    "not_met",
    "no_data",
    "flags_opened",
    "flags_cleared",
    "grants_suspended",
    "grants_revoked",
)


def _evaluate_contracts(*, as_of: datetime.date) -> dict[str, int]:
    # No performance contract exists yet, so no school is under evaluation.
    return dict.fromkeys(SUMMARY_KEYS, 0)


def evaluation_run(*, as_of: datetime.date, trigger: str = "manual") -> EvaluationRun:
    run = EvaluationRun.objects.create(as_of=as_of, trigger=trigger, started_at=timezone.now())
    try:
        with transaction.atomic():
            counts = _evaluate_contracts(as_of=as_of)
    except Exception as exc:
        EvaluationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=repr(exc)
        )
        raise
    run.status = RunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.counts = counts
    run.save(update_fields=["status", "finished_at", "counts", "updated_at"])
    return run
