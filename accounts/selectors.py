from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from accounts.models import ApiToken, LanguagePreference


def api_tokens_for_user(*, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    """The user's tokens, live first, then revoked ones (kept, so the page can say when)."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")


def language_remembered(*, user: AbstractBaseUser) -> str | None:
    """The language the person last chose for the portal, if they ever did."""
    return LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()


def languages_remembered(user_ids: set[int]) -> dict[int, str]:
    """The language each of these people last chose, for those who ever did: one query."""
    return dict(LanguagePreference.objects.filter(user_id__in=user_ids).values_list("user_id", "language"))
