"""The roster import's background work: thin, idempotent (each does nothing unless its upload waits for it)."""

from celery import shared_task

from schools.roster.imports import roster_import_apply, roster_import_check


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def roster_import_check_task(import_id: int) -> str:
    return roster_import_check(import_id=import_id).status


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def roster_import_apply_task(import_id: int) -> str:
    return roster_import_apply(import_id=import_id).status
