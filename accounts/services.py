"""API tokens: created (shown once), used, revoked; the language a person chose. Every write to the
accounts' rows is here."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import TOKEN_PREFIX, ApiToken, LanguagePreference, token_digest
from core.errors import ApplicationError, Conflict

MAX_LIVE_TOKENS = 20
# The last use is recorded at most this often, so that a busy script does not write on every call.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the token itself, which is never shown again."""
    name = name.strip()
    if not name:
        raise ApplicationError("Name the token.", fields={"name": ["Name the token, e.g. “HR data push”."]})
    if len(name) > 80:
        raise ApplicationError("The name is too long.", fields={"name": ["Use at most 80 characters."]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
        if len(live) >= MAX_LIVE_TOKENS:
            raise ApplicationError(
                f"You have {MAX_LIVE_TOKENS} live tokens; revoke one first.",
                fields={"name": [f"You have {MAX_LIVE_TOKENS} live tokens; revoke one first."]},
            )
        if any(token.name == name for token in live):
            raise ApplicationError(
                "You already have a token with this name.",
                fields={"name": ["You already have a live token with this name."]},
            )
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw), hint=raw[:10])
        except IntegrityError:
            raise Conflict("A token with this name was just created; reload the page.") from None
    return token, raw


def api_token_revoke(*, user: AbstractBaseUser, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once. Revoking twice is refused."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if token is None:
            raise ApiToken.DoesNotExist
        if token.revoked_at is not None:
            raise Conflict(f"“{token.name}” was already revoked on {token.revoked_at:%b %-d, %Y}.")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token for a presented value, its user loaded; its last use recorded. None if unknown."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def language_remember(*, user: AbstractBaseUser, language: str) -> None:
    """Keep the person's choice of language on their account; a language the portal does not offer is
    ignored (Django's set_language view, which sets the cookie, ignores it too)."""
    if language in dict(settings.LANGUAGES):
        LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})
