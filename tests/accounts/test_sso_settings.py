"""Single sign-on's switches: nothing of it while OIDC_ISSUER_URL is empty; a provider that cannot be
reached or answers nonsense is a clear page; LOCAL_PASSWORDS off leaves passwords to break-glass admins."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.forms import PASSWORDS_OFF
from tests.factories import UserFactory
from tests.oidc_provider import modes

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
BUTTON = "Sign in with your district account"


REPO_ROOT = Path(__file__).resolve().parents[2]
READ_SETTINGS = (
    "import json; from sgs_portal import settings as s; "
    "print(json.dumps([s.AUTHENTICATION_BACKENDS, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"
)


def settings_read(**environment):
    """The settings module as a deployment with this environment reads it (a fresh interpreter)."""
    env = {**os.environ, "SECRET_KEY": "x", **environment}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_issuer_in_the_environment_turns_single_sign_on_on():
    result = settings_read(
        OIDC_ISSUER_URL="https://login.microsoftonline.com/tenant-id/v2.0",
        OIDC_CLIENT_ID="portal",
        OIDC_CLIENT_SECRET="secret",
    )
    backends, form_action = json.loads(result.stdout)
    assert backends[-1] == "accounts.sso.backend.DistrictOIDCBackend"
    # The header's sign-out form is answered with a redirect to the provider: the CSP must allow it.
    assert form_action == ["'self'", "https://login.microsoftonline.com"]
    backends, form_action = json.loads(settings_read(OIDC_ISSUER_URL="").stdout)
    assert "accounts.sso.backend.DistrictOIDCBackend" not in backends and form_action == ["'self'"]


def test_settings_refuse_to_start_half_configured():
    no_secret = settings_read(OIDC_ISSUER_URL="https://accounts.google.com", OIDC_CLIENT_ID="portal")
    assert no_secret.returncode != 0 and "set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too" in no_secret.stderr
    nobody = settings_read(OIDC_ISSUER_URL="", LOCAL_PASSWORDS="off")
    assert nobody.returncode != 0 and "nobody could sign in" in nobody.stderr


def test_without_an_issuer_there_is_no_single_sign_on(client):
    assert client.get(reverse("sso:start")).status_code == 404
    assert client.get(reverse("sso:callback"), {"state": "s", "code": "c"}).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert BUTTON not in page
    assert 'name="password"' in page


def test_sign_out_without_single_sign_on_is_the_ordinary_logout(client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("logout")).status_code == 405


def test_the_login_page_offers_the_district_button_beside_the_password_form(client, sso_settings):
    sso_settings.OIDC_ISSUER_URL = "http://127.0.0.1:9/o"
    sso_settings.OIDC_PROVIDER_NAME = "Microsoft"
    page = client.get(reverse("login"), {"next": "/inbox/"}).content.decode()
    assert f'href="{reverse("sso:start")}?next=/inbox/"' in page
    assert BUTTON in page and "You will sign in at Microsoft" in page
    assert 'name="password"' in page


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_provider_is_a_clear_page(client, sso_settings):
    sso_settings.OIDC_ISSUER_URL = f"http://127.0.0.1:{_closed_port()}/o"
    response = client.get(reverse("sso:start"))
    assert response.status_code == 502
    assert "cannot be reached just now" in response.content.decode()


def test_a_malformed_discovery_document_is_a_clear_page(client, sso_on):
    sso_on.mode_set(modes.MALFORMED_DISCOVERY)
    response = client.get(reverse("sso:start"))
    assert response.status_code == 502
    assert "not its configuration" in response.content.decode()


def test_a_discovery_document_of_another_issuer_is_refused(client, sso_on, settings):
    # The same provider reached by another name: its document names 127.0.0.1, not localhost.
    settings.OIDC_ISSUER_URL = sso_on.issuer.replace("127.0.0.1", "localhost")
    response = client.get(reverse("sso:start"))
    assert response.status_code == 502
    assert "names another issuer" in response.content.decode()


def test_the_discovery_document_is_read_once_and_kept(client, sso_on):
    assert client.get(reverse("sso:start")).status_code == 302
    sso_on.mode_set(modes.MALFORMED_DISCOVERY)  # a later outage does not break the next sign-in
    assert client.get(reverse("sso:start")).status_code == 302


@pytest.fixture
def passwords_off(sso_settings):
    sso_settings.OIDC_ISSUER_URL = "http://127.0.0.1:9/o"
    sso_settings.LOCAL_PASSWORDS = False
    sso_settings.BREAK_GLASS_USERNAMES = ["break-glass"]
    return sso_settings


def test_with_passwords_off_the_login_page_offers_only_the_district_button(client, passwords_off):
    page = client.get(reverse("login")).content.decode()
    assert BUTTON in page
    assert 'name="password"' not in page
    assert "portal passwords are turned off" in page


@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login")])
def test_with_passwords_off_a_right_password_is_refused(client, passwords_off, url):
    user = UserFactory(is_staff=True, is_superuser=True)
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert PASSWORDS_OFF.split(".")[0] in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login")])
def test_with_passwords_off_a_break_glass_admin_still_logs_in(client, passwords_off, url):
    admin = UserFactory(username="break-glass", is_staff=True, is_superuser=True)
    response = client.post(url, {"username": "break-glass", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_with_passwords_off_a_break_glass_admin_is_still_locked_out_after_failures(client, passwords_off, settings):
    UserFactory(username="break-glass", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "break-glass", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "break-glass", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts" in response.content.decode()
