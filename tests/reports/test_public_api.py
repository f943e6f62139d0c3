"""The public API answers without a token, publishes what the files publish, is in the schema and is
throttled per address."""

import pytest
from rest_framework.test import APIClient

from tests.reports.public_world import public_world


@pytest.fixture
def world(db):
    return public_world()


@pytest.fixture
def anonymous():
    return APIClient()


def test_the_register_answers_without_a_token(anonymous, world):
    response = anonymous.get("/api/v1/public/register/")
    assert response.status_code == 200
    schools = {row["school"] for row in response.json()["results"]}
    assert {world["own"].code, world["other"].code} <= schools
    row = next(r for r in response.json()["results"] if r["school"] == world["own"].code)
    assert row["autonomy"] == "people.hiring" and row["network"] == "North Network"


def test_results_answer_without_a_token(anonymous, world):
    response = anonymous.get("/api/v1/public/results/")
    assert response.status_code == 200
    assert {row["school"] for row in response.json()["results"]} == {world["own"].code, world["other"].code}


def test_a_bad_page_parameter_is_refused_naming_it(anonymous, world):
    response = anonymous.get("/api/v1/public/results/?limit=abc")
    assert response.status_code == 400
    assert "limit" in response.json()["fields"]


def test_nothing_can_be_written(anonymous, world):
    assert anonymous.post("/api/v1/public/register/", {}, format="json").status_code == 405


def test_the_public_api_is_in_the_schema(anonymous, world):
    schema = anonymous.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/public/register/" in paths and "/api/v1/public/results/" in paths


def test_it_is_throttled_per_address(anonymous, world, settings):
    settings.API_ANONYMOUS_THROTTLE_RATE = "3/min"
    answers = [anonymous.get("/api/v1/public/register/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    elsewhere = APIClient(REMOTE_ADDR="10.0.0.9")
    assert elsewhere.get("/api/v1/public/register/").status_code == 200
