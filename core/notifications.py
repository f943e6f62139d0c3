"""Notifications: an in-app inbox row and an email, each at most once per (user, event key).

The email is an outbox row (core.models.OutboxEmail) written in the caller's transaction, so it exists
exactly when the event does: a rolled-back event leaves none, a retried one adds none. After commit one
task, core.tasks.outbox_send, sends what is pending (core.outbox); a periodic sweep runs the same task for rows whose
enqueue was lost (a broker down at that moment, a process killed between commit and enqueue).
"""

from collections.abc import Callable, Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from core.bulk import bulk_copy_values
from core.models import Notification, OutboxEmail, OutboxStatus
from core.tasks import outbox_send

# The unread count is in the header of every logged-in page, so it is cached per user. Every service
# here that creates or reads notifications clears it; so do saves and deletes of single rows
# (core/signals.py). The timeout bounds what a change made any other way could leave stale.
UNREAD_CACHE_TIMEOUT = 300


def _unread_cache_key(user_id: int) -> str:
    return f"unread:v1:{user_id}"


# A message's title or body: a string, kept as written (a person's note, a reason), or a function that
# writes it in the active language, called once per language among the recipients, so that each reads
# the message in the language they chose for the portal (accounts.language).
Text = str | Callable[[], str]


def _no_languages(user_ids: set[int]) -> dict[int, str]:
    return {}


_language_reader: Callable[[set[int]], dict[int, str]] = _no_languages


def language_reader_set(reader: Callable[[set[int]], dict[int, str]]) -> None:
    """Who reads which language: set by the accounts app, which keeps each person's choice (core knows no
    app above it). Without one, every message is written in the district's language."""
    global _language_reader
    _language_reader = reader


def _written(rows: list[tuple]) -> list[tuple]:
    """(user, key, title, body, url) with each title and body in its recipient's language: a text given as a
    function is written under that language (once per language); a string stays as written. One query, and
    none when every text is a string."""
    if not any(callable(title) or callable(body) for _, _, title, body, _ in rows):
        return [(user, key, _fitted(title), body, url) for user, key, title, body, url in rows]
    languages = _language_reader({user.pk for user, *_ in rows})
    kept: dict[tuple[int, str], str] = {}

    def write(text: Text, language: str) -> str:
        if not callable(text):
            return text
        if (id(text), language) not in kept:
            with translation.override(language):
                kept[id(text), language] = str(text())
        return kept[id(text), language]

    own = settings.LANGUAGE_CODE
    return [
        (user, key, _fitted(write(title, languages.get(user.pk, own))), write(body, languages.get(user.pk, own)), url)
        for user, key, title, body, url in rows
    ]


TITLE_LENGTH = Notification._meta.get_field("title").max_length


def _fitted(title: str) -> str:
    """A title as long as the inbox keeps: a long school or network name, or a translation longer than the
    English it was sized for, is cut."""
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"


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


def notify(*, users: Iterable[AbstractBaseUser], key: str, title: Text, body: Text = "", url: str = "") -> int:
    """Record the notification for each user who has not had this key yet, and their email in the outbox,
    each in the user's language where the title or body is given as a function (Text).

    Returns how many users were newly notified. Safe to call again for the same event.
    """
    recipients = {user.pk: user for user in users if user is not None}
    if not recipients:
        return 0
    already = set(Notification.objects.filter(user_id__in=recipients, key=key).values_list("user_id", flat=True))
    fresh = _written([(user, key, title, body, url) for pk, user in recipients.items() if pk not in already])
    Notification.objects.bulk_create(
        [Notification(user=user, key=key, title=title, body=body, url=url) for user, key, title, body, url in fresh],
        ignore_conflicts=True,
    )
    unread_cache_clear(user.pk for user, *_ in fresh)
    _outbox_add(fresh)
    return len(fresh)


def notification_mark_read(*, user: AbstractBaseUser, notification_id: int) -> None:
    Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(read_at=timezone.now())
    unread_cache_clear([user.pk])


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    unread_cache_clear([user.pk])
    return marked


def notify_many(messages: list[tuple[list, str, Text, Text, str]]) -> int:
    """Many notifications, (users, key, title, body, url) each, already-sent ones skipped, in a number of
    queries that does not grow with them: the keys already sent, the readers' languages (where a text is
    written per language), and the notifications and their emails copied in (core.bulk)."""
    wanted = [
        (user, key, title, body, url) for users, key, title, body, url in messages for user in users if user is not None
    ]
    if not wanted:
        return 0
    keys = {key for _, key, _, _, _ in wanted}
    sent = set(Notification.objects.filter(key__in=keys).values_list("user_id", "key"))
    fresh = _written([row for row in wanted if (row[0].pk, row[1]) not in sent])
    bulk_copy_values(
        Notification,
        [
            {"user_id": user.pk, "key": key, "title": title, "body": body, "url": url}
            for user, key, title, body, url in fresh
        ],
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
        {
            "recipient_id": user.pk,
            "to_address": user.email,
            "kind": key.split(":", 1)[0],
            "key": key,
            "subject": title,
            "body": f"{body}\n\n{_absolute(url)}".strip(),
        }
        for user, key, title, body, url in rows
        if user.email
    ]
    if not emails:
        return
    bulk_copy_values(OutboxEmail, emails, ignore_conflicts=True)
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
