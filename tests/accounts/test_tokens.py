import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, token_digest
from accounts.services import MAX_LIVE_TOKENS, api_token_authenticate, api_token_create, api_token_revoke
from core.errors import ApplicationError, Conflict
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_a_token_is_stored_as_a_digest_only():
    user = UserFactory()
    token, raw = api_token_create(user=user, name="HR push")
    token.refresh_from_db()
    assert raw.startswith("sgs_") and len(raw) > 40
    assert token.digest == token_digest(raw) and raw not in (token.digest, token.hint)
    assert token.hint == raw[:10]
    assert not ApiToken.objects.filter(digest=raw).exists()


def test_names_are_required_and_unique_among_live_tokens():
    user = UserFactory()
    with pytest.raises(ApplicationError) as blank:
        api_token_create(user=user, name="   ")
    assert "name" in blank.value.fields
    first, _ = api_token_create(user=user, name="nightly")
    with pytest.raises(ApplicationError) as twice:
        api_token_create(user=user, name="nightly")
    assert "name" in twice.value.fields
    api_token_revoke(user=user, token_id=first.pk)
    api_token_create(user=user, name="nightly")  # the name is free again once the old one is revoked
    assert ApiToken.objects.filter(user=user).count() == 2


def test_live_tokens_are_capped():
    user = UserFactory()
    for index in range(MAX_LIVE_TOKENS):
        api_token_create(user=user, name=f"t{index}")
    with pytest.raises(ApplicationError):
        api_token_create(user=user, name="one too many")


def test_the_token_authenticates_and_its_last_use_is_recorded():
    user = UserFactory()
    token, raw = api_token_create(user=user, name="script")
    response = _bearer(raw).get("/api/v1/metrics/")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    used = token.last_used_at
    _bearer(raw).get("/api/v1/metrics/")
    token.refresh_from_db()
    assert token.last_used_at == used  # not written again within the minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used - datetime.timedelta(minutes=5))
    api_token_authenticate(raw=raw)
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < datetime.timedelta(seconds=30)


@pytest.mark.parametrize(
    "header",
    ["Bearer sgs_not-a-token", "Bearer", "Bearer a b", "Bearer " + "x" * 500, "Bearer sgs_\u00e9"],
)
def test_bad_tokens_answer_401_in_the_error_shape(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/metrics/")
    assert response.status_code == 401
    assert response.json()["error"] in ("authentication_failed", "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_at_once_and_cannot_be_revoked_twice():
    user = UserFactory()
    token, raw = api_token_create(user=user, name="script")
    assert _bearer(raw).get("/api/v1/metrics/").status_code == 200
    api_token_revoke(user=user, token_id=token.pk)
    assert _bearer(raw).get("/api/v1/metrics/").status_code == 401
    with pytest.raises(Conflict):
        api_token_revoke(user=user, token_id=token.pk)


def test_an_inactive_users_token_does_not_work():
    user = UserFactory()
    _, raw = api_token_create(user=user, name="script")
    user.is_active = False
    user.save()
    assert _bearer(raw).get("/api/v1/metrics/").status_code == 401


def test_the_profile_page_creates_shows_once_and_revokes(client_for):
    user = UserFactory()
    client = client_for(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    created = client.post(reverse("accounts:profile"), {"name": "HR data push"})
    assert created.status_code == 201
    raw = created.context["new_token"]
    assert raw.startswith("sgs_") and raw in created.content.decode()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "HR data push" in page and raw not in page and raw[:10] in page
    assert _bearer(raw).get("/api/v1/metrics/").status_code == 200
    assert "Never" not in client.get(reverse("accounts:profile")).content.decode()  # its last use is shown
    token = ApiToken.objects.get(user=user)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 302
    assert "Revoked" in client.get(reverse("accounts:profile")).content.decode()
    assert _bearer(raw).get("/api/v1/metrics/").status_code == 401


def test_the_profile_page_refuses_a_bad_name_naming_the_field(client_for):
    client = client_for(UserFactory())
    response = client.post(reverse("accounts:profile"), {"name": ""})
    assert response.status_code == 400
    assert "Token name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_another_users_token_cannot_be_revoked(client_for):
    token, _ = api_token_create(user=UserFactory(), name="theirs")
    response = client_for(UserFactory()).post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_profile_query_count_does_not_grow_with_tokens(client_for, django_assert_num_queries):
    user = UserFactory()
    client = client_for(user)
    api_token_create(user=user, name="one")
    client.get(reverse("accounts:profile"))
    with django_assert_num_queries(3) as first:
        client.get(reverse("accounts:profile"))
    for index in range(10):
        api_token_create(user=user, name=f"more {index}")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("accounts:profile"))
