"""Logging in: an over-long username is the ordinary failure, on the site's login and the admin's, and
never reaches django-axes (whose record of the attempt has no room for it: a 500 on PostgreSQL)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGINS = [reverse("login"), reverse("admin:login")]
FAILURE = "correct username and password"  # the admin adds "for a staff account"


@pytest.mark.parametrize("url", LOGINS)
@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_an_over_long_username_is_the_normal_failure(client, url, length):
    response = client.post(url, {"username": "u" * length, "password": "whatever"})
    assert response.status_code == 200
    assert FAILURE in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("url", LOGINS)
def test_a_wrong_password_is_still_counted_for_the_lockout(client, url):
    user = UserFactory(is_staff=True)
    response = client.post(url, {"username": user.username, "password": "wrong"})
    assert FAILURE in response.content.decode()
    assert AccessAttempt.objects.get().username == user.username


def test_a_username_as_long_as_the_field_allows_still_logs_in(client):
    user = UserFactory(username="u" * 150)
    user.set_password("secret-enough")
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": "secret-enough"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
