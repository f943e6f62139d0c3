"""Notifications: an in-app inbox row and an email, each at most once per (user, event key)."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from core.models import Notification

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
    """Record the notification for each user who has not had this key yet; email them after commit.

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
    emails = [user.email for user in fresh if user.email]
    if emails:
        message = f"{body}\n\n{url}".strip()
        transaction.on_commit(
            lambda: send_mass_mail(
                [(title, message, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails],
                fail_silently=True,
            )
        )
    return len(fresh)


def notification_mark_read(*, user: AbstractBaseUser, notification_id: int) -> None:
    Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(read_at=timezone.now())
    unread_cache_clear([user.pk])


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    unread_cache_clear([user.pk])
    return marked


def notify_many(messages: list[tuple[list, str, str, str, str]]) -> int:
    """Many notifications in two queries: (users, key, title, body, url) each; already-sent ones skipped."""
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
    emails = [
        (title, f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
        for user, _, title, body, url in fresh
        if user.email
    ]
    if emails:
        transaction.on_commit(lambda: send_mass_mail(emails, fail_silently=True))
    return len(fresh)
