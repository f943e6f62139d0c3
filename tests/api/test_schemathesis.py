"""Schemathesis against the live OpenAPI schema: every operation, with an admin's and a principal's token.

The schema is fetched from /api/schema/ through the project's WSGI application when this module is
collected, so the run covers exactly the operations the router serves today: a new endpoint is picked
up without touching this file. Requests go to the same application in this process, inside the test's
transaction, after a small district (the authorization matrix's `world`: two schools with requests,
grants, contracts and flags) has been built. Path parameters are drawn partly from the ids the API
itself lists to the admin, so detail routes and actions meet real objects — the principal's own
school's and another school's — and not only 404s.

Every generated case must pass CHECKS: no 5xx, a documented status code, the documented content type
and headers, a body that matches the documented schema, input the schema calls invalid refused with a
4xx, and an operation that answers 2xx with the token answering 401 without it. The number of cases
per token is printed in the terminal summary ("Schemathesis" section).
"""

from collections import Counter, defaultdict

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.value import GeneratedValue
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug import Client

from accounts.services import api_token_create
from schools.models import Role
from tests.world import world_for_module

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

SCHEMA_URL = "/api/schema/"
MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]
TOKEN_HOLDERS = {"admin": Role.ADMIN, "principal": Role.PRINCIPAL}


def _application():
    """A fresh handler (its middleware reads the settings in force now: tests turn the HTTPS redirect off),
    whose response headers reach the client as plain strings, as a server would put them on the wire
    (a view may set one to a str subclass such as DRF's Hyperlink, which the checks cannot read)."""
    handler = WSGIHandler()

    def application(environ, start_response):
        def start_with_plain_headers(status, headers, exc_info=None):
            return start_response(status, [(str(name), str(value)) for name, value in headers], exc_info)

        return handler(environ, start_with_plain_headers)

    return application


def _load_live_schema():
    with override_settings(SECURE_SSL_REDIRECT=False):
        application = _application()
    # Credentials are the real tokens the test sends, never generated ones.
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    return schemathesis.openapi.from_wsgi(
        SCHEMA_URL, application, config=config, headers={"Accept": "application/vnd.oai.openapi+json"}
    )


LIVE_SCHEMA = _load_live_schema()

# Rows each list answered to the admin in the current test: list path → rows. The hook below reads it
# when Hypothesis draws a case, after the fixture has filled it.
LISTED: dict[str, list[dict]] = {}
# Generated cases: token holder → operation → count, for the summary.
CASES: dict[str, Counter] = defaultdict(Counter)


@LIVE_SCHEMA.hook
def before_generate_path_parameters(context, strategy):
    """Half the time, put the id of an object the API listed into the path instead of a generated one.

    Only where the path was generated valid: a path meant to be invalid (negative mode) stays as drawn.
    """
    path = context.operation.path
    if "{" not in path:
        return strategy
    list_path, _, rest = path.partition("{")
    name = rest.split("}", 1)[0]
    field = "id" if name == "pk" else name

    def with_a_listed_value(generated):
        values = [row[field] for row in LISTED.get(list_path, []) if isinstance(row, dict) and field in row]
        if not values:
            return st.just(generated)
        if isinstance(generated, GeneratedValue):
            if generated.meta is not None:
                return st.just(generated)
            return st.sampled_from(values).map(lambda value: generated.map_value(lambda v: {**v, name: value}))
        return st.sampled_from(values).map(lambda value: {**generated, name: value})

    return st.one_of(strategy.flatmap(with_a_listed_value), strategy)


@LIVE_SCHEMA.hook
def filter_failure(context, failure, case, response):
    """Forgive one thing only: a filter sent empty (`?status=`) is accepted and means "no filter", which is
    django-filter's convention and what a filter form left blank sends. Invalid input anywhere else, or a
    query without an empty value, that is accepted still fails."""
    if not isinstance(failure, AcceptedNegativeData) or case.meta is None:
        return True
    negative = {location for location in ParameterLocation if case.meta.is_negative_at(location)}
    empty_filter = any(value in ("", [""]) for value in (case.query or {}).values())
    return not (negative == {ParameterLocation.QUERY} and empty_filter)


class CaseCountSummary:
    """The number of generated cases per token, in the terminal summary whether output is captured or not."""

    def pytest_terminal_summary(self, terminalreporter):
        if not CASES:
            return
        terminalreporter.section("Schemathesis")
        for holder, per_operation in sorted(CASES.items()):
            terminalreporter.write_line(
                f"{holder} token: {sum(per_operation.values())} generated cases over {len(per_operation)} operations"
            )


@pytest.fixture(scope="module", autouse=True)
def _case_count_summary(request):
    if not request.config.pluginmanager.has_plugin("schemathesis-case-count"):
        request.config.pluginmanager.register(CaseCountSummary(), "schemathesis-case-count")


@pytest.fixture(scope="module")
def served_in_process():
    """Django closes the database connection at the start and end of each request; inside a test's
    transaction that would throw the data away, so (as Django's test client does) that is switched off."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with override_settings(SECURE_SSL_REDIRECT=False, API_THROTTLE_RATE="", API_ANONYMOUS_THROTTLE_RATE=""):
            yield _application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker, served_in_process):
    """The authorization matrix's world, built once for the module (tests/world.py), a token for each
    holder, and every list as the admin sees it (for the path parameters above)."""
    with world_for_module(django_db_blocker) as built:
        tokens = {
            holder: api_token_create(user=built["users"][role], name="schemathesis")[1]
            for holder, role in TOKEN_HOLDERS.items()
        }
        client = Client(served_in_process)
        for path, operations in LIVE_SCHEMA.raw_schema["paths"].items():
            if "{" in path or "get" not in operations:
                continue
            response = client.get(path, query_string={"limit": 500}, headers=_bearer(tokens["admin"]))
            assert response.status_code == 200, (path, response.get_data(as_text=True)[:500])
            LISTED[path] = response.get_json()["results"]
        try:
            yield tokens
        finally:
            LISTED.clear()


def _bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture(params=sorted(TOKEN_HOLDERS))
def token_holder(request, district):
    """(name, Authorization header) for the admin, or for the principal of the world's own school."""
    return request.param, _bearer(district[request.param])


@LIVE_SCHEMA.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # the same cases on every run, so a failure in CI is a failure on a laptop
    database=None,
    deadline=None,  # timings are for benchmarks/, not tests
    # The district and the tokens are shared by a test's examples on purpose; and a slow or mostly
    # refused generation is not a defect of the API.
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, token_holder, served_in_process):
    holder, headers = token_holder
    CASES[holder][case.operation.label] += 1
    case.call_and_validate(app=served_in_process, headers=headers, checks=CHECKS)
