"""The README's API examples are true: each `curl` in its API section names an operation of the live schema
with documented query parameters and a body the schema accepts, and run against the application with an
admin's token it succeeds (the answer the README quotes is the answer given)."""

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from schools.models import Role
from tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory, UserFactory

README = Path(__file__).resolve().parents[2] / "README.md"


@dataclass
class Example:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: object  # parsed JSON, or None


def _api_section() -> str:
    text = README.read_text()
    match = re.search(r"^## API\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, "README.md has no API section"
    return match[1]


def _curl_examples() -> list[Example]:
    blocks = re.findall(r"```sh\n(.*?)```", _api_section(), re.S)
    script = "\n".join(line for block in blocks for line in block.splitlines() if not line.lstrip().startswith("#"))
    words = shlex.split(script.replace("\\\n", " "))
    commands, current = [], None
    for word in words:
        if word == "curl":
            current = []
            commands.append(current)
        elif current is not None and word != "export":
            current.append(word)
        else:
            current = None
    return [_parse(command) for command in commands]


def _parse(arguments: list[str]) -> Example:
    method, headers, body, url = None, {}, None, None
    arguments = iter(arguments)
    for word in arguments:
        if word == "-X":
            method = next(arguments)
        elif word == "-H":
            name, _, value = next(arguments).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data"):
            body = json.loads(next(arguments))
        else:
            assert url is None and word.startswith("$PORTAL/"), f"unexpected curl argument {word!r}"
            url = word.removeprefix("$PORTAL")
    parts = urlsplit(url)
    return Example(
        method or ("POST" if body is not None else "GET"), parts.path, dict(parse_qsl(parts.query)), headers, body
    )


EXAMPLES = _curl_examples()


@pytest.fixture(scope="module")
def live_schema():
    # Over HTTPS: the module's fixture comes before the tests' settings turn the HTTPS redirect off.
    response = APIClient().get(reverse("api-schema"), secure=True, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def _operation(schema, example: Example) -> dict:
    # Literal paths first: /observations/bulk/ is not the observation whose id is "bulk".
    for template, operations in sorted(schema["paths"].items(), key=lambda item: item[0].count("{")):
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), example.path):
            assert example.method.lower() in operations, f"{example.method} is not documented for {template}"
            return operations[example.method.lower()]
    raise AssertionError(f"{example.path} is not in the schema")


def test_the_api_section_pushes_observations_lists_flags_and_starts_a_run():
    calls = {(example.method, example.path) for example in EXAMPLES}
    assert calls == {
        ("POST", "/api/v1/observations/bulk/"),
        ("GET", "/api/v1/flags/"),
        ("POST", "/api/v1/evaluation-runs/"),
    }
    assert all(example.headers["Authorization"] == "Bearer $TOKEN" for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: f"{example.method} {example.path}")
def test_each_example_matches_the_live_schema(live_schema, example):
    operation = _operation(live_schema, example)
    documented = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"}
    validator_root = {"components": live_schema["components"]}
    for name, value in example.query.items():
        assert name in documented, f"?{name}= is not a documented parameter of {example.path}"
        jsonschema.validate(value, {**documented[name], **validator_root})
    if "ordering" in example.query:
        view = resolve(example.path).func.cls
        assert example.query["ordering"].lstrip("-") in view.ordering_fields, example.query["ordering"]
    if example.body is None:
        assert "requestBody" not in operation or not operation["requestBody"].get("required")
    else:
        assert example.headers.get("Content-Type") == "application/json"
        body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
        jsonschema.validate(example.body, {**body_schema, **validator_root})


@pytest.mark.django_db
def test_the_examples_run_as_the_readme_says(settings):
    """With the demo's school codes and school year, each example succeeds, in the README's order."""
    settings.API_THROTTLE_RATE = ""
    SchoolYearFactory(label="2026-27")
    SchoolFactory(code="S0001")
    SchoolFactory(code="S0002")
    admin = UserFactory()
    MembershipFactory(user=admin, role=Role.ADMIN)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=admin, name='readme')[1]}")
    section = _api_section()
    for example in EXAMPLES:
        query = f"?{'&'.join(f'{k}={v}' for k, v in example.query.items())}" if example.query else ""
        send = getattr(client, example.method.lower())
        response = (
            send(example.path + query, example.body, format="json") if example.body else send(example.path + query)
        )
        assert 200 <= response.status_code < 300, (example.path, response.status_code, response.content[:500])
        if example.path.endswith("/bulk/"):
            # The answer the README quotes, and what pushing the same rows again says.
            assert f"→ {json.dumps(response.json())}" in section
            again = send(example.path, example.body, format="json").json()
            assert f'again: "unchanged": {again["unchanged"]}' in section and again["unchanged"] == again["rows"]
        if example.path == "/api/v1/evaluation-runs/":
            assert response.status_code == 202 and response["Location"].endswith(
                f"/api/v1/evaluation-runs/{response.json()['id']}/"
            )
