"""Single sign-on's fixtures: the real test identity provider (tests/oidc_provider), one process per test
module, and the portal's settings pointed at it."""

import pytest
from django.core.cache import cache

from accounts.sso.backend import BACKEND_PATH
from tests.oidc_provider import modes
from tests.oidc_provider.fixtures import provider_start

PORTAL = "http://testserver"  # the test client's address: the redirect URI the provider knows


@pytest.fixture(scope="module")
def oidc_provider():
    with provider_start([PORTAL]) as provider:
        yield provider


@pytest.fixture
def sso_settings(settings):
    """The portal's single sign-on settings without a provider behind them (each test sets the issuer)."""
    settings.OIDC_RP_CLIENT_ID = "sgs-portal"
    settings.OIDC_RP_CLIENT_SECRET = "portal-client-secret-0123456789"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND_PATH]
    cache.clear()  # the discovery document of another test's provider
    yield settings
    cache.clear()


@pytest.fixture
def sso_on(sso_settings, oidc_provider):
    sso_settings.OIDC_ISSUER_URL = oidc_provider.issuer
    sso_settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    sso_settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    oidc_provider.mode_set(modes.NORMAL)
    yield oidc_provider
    oidc_provider.mode_set(modes.NORMAL)
