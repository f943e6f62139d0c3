"""Calls that fail to authenticate count against their address's limit: guessing tokens is slowed down."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rate(settings):
    settings.API_ANONYMOUS_THROTTLE_RATE = "5/min"


def _throttled(response) -> None:
    assert response.status_code == 429, response.content
    assert response.json() == {"error": "throttled", "detail": response.json()["detail"], "fields": {}}
    assert int(response["Retry-After"]) > 0


def test_anonymous_calls_are_refused_then_throttled(low_rate):
    client = APIClient()
    assert [client.get("/api/v1/schools/").status_code for _ in range(5)] == [401] * 5
    _throttled(client.get("/api/v1/schools/"))
    _throttled(client.post("/api/v1/requests/", {}, format="json"))


def test_wrong_tokens_are_refused_then_throttled(low_rate):
    statuses = []
    for attempt in range(5):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer sgs_guess{attempt}")
        statuses.append(client.get("/api/v1/metrics/").status_code)
    assert statuses == [401] * 5
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer sgs_guess-again")
    _throttled(client.get("/api/v1/metrics/"))


def test_the_limit_is_per_address_and_a_real_token_still_works(low_rate, api_for):
    for _ in range(6):
        APIClient().get("/api/v1/schools/", REMOTE_ADDR="10.0.0.1")
    _throttled(APIClient().get("/api/v1/schools/", REMOTE_ADDR="10.0.0.1"))
    assert APIClient().get("/api/v1/schools/", REMOTE_ADDR="10.0.0.2").status_code == 401
    assert api_for(UserFactory()).get("/api/v1/metrics/", REMOTE_ADDR="10.0.0.1").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(low_rate):
    for number in range(5):
        APIClient().get("/api/v1/schools/", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    _throttled(APIClient().get("/api/v1/schools/", HTTP_X_FORWARDED_FOR="192.0.2.99"))


def test_the_default_rate_answers_429_on_the_61st_call_in_a_minute(settings):
    assert settings.API_ANONYMOUS_THROTTLE_RATE == "60/min"
    client = APIClient()
    assert {client.get("/api/v1/schools/").status_code for _ in range(60)} == {401}
    _throttled(client.get("/api/v1/schools/"))
