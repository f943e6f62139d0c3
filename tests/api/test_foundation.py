"""What every endpoint shares: authentication, the one error shape, pagination, throttling, the schema."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from schools.models import Role
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_requests_are_refused_with_json_401():
    response = APIClient().get("/api/v1/schools/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "not_authenticated", "detail": response.json()["detail"], "fields": {}}


def test_an_unknown_api_url_answers_json_404(settings, api_for):
    settings.DEBUG = False
    client = api_for(UserFactory())
    for url in ("/api/v1/nothing-here/", "/api/v2/", "/api/v1/schools/%00/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"] == "not_found", url


def test_a_bad_filter_value_is_refused_naming_the_field(api_for, make_member):
    client = api_for(make_member(Role.ADMIN))
    response = client.get("/api/v1/schools/", {"flagged": "perhaps"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and "flagged" in body["fields"]


@pytest.mark.parametrize(
    "query",
    [
        {"offset": "999999999999"},
        {"offset": "99999999999999999999999999"},
        {"limit": "999999999"},
        {"limit": "-5", "offset": "-1"},
        {"page": "999999999999"},
        {"ordering": "password"},
        {"ordering": "liaison__password"},
        {"network": "a\x00b"},
        {"liaison": "x" * 5000},
    ],
)
def test_abusive_list_parameters_never_fail_the_server(api_for, make_member, query):
    SchoolFactory.create_batch(3)
    response = api_for(make_member(Role.ADMIN)).get("/api/v1/schools/", query)
    assert response.status_code < 500, response.content
    if response.status_code == 200:
        assert len(response.json()["results"]) <= 500


def test_lists_are_paginated_with_a_cap(api_for, make_member):
    SchoolFactory.create_batch(7)
    client = api_for(make_member(Role.ADMIN))
    body = client.get("/api/v1/schools/", {"limit": 3, "offset": 3}).json()
    assert body["count"] == 7 and len(body["results"]) == 3 and body["next"] and body["previous"]
    codes = [row["code"] for row in client.get("/api/v1/schools/", {"limit": 1000}).json()["results"]]
    assert codes == sorted(codes)


def test_throttling_counts_per_token(settings, api_for):
    settings.API_THROTTLE_RATE = "3/min"
    user = UserFactory()
    first, second = api_for(user), api_for(user)
    assert [first.get("/api/v1/metrics/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/api/v1/metrics/")
    assert refused.status_code == 429 and refused.json()["error"] == "throttled" and refused["Retry-After"]
    assert second.get("/api/v1/metrics/").status_code == 200  # another token has its own allowance


def test_the_schema_is_valid_openapi_and_documents_the_error_shape():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "Error" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in operations.items():
            for code in ("401", "403", "404", "429"):
                assert code in operation["responses"], (method, path, code)
            if path.startswith("/api/v1/public/"):  # open data: no token, limited by address (tests/reports)
                assert "security" not in operation and "public" in operation["tags"], (method, path)
            else:
                assert {"tokenAuth": []} in operation["security"], (method, path)


def test_schema_and_docs_are_served_without_any_cdn(client_for):
    client = client_for(UserFactory())
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "//unpkg" not in html


def test_the_api_answers_json_only_and_refuses_forms(api_for, make_member):
    client = api_for(make_member(Role.ADMIN))
    response = client.get("/api/v1/schools/", HTTP_ACCEPT="text/html")
    assert response.status_code in (200, 406)
    assert response["Content-Type"].startswith("application/json")


def test_schools_are_scoped_to_the_user_and_another_schools_answers_404(api_for):
    own, other = SchoolFactory(), SchoolFactory()
    principal = MembershipFactory(role=Role.PRINCIPAL, school=own).user
    client = api_for(principal)
    codes = [row["code"] for row in client.get("/api/v1/schools/").json()["results"]]
    assert codes == [own.code]
    assert client.get(f"/api/v1/schools/{own.code}/").status_code == 200
    assert client.get(f"/api/v1/schools/{other.code}/").json()["error"] == "not_found"


def test_school_list_query_count_is_constant(api_for, make_member, django_assert_max_num_queries):
    client = api_for(make_member(Role.ADMIN))
    SchoolFactory.create_batch(2)
    client.get("/api/v1/schools/")
    with django_assert_max_num_queries(3) as few:
        client.get("/api/v1/schools/")
    SchoolFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/schools/")


def test_a_body_over_the_upload_limit_answers_json_413(settings, api_for, make_member):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_for(make_member(Role.ADMIN)).post(
        "/api/v1/evaluation-runs/", {"as_of": "2026-11-01", "pad": "x" * 5000}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_a_deeply_nested_body_is_refused_not_a_server_error(api_for, make_member):
    body = "[" * 100_000 + "]" * 100_000
    response = api_for(make_member(Role.ADMIN)).generic(
        "POST", "/api/v1/evaluation-runs/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"
