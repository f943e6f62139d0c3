"""Notifications: an in-app inbox row and an email, each at most once per (user, event key).

The email is an outbox row (core.models.OutboxEmail) written in the caller's transaction, so it exists
exactly when the event does: a rolled-back event leaves none, a retried one adds none. After commit one
task, core.tasks.outbox_send, sends what is pending (core.outbox); a periodic sweep runs the same task for rows whose
enqueue was lost (a broker down at that moment, a process killed between commit and enqueue).
"""

from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.models import Notification, OutboxEmail, OutboxStatus
from core.tasks import outbox_send

# The unread count is in the header of every logged-in page, so it is cached per user. Every service
# here that creates or reads notifications clears it; so do saves and deletes of single rows
# (core/signals.py). The timeout bounds what a change made any other way could leave stale.
UNREAD_CACHE_TIMEOUT = 300


def _unread_cache_key(user_id: int) -> str:
    return f"unread:v1:{user_id}"


def unread_count(user: AbstractBaseUser) -> int:
    """How many of the user's notifications are unread; cached until one is added or read."""
    key = _unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_TIMEOUT)
    return count


def unread_cache_clear(user_ids: Iterable[int]) -> None:
    """Forget the counts now and again after commit (a request may re-cache the old count meanwhile)."""
    keys = [_unread_cache_key(pk) for pk in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def notify(*, users: Iterable[AbstractBaseUser], key: str, title: str, body: str = "", url: str = "") -> int:
    """Record the notification for each user who has not had this key yet, and their email in the outbox.

    Returns how many users were newly notified. Safe to call again for the same event.
    """
    recipients = {user.pk: user for user in users if user is not None}
    if not recipients:
        return 0
    already = set(Notification.objects.filter(user_id__in=recipients, key=key).values_list("user_id", flat=True))
    fresh = [user for pk, user in recipients.items() if pk not in already]
    Notification.objects.bulk_create(
        [Notification(user=user, key=key, title=title, body=body, url=url) for user in fresh],
        ignore_conflicts=True,
    )
    unread_cache_clear(user.pk for user in fresh)
    _outbox_add([(user, key, title, body, url) for user in fresh])
    return len(fresh)


def notification_mark_read(*, user: AbstractBaseUser, notification_id: int) -> None:
    Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(read_at=timezone.now())
    unread_cache_clear([user.pk])


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    unread_cache_clear([user.pk])
    return marked


def notify_many(messages: list[tuple[list, str, str, str, str]]) -> int:
    """Many notifications in three queries: (users, key, title, body, url) each; already-sent ones skipped."""
    wanted = [
        (user, key, title, body, url) for users, key, title, body, url in messages for user in users if user is not None
    ]
    if not wanted:
        return 0
    keys = {key for _, key, _, _, _ in wanted}
    sent = set(Notification.objects.filter(key__in=keys).values_list("user_id", "key"))
    fresh = [row for row in wanted if (row[0].pk, row[1]) not in sent]
    Notification.objects.bulk_create(
        [Notification(user=user, key=key, title=title, body=body, url=url) for user, key, title, body, url in fresh],
        ignore_conflicts=True,
    )
    unread_cache_clear(user.pk for user, _, _, _, _ in fresh)
    _outbox_add(fresh)
    return len(fresh)


# --- the email outbox ----------------------------------------------------------------------------


def _absolute(url: str) -> str:
    """An email is read outside the site: a link in it names the site (SITE_URL) too."""
    return urljoin(settings.SITE_URL, url) if url.startswith("/") else url


def _outbox_add(rows: list[tuple[AbstractBaseUser, str, str, str, str]]) -> None:
    """Queue an email per (user, key, title, body, url) for users with an address, in the caller's
    transaction, and have the sender run once after commit (once per transaction, however many calls)."""
    emails = [
        OutboxEmail(
            recipient=user,
            to_address=user.email,
            kind=key.split(":", 1)[0],
            key=key,
            subject=title,
            body=f"{body}\n\n{_absolute(url)}".strip(),
        )
        for user, key, title, body, url in rows
        if user.email
    ]
    if not emails:
        return
    OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True)
    connection = transaction.get_connection()
    if not any(func is _outbox_enqueue for _, func, _ in connection.run_on_commit):
        # robust: a broker that is down must not fail the request whose data are committed; the sweep
        # sends these rows later.
        transaction.on_commit(_outbox_enqueue, robust=True)


def _outbox_enqueue() -> None:
    outbox_send.delay()


def outbox_retry(*, email_ids: Iterable[int]) -> int:
    """Put failed emails back in the queue with a fresh count of attempts (the last error is kept until
    the next try), and have the sender run after commit. Returns how many were put back."""
    with transaction.atomic():
        retried = OutboxEmail.objects.filter(pk__in=list(email_ids), status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0
        )
        if retried:
            transaction.on_commit(_outbox_enqueue, robust=True)
    return retried
