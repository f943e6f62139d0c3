import itertools

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create


@pytest.fixture
def api_for(db):
    numbers = itertools.count(1)
    """An API client that sends a real token of the user's, created through the service."""

    def make(user) -> APIClient:
        _, raw = api_token_create(user=user, name=f"tests {next(numbers)}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make
