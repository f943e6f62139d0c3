"""The district's identity provider as the portal knows it: whether single sign-on is on, and the
provider's endpoints, read from its discovery document at first use.

The document is cached (OIDC_DISCOVERY_CACHE_SECONDS) so that a sign-in costs no extra round trip, and
checked before it is trusted: a document that is not JSON, lacks an endpoint, or names another issuer
than the one configured is refused, as the OpenID Connect Discovery specification requires.
"""

from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered something unusable; the message is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER_URL)


def sso_issuer() -> str:
    return settings.OIDC_ISSUER_URL.rstrip("/")


def provider_origin() -> str:
    parts = urlsplit(settings.OIDC_ISSUER_URL)
    return f"{parts.scheme}://{parts.netloc}"


def _cache_key() -> str:
    return f"sso:discovery:{sso_issuer()}"


def _document_fetch() -> dict:
    url = f"{sso_issuer()}/.well-known/openid-configuration"
    unreachable = ProviderUnavailable(
        _(
            "The district's sign-in service cannot be reached just now. Try again in a few minutes, or ask the "
            "autonomy office if it keeps happening."
        )
    )
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except ValueError as error:  # not JSON (requests' own decoding error is a ValueError too)
        raise ProviderUnavailable(
            _(
                "The district's sign-in service answered with something that is not its configuration. "
                "Ask the autonomy office to check the identity provider settings."
            )
        ) from error
    except requests.RequestException as error:
        raise unreachable from error
    if not isinstance(document, dict) or not all(isinstance(document.get(key), str) for key in REQUIRED_ENDPOINTS):
        raise ProviderUnavailable(
            _(
                "The district's sign-in service's configuration is incomplete. Ask the autonomy office to check "
                "the identity provider settings."
            )
        )
    if str(document.get("issuer", "")).rstrip("/") != sso_issuer():
        raise ProviderUnavailable(
            _(
                "The district's sign-in service names another issuer than the one configured. Ask the autonomy "
                "office to check OIDC_ISSUER_URL."
            )
        )
    return document


def provider_metadata() -> dict:
    """The provider's discovery document, fetched and checked once per cache period."""
    document = cache.get(_cache_key())
    if document is None:
        document = _document_fetch()
        cache.set(_cache_key(), document, settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return document


def provider_metadata_forget() -> None:
    cache.delete(_cache_key())
