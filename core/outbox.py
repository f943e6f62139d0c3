"""Sending the outbox: the pending emails that core.notifications wrote, handed to the email backend.

Run by the task core.tasks.outbox_send after each commit that queued emails, and by its periodic sweep.
Separate from core.notifications so that the task module and the module that enqueues it do not import
each other: notifications → tasks → outbox.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from core.models import OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)


def outbox_send_pending(*, batch_size: int | None = None) -> dict[str, int]:
    """Send every pending email once, in batches. Returns how many were sent, how many failed and will be
    tried again (by the next call: the sweep), and how many failed for good.

    Each batch is one transaction: its rows are locked (skipping rows another sender holds, on
    PostgreSQL), handed to the email backend one by one, and marked sent as soon as the backend accepted
    them, or given one more attempt and the error. A row that reached OUTBOX_MAX_ATTEMPTS is failed,
    kept with its error for an admin to retry. A worker lost between the backend's acceptance and the
    commit sends that batch again: delivery is at least once, never lost. Rows are taken in id order
    past the last one seen, so a row that failed is tried once per call, and a second call finds nothing
    pending that this one could send.
    """
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    totals = {"sent": 0, "retrying": 0, "failed": 0}
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                OutboxEmail.objects.select_for_update(skip_locked=True)
                .filter(status=OutboxStatus.PENDING, pk__gt=last_pk)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return totals
            last_pk = batch[-1].pk
            _send_batch(batch)
            OutboxEmail.objects.bulk_update(batch, ["status", "attempts", "last_error", "sent_at"])
        for email in batch:
            if email.status == OutboxStatus.SENT:
                totals["sent"] += 1
            else:
                totals["failed" if email.status == OutboxStatus.FAILED else "retrying"] += 1


def _send_batch(batch: list[OutboxEmail]) -> None:
    """Hand each email to the backend over one connection; record on each row what became of it."""
    cap = settings.OUTBOX_MAX_ATTEMPTS
    try:
        backend = get_connection(fail_silently=False)
        backend.open()
    except Exception as exc:  # the mail server cannot be reached: every row of the batch waits for the next try
        logger.warning("Outbox: the email backend could not be opened: %r", exc)
        for email in batch:
            _attempt_failed(email, exc, cap)
        return
    try:
        for email in batch:
            message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to_address])
            try:
                accepted = backend.send_messages([message])
            except Exception as exc:  # one refused address must not hold back the rest
                _attempt_failed(email, exc, cap)
                continue
            if accepted:
                email.attempts += 1
                email.status, email.sent_at, email.last_error = OutboxStatus.SENT, timezone.now(), ""
            else:
                _attempt_failed(email, RuntimeError("The email backend did not accept the message."), cap)
    finally:
        try:
            backend.close()
        except Exception:  # already broken; what was accepted is recorded either way
            logger.warning("Outbox: the email backend did not close cleanly", exc_info=True)


def _attempt_failed(email: OutboxEmail, error: Exception, cap: int) -> None:
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= cap:
        email.status = OutboxStatus.FAILED
