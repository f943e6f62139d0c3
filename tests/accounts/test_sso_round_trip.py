"""Single sign-on against a real OpenID Connect provider (tests/oidc_provider, its own process): the
redirect, the provider's login, the code exchange, the ID token's checks, and the portal's login; then
each way the answer can be wrong, refused with a clear page and without a login."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ExternalIdentity
from accounts.sso.views import STATE_LIFETIME_SECONDS
from tests.factories import UserFactory
from tests.oidc_provider import modes

pytestmark = pytest.mark.django_db


def sso_start(client, next_url="/"):
    response = client.get(reverse("sso:start"), {"next": next_url})
    assert response.status_code == 302
    return response["Location"]


def sso_sign_in(client, provider, *, browser=None, next_url="/"):
    """The whole journey: the portal's start, the provider's login and consent, the portal's callback.
    Returns the callback's answer and the address the provider sent the browser back to."""
    back = provider.sign_in_and_authorize(browser or provider.browser(), sso_start(client, next_url))
    assert back.startswith("http://testserver/sso/callback/?")
    return client.get(back), back


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def ada(sso_on):
    """The portal account of the provider's test user, holding the same email."""
    return UserFactory(username="ada.l", email=sso_on.email)


def test_the_first_sign_in_links_by_email_where_the_district_allows_it(client, sso_on, ada, settings):
    settings.OIDC_MATCH_BY_EMAIL = True
    start = urlsplit(sso_start(client))
    query = parse_qs(start.query)
    assert start.geturl().startswith(f"{sso_on.issuer}/authorize/")
    assert query["client_id"] == [sso_on.client_id]
    assert query["redirect_uri"] == ["http://testserver/sso/callback/"]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]

    response, _ = sso_sign_in(client, sso_on, next_url="/inbox/")

    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert signed_in_as(client) == str(ada.pk)
    identity = ExternalIdentity.objects.get(user=ada)
    assert identity.issuer == sso_on.issuer and identity.subject == "1"  # the provider's user's pk
    assert client.get(reverse("inbox")).status_code == 200


def test_a_linked_identity_signs_in_by_its_subject_not_its_email(client, sso_on, ada):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    ada.email = "ada@another-address.example"  # the portal's copy of the email no longer matches
    ada.save()
    response, _ = sso_sign_in(client, sso_on)
    assert response.status_code == 302
    assert signed_in_as(client) == str(ada.pk)


def test_without_email_matching_an_unlinked_identity_is_refused(client, sso_on, ada):
    response, _ = sso_sign_in(client, sso_on)
    assert response.status_code == 403
    assert "not linked to a portal account yet" in response.content.decode()
    assert signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        (modes.WRONG_AUDIENCE, "was issued for another application"),
        (modes.EXPIRED, "has expired"),
        (modes.BAD_SIGNATURE, "signature does not check out"),
        (modes.WRONG_ISSUER, "did not come from your district"),
        (modes.WRONG_NONCE, "does not belong to this sign-in"),
    ],
)
def test_a_token_that_fails_a_check_is_refused(client, sso_on, ada, mode, message):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    sso_on.mode_set(mode)
    response, _ = sso_sign_in(client, sso_on)
    assert response.status_code == 403
    assert message in response.content.decode()
    assert "You are not signed in" in response.content.decode()
    assert signed_in_as(client) is None


def test_the_same_callback_twice_is_refused(client, sso_on, ada):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    first, back = sso_sign_in(client, sso_on)
    assert first.status_code == 302
    again = client.get(back)  # the state is spent before the code reaches the provider a second time
    assert again.status_code == 400
    assert "already been used or has expired" in again.content.decode()
    client.post(reverse("logout"))
    assert client.get(back).status_code == 400
    assert signed_in_as(client) is None


def test_a_callback_taken_to_another_browser_is_refused(client, sso_on, ada):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    back = sso_on.sign_in_and_authorize(sso_on.browser(), sso_start(client))
    other = Client()
    response = other.get(back)
    assert response.status_code == 400
    assert "_auth_user_id" not in other.session


def test_a_code_the_provider_does_not_know_is_refused(client, sso_on, ada):
    state = parse_qs(urlsplit(sso_start(client)).query)["state"][0]
    response = client.get(reverse("sso:callback"), {"state": state, "code": "not-a-code-it-issued"})
    assert response.status_code == 502
    assert "did not complete the sign-in" in response.content.decode()
    assert signed_in_as(client) is None


def test_the_provider_saying_access_denied_is_a_clear_page(client, sso_on):
    state = parse_qs(urlsplit(sso_start(client)).query)["state"][0]
    response = client.get(reverse("sso:callback"), {"state": state, "error": "access_denied"})
    assert response.status_code == 403
    assert "did not let you through (access denied)" in response.content.decode()
    # The state is spent: the same state with a code afterwards is a replay.
    assert client.get(reverse("sso:callback"), {"state": state, "code": "x"}).status_code == 400


def test_a_changed_subject_for_a_linked_account_is_refused(client, sso_on, ada, settings):
    settings.OIDC_MATCH_BY_EMAIL = True
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="an-earlier-subject")
    response, _ = sso_sign_in(client, sso_on)
    assert response.status_code == 403
    assert "linked to a different district identity" in response.content.decode()
    assert signed_in_as(client) is None
    assert ExternalIdentity.objects.get().subject == "an-earlier-subject"


def test_a_deactivated_account_is_refused(client, sso_on, ada):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    ada.is_active = False
    ada.save()
    response, _ = sso_sign_in(client, sso_on)
    assert response.status_code == 403
    assert "deactivated" in response.content.decode()
    assert signed_in_as(client) is None


def test_deactivating_a_signed_in_account_ends_its_session_on_the_next_request(client, sso_on, ada):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    sso_sign_in(client, sso_on)
    assert client.get(reverse("inbox")).status_code == 200
    ada.is_active = False
    ada.save()
    response = client.get(reverse("inbox"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sign_out_ends_the_session_at_the_provider_too(client, sso_on, ada):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    browser = sso_on.browser()
    sso_sign_in(client, sso_on, browser=browser)
    assert sso_on.signed_in_user(browser) == sso_on.username

    response = client.post(reverse("logout"))  # the header's "Log out"

    assert signed_in_as(client) is None
    end_session = urlsplit(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == f"{sso_on.issuer}/logout/"
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert query["id_token_hint"][0].count(".") == 2
    back = browser.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith("http://testserver/accounts/login/")
    assert sso_on.signed_in_user(browser) == "anonymous"


def test_sign_out_after_a_password_login_stays_in_the_portal(client, sso_on, ada):
    client.force_login(ada, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_as(client) is None


def test_a_next_address_on_another_site_is_not_followed(client, sso_on, ada):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    response, _ = sso_sign_in(client, sso_on, next_url="https://elsewhere.example/phish")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_as(client) == str(ada.pk)


def test_a_sign_in_left_too_long_at_the_provider_starts_again(client, sso_on, ada):
    ExternalIdentity.objects.create(user=ada, issuer=sso_on.issuer, subject="1")
    start = sso_start(client)
    back = sso_on.sign_in_and_authorize(sso_on.browser(), start)
    session = client.session
    state = parse_qs(urlsplit(start).query)["state"][0]
    session["oidc_states"][state]["added_on"] -= STATE_LIFETIME_SECONDS + 1
    session.save()
    response = client.get(back)
    assert response.status_code == 400
    assert "already been used or has expired" in response.content.decode()
    assert signed_in_as(client) is None
