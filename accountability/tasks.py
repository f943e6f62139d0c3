import datetime

from celery import shared_task
from django.utils import timezone

from accountability.services import evaluation_run


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def evaluate_benchmarks_nightly(as_of: str | None = None) -> dict:
    """Beat runs this at 02:00 district time; `as_of` (ISO date) defaults to the district's today."""
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    run = evaluation_run(as_of=day, trigger="nightly")
    return {"run": run.pk, "as_of": run.as_of.isoformat(), **run.counts}
