"""Support's nightly work, thin: each task calls one idempotent service."""

import datetime

from celery import shared_task
from django.utils import timezone

from support.services.networks import network_memberships_start
from support.services.surveys import survey_cycles_close_due


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3, acks_late=True)
def survey_cycles_close_nightly(today: str | None = None) -> dict:
    """Close each open survey whose closing date has passed. `today` (ISO date) defaults to the district's
    today. acks_late is safe: a second run finds no open cycle past its date and closes nothing."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return {"today": day.isoformat(), "closed": survey_cycles_close_due(today=day)}


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3, acks_late=True)
def network_memberships_start_nightly(today: str | None = None) -> dict:
    """When a school year begins, move the schools approved ahead of it into their new network. acks_late is
    safe: a second run finds every school already in its network and moves none."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return {"today": day.isoformat(), "moved": network_memberships_start(today=day)}
