"""The language a signed-in person reads the portal in: chosen with the switch at the foot of every page or
on the account page (accounts.views.language_choose), kept in the language cookie (read by Django's
LocaleMiddleware on every request, at no cost) and on the account, so that signing in on another device
puts the same language back.

The account is read once, at sign-in, never on an ordinary request: the logged-in floor stays at one query.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in

from accounts.selectors import language_remembered

REMEMBERED = "language_to_remember"  # the request attribute that asks for the cookie to be set


def language_cookie_set(response, language: str) -> None:
    """The cookie as Django's set_language view writes it, with the same settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _restore_on_sign_in(sender, request, user, **_kwargs) -> None:
    """A password or a single sign-on: the account's language, if one was chosen, from the next page on
    (the answer to a sign-in is a redirect)."""
    if request is None:
        return
    language = language_remembered(user=user)
    if language and language in dict(settings.LANGUAGES):
        setattr(request, REMEMBERED, language)


user_logged_in.connect(_restore_on_sign_in, dispatch_uid="accounts.language.restore_on_sign_in")


class RememberedLanguageMiddleware:
    """Writes the language cookie on the answer to a sign-in, when the account has a language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, REMEMBERED, None)
        if language:
            language_cookie_set(response, language)
        return response
