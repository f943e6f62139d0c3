import datetime

from celery import shared_task
from django.utils import timezone

from accountability.models import RunStatus
from accountability.services import RunInProgress, evaluation_run


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def evaluate_benchmarks_nightly(as_of: str | None = None, trigger: str = "nightly") -> dict:
    """Beat runs this at 02:00 district time; `as_of` (ISO date) defaults to the district's today.
    The evaluation page starts it too, as trigger "manual".

    Idempotent, so acks_late redelivery after a lost worker is safe; a duplicate trigger while a run
    for the same date holds the lock does nothing.
    """
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    try:
        run = evaluation_run(as_of=day, trigger=trigger)
    except RunInProgress as busy:
        return {"skipped": str(busy), "as_of": day.isoformat()}
    held = {"held_reason": run.held_reason} if run.status == RunStatus.HELD else {}
    return {"run": run.pk, "as_of": run.as_of.isoformat(), "status": run.status, **held, **run.counts}
