from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from accounts.models import ApiToken


def api_tokens_for_user(*, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    """The user's tokens, live first, then revoked ones (kept, so the page can say when)."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")
