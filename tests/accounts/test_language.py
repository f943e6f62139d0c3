"""The language switch of the signed-in pages: choosing Spanish makes the next page Spanish, choosing English
brings English back; the choice is kept in the cookie and on the account, and signing in on another device
(a fresh browser) puts it back. The switch is a labelled form of ordinary buttons, each named in its language."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import LanguagePreference
from accounts.services import api_token_create
from schools.models import Role
from tests.translation_kit import assert_catalog_complete, english_left

pytestmark = pytest.mark.django_db

SWITCH = re.compile(r'<form class="language-switch".*?</form>', re.S)


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


def _choose(client, language: str, next_page: str = "/"):
    return client.post(reverse("accounts:language"), {"language": language, "next": next_page})


@pytest.fixture
def principal(school, make_member):
    user = make_member(Role.PRINCIPAL, school=school)
    user.set_password("secret-enough-0")
    user.save()
    return user


def test_choosing_spanish_makes_the_next_page_spanish_and_english_brings_it_back(principal, client_for):
    client = client_for(principal)
    assert _lang(client.get(reverse("inbox"))) == "en"

    response = _choose(client, "es", reverse("inbox"))
    assert response.status_code == 302 and response["Location"] == reverse("inbox")
    page = client.get(reverse("inbox"))
    assert _lang(page) == "es" and ">Salir</button>" in page.content.decode()
    assert LanguagePreference.objects.get(user=principal).language == "es"

    _choose(client, "en", reverse("inbox"))
    page = client.get(reverse("inbox"))
    assert _lang(page) == "en" and "Log out" in page.content.decode()
    assert LanguagePreference.objects.get(user=principal).language == "en"


def test_the_cookie_is_the_one_the_public_pages_read_and_is_kept_safely(principal, client_for):
    client = client_for(principal)
    cookie = _choose(client, "es").cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] == 365 * 24 * 60 * 60
    assert _lang(client.get(reverse("reports:register"))) == "es"


def test_the_choice_follows_the_person_to_another_device(principal, client_for):
    _choose(client_for(principal), "es")

    elsewhere = Client()  # another browser: no cookie
    assert _lang(elsewhere.get(reverse("login"))) == "en"
    response = elsewhere.post(reverse("login"), {"username": principal.username, "password": "secret-enough-0"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert _lang(elsewhere.get(reverse("home"))) == "es"


def test_signing_in_without_a_chosen_language_leaves_the_browsers_own(principal):
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    response = browser.post(reverse("login"), {"username": principal.username, "password": "secret-enough-0"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert _lang(browser.get(reverse("home"))) == "es"
    assert not LanguagePreference.objects.exists()


@pytest.mark.parametrize("language", ["fr", "", "es-MX-x"])
def test_a_language_the_portal_does_not_offer_changes_nothing(principal, client_for, language):
    client = client_for(principal)
    response = _choose(client, language, reverse("inbox"))
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert not LanguagePreference.objects.exists()
    assert _lang(client.get(reverse("inbox"))) == "en"


def test_the_switch_goes_back_only_to_a_page_of_this_site(principal, client_for):
    response = _choose(client_for(principal), "es", "https://elsewhere.example/phish")
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_switch_needs_the_forms_token(principal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(principal, backend="django.contrib.auth.backends.ModelBackend")
    assert _choose(client, "es").status_code == 403
    assert not LanguagePreference.objects.exists()


def test_the_account_page_chooses_the_language_with_a_labelled_list(principal, client_for):
    client = client_for(principal)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert '<label for="language-choice">The portal\'s language</label>' in page
    assert '<option value="en" lang="en" selected>English</option>' in page
    response = client.post(reverse("accounts:language"), {"language": "es", "next": reverse("accounts:profile")})
    assert response["Location"] == reverse("accounts:profile")
    page = client.get(reverse("accounts:profile")).content.decode()
    assert '<option value="es" lang="es" selected>Español</option>' in page and "El idioma del portal" in page
    assert LanguagePreference.objects.get(user=principal).language == "es"


def test_the_switch_is_a_labelled_form_of_buttons_named_in_their_language(principal, client_for):
    client = client_for(principal)
    switch = SWITCH.search(client.get(reverse("inbox")).content.decode())[0]
    assert 'aria-label="Language"' in switch
    assert re.search(r'<button type="submit" [^>]*name="language" value="es" lang="es">Español</button>', switch)
    assert 'value="en"' not in switch  # the page is in English already
    assert f'name="next" value="{reverse("inbox")}"' in switch

    _choose(client, "es")
    switch = SWITCH.search(client.get(reverse("inbox")).content.decode())[0]
    assert 'aria-label="Idioma"' in switch
    assert re.search(r'<button [^>]*value="en" lang="en">English</button>', switch)


def test_the_sign_in_page_has_the_switch_too_and_it_keeps_nothing_on_an_account(client):
    assert SWITCH.search(client.get(reverse("login")).content.decode())
    response = _choose(client, "es", reverse("login"))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert _lang(client.get(reverse("login"))) == "es"
    assert not LanguagePreference.objects.exists()


def test_the_accounts_catalog_is_complete_and_compiled():
    assert_catalog_complete("accounts", at_least=20)


def test_the_profile_page_is_spanish(principal, school):
    api_token_create(user=principal, name="Exportación nocturna")
    left = english_left(reverse("accounts:profile"), as_user=principal, data=(school.name, "Exportación nocturna"))
    assert left == []


def test_the_sign_in_page_is_spanish():
    assert english_left(reverse("login")) == []


def test_a_refused_single_sign_on_is_said_in_spanish(client, sso_settings):
    """A callback without a sign-in in progress: the refusal page, before any provider is asked."""
    sso_settings.OIDC_ISSUER_URL = "https://id.example.org"
    response = client.get(reverse("sso:callback"), {"state": "nada", "code": "x"}, HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert response.status_code == 400 and '<html lang="es">' in page
    assert "Este enlace de inicio de sesión ya se usó o caducó." in page and "No ha iniciado sesión" in page
    assert english_left(reverse("sso:callback") + "?state=nada&code=x") == []
