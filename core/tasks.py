from celery import shared_task

from core.outbox import outbox_send_pending


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def outbox_send() -> dict[str, int]:
    """Send the pending emails of the outbox. Enqueued after each commit that queued some, and run by
    beat every few minutes as a sweep for rows whose enqueue was lost.

    Idempotent (a row is marked sent in the transaction that sent it; a second run finds nothing), and
    safe to run twice at once (each takes the rows the other has not locked)."""
    return outbox_send_pending()
