"""Signing in with the district account in Chromium, through the real test identity provider
(tests/oidc_provider, its own process): the login page (checked with axe) offers the district button
beside the password form; the provider's login sends the person back signed in as their portal account;
"Log out" ends the session at the provider too, so the next sign-in asks for the password again. With
portal passwords off, the login page offers only the district button (checked with axe too)."""

import copy
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from accounts.models import ExternalIdentity
from accounts.sso.backend import BACKEND_PATH
from tests.factories import SchoolFactory
from tests.oidc_provider.fixtures import provider_start

from .accessibility import assert_accessible
from .steps import LOGIN_PATH


@pytest.fixture(scope="module")
def district_provider(live_server):
    with provider_start([live_server.url]) as provider:
        yield provider


@pytest.fixture
def sso_live(settings, district_provider, live_server, django_db_serialized_rollback, make_member):
    """The portal pointed at the provider as a deployment's environment would point it (see
    sgs_portal/settings.py), and the provider's user's portal account, a principal, linked by email."""
    from schools.models import Role

    settings.OIDC_ISSUER_URL = district_provider.issuer
    settings.OIDC_RP_CLIENT_ID = district_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = district_provider.client_secret
    settings.OIDC_PROVIDER_NAME = "the district's test provider"
    settings.OIDC_MATCH_BY_EMAIL = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND_PATH]
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(district_provider.base_url)
    settings.CONTENT_SECURITY_POLICY = policy
    cache.clear()
    school = SchoolFactory(name="Lincoln Elementary")
    principal = make_member(Role.PRINCIPAL, school=school, username="ada.l", email=district_provider.email)
    yield {"provider": district_provider, "principal": principal, "school": school}
    cache.clear()


def sign_in_at_the_provider(page: Page, provider) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("District sign-in")
    assert page.url.startswith(provider.base_url)
    page.get_by_label("Username").fill(provider.username)
    page.get_by_label("Password").fill(provider.password)
    page.get_by_role("button", name="Sign in").click()


def test_a_principal_signs_in_with_the_district_account_and_out_again(page: Page, sso_live, live_server):
    provider = sso_live["provider"]

    # 1. The login page offers the district's button beside the password form.
    page.goto(LOGIN_PATH)
    district = page.get_by_role("link", name="Sign in with your district account")
    expect(district).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    assert_accessible(page)

    # 2. At the provider, then back in the portal as the principal of Lincoln Elementary.
    district.click()
    sign_in_at_the_provider(page, provider)
    page.wait_for_url(lambda url: url.startswith(live_server.url) and LOGIN_PATH not in url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary")
    assert ExternalIdentity.objects.get().user == sso_live["principal"]

    # 3. "Log out" ends the provider's session too: the next sign-in asks for the password again.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}{LOGIN_PATH}"))
    page.get_by_role("link", name="Sign in with your district account").click()
    sign_in_at_the_provider(page, provider)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary")


def test_a_refused_sign_in_is_a_clear_accessible_page(page: Page, sso_live, live_server):
    sso_live["principal"].is_active = False
    sso_live["principal"].save()
    page.goto(LOGIN_PATH)
    page.get_by_role("link", name="Sign in with your district account").click()
    sign_in_at_the_provider(page, sso_live["provider"])
    expect(page.get_by_role("heading", level=1)).to_have_text("You are not signed in")
    expect(page.get_by_role("alert")).to_contain_text("Your portal account is deactivated")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the sign-in page").click()
    expect(page.get_by_role("link", name="Sign in with your district account")).to_be_visible()


def test_with_passwords_off_the_login_page_offers_only_the_district_button(page: Page, sso_live, settings):
    settings.LOCAL_PASSWORDS = False
    page.goto(LOGIN_PATH)
    expect(page.get_by_role("link", name="Sign in with your district account")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    assert_accessible(page)
