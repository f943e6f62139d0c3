import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accountability.models import RunStatus
from accountability.services import RunInProgress, RunTrigger, evaluation_run


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def evaluate_benchmarks_nightly(self, as_of: str | None = None, trigger: str = RunTrigger.NIGHTLY) -> dict:
    """Beat runs this at 02:00 district time; `as_of` (ISO date) defaults to the district's today.
    The runs page and the API start it too (accountability.services.evaluation_run_request).

    Idempotent, so acks_late redelivery after a lost worker is safe; a duplicate trigger while a run
    for the same date holds the lock does nothing. A redelivered task (its worker was lost) waits a
    little for the lost attempt's lock to be freed; one whose attempts keep being lost ends failed.
    """
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    try:
        run = evaluation_run(as_of=day, trigger=trigger, lock_wait=settings.EVALUATION_LOCK_WAIT if redelivered else 0)
    except RunInProgress as busy:
        return {"skipped": str(busy), "as_of": day.isoformat()}
    if run.status == RunStatus.FAILED:  # the attempts cap: reported, not raised, so nothing retries it
        return {"run": run.pk, "as_of": run.as_of.isoformat(), "status": run.status, "error": run.error}
    held = {"held_reason": run.held_reason} if run.status == RunStatus.HELD else {}
    return {"run": run.pk, "as_of": run.as_of.isoformat(), "status": run.status, **held, **run.counts}
