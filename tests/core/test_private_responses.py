"""Answers to someone signed in (a session or an API token) are never kept by a browser or a proxy."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from schools.models import Role
from tests.world import build_world

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _private(response) -> bool:
    return {"private", "no-store"} <= _directives(response) and "public" not in _directives(response)


@pytest.fixture
def world(db):
    return build_world()


def test_a_logged_in_page_the_pdf_and_the_csv_export_are_private(world, client_for):
    admin = client_for(world["users"][Role.ADMIN])
    contract = world["contracts"][True]
    for url in (
        reverse("inbox"),
        reverse("contracts:contract_detail", args=[contract.pk]),
        reverse("contracts:contract_pdf", args=[contract.pk]),
        reverse("autonomy:grants_matrix_csv"),
    ):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert _private(response), (url, response.get("Cache-Control"))


def test_the_api_is_private_with_a_token_and_with_a_session(world, client_for, api_for):
    principal = world["users"][Role.PRINCIPAL]
    by_token = api_for(principal).get("/api/v1/schools/")
    by_session = client_for(principal).get("/api/v1/schools/")
    assert by_token.status_code == by_session.status_code == 200
    assert _private(by_token) and _private(by_session)


def test_public_answers_are_left_alone(client, settings):
    refused = APIClient().get("/api/v1/schools/")
    assert refused.status_code == 401 and "private" not in _directives(refused)
    urls = (reverse("login"), "/healthz")
    served = [client.get(url) for url in urls]
    assert [response.status_code for response in served] == [200, 200]
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "core.middleware.PrivateResponsesMiddleware"]
    # Both were never cached by Django's own decorator, and their header is exactly what it sets.
    assert [response.get("Cache-Control") for response in served] == [
        client.get(url).get("Cache-Control") for url in urls
    ]
