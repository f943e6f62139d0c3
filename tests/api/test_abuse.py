"""Abuse of every list, every id in a URL and every CSV export: a 4xx (or a harmless 200), never a 5xx.

Lists and routes are enumerated from the router and their filters from the schema, so a new endpoint is
covered the day it lands. tests/api/test_foundation.py tries the same on the schools list alone.
"""

import csv
import io
import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.services import api_token_create
from schools.models import Role
from tests.factories import MembershipFactory, NetworkFactory, SchoolFactory, UserFactory, grant
from tests.test_authorization_matrix import ALL_URLS, API_URLS
from tests.world import world_for_module

pytestmark = pytest.mark.django_db

LISTS = [name for name in API_URLS if name.endswith("-list")]
# Every route with an id or a code in its path: details and the actions on one object.
ON_ONE_OBJECT = [name for name, pattern in ALL_URLS if name in API_URLS and pattern.pattern.regex.groupindex]
OVERFLOW = "99999999999999999999999"
JUNK_IDS = [OVERFLOW, "9" * 19, "-1", "1.5", "1e400", "0x1f", "%00", "1%00", "NaN", "%E2%80%8B1"]


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker):
    """The world, with API clients for its admin and its own school's principal."""
    with world_for_module(django_db_blocker) as world:
        clients = {}
        for role in (Role.ADMIN, Role.PRINCIPAL):
            _, raw = api_token_create(user=world["users"][role], name="abuse")
            clients[role] = APIClient()
            clients[role].credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        yield world, clients


@pytest.fixture(scope="module")
def query_parameters():
    """The query parameters the schema documents for each list path."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"]
        for path, operations in schema["paths"].items()
        if "get" in operations
    }


def _rows(response) -> list:
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def _refused_or_answered(response, *, forbidden: bool = False):
    """A refusal in the one error shape, or a page of at most 500 rows; only 403 for a list the user may
    not read at all."""
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    if forbidden:
        assert response.status_code == 403, response.content[:300]
    elif response.status_code == 200:
        assert len(response.json()["results"]) <= 500
    else:
        assert response.status_code == 400, response.content[:300]
        assert response.json()["error"] == "invalid"


def _forbidden(client, url) -> bool:
    """Whether the list is closed to the user (the evaluation runs, to a principal)."""
    status = client.get(url).status_code
    assert status in (200, 403), (url, status)
    return status == 403


def test_there_are_lists_and_routes_to_abuse():
    assert len(LISTS) >= 10 and len(ON_ONE_OBJECT) >= 20, (LISTS, ON_ONE_OBJECT)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRINCIPAL])
@pytest.mark.parametrize("name", LISTS)
def test_paging_past_the_end_or_too_much_answers_a_bounded_page(district, name, role):
    client = district[1][role]
    url = reverse(name)
    if _forbidden(client, url):
        for query in ({"page": "999999999999"}, {"limit": "100000000"}, {"offset": OVERFLOW}, {"limit": "-1"}):
            _refused_or_answered(client.get(url, query), forbidden=True)
        return
    everything = client.get(url, {"limit": 500}).json()["count"]
    # No `page` parameter here: it is ignored, as any unknown parameter is.
    assert client.get(url, {"page": "999999999999"}).status_code == 200
    assert len(_rows(client.get(url, {"limit": "100000000"}))) == min(everything, 500)
    for offset in ("99999999999999999999999", "999999999999", str(everything)):
        response = client.get(url, {"offset": offset})
        assert _rows(response) == [] and response.json()["count"] == everything
    for bad in ("-1", "1.5", "ten", "", "1e3", "٣", " 1", "0x10"):
        for parameter in ("limit", "offset"):
            response = client.get(url, {parameter: bad})
            assert response.status_code == 400, (parameter, bad, response.content[:300])
            assert parameter in response.json()["fields"]


@pytest.mark.parametrize(
    "ordering", ["password", "-password", "school__liaison__password", "-user__password", "pk;drop", "?", ","]
)
@pytest.mark.parametrize("name", LISTS)
def test_ordering_by_a_field_that_is_not_exposed_is_ignored(district, name, ordering):
    client = district[1][Role.ADMIN]
    url = reverse(name)
    response = client.get(url, {"ordering": ordering, "limit": 500})
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 200:
        assert _rows(response) == _rows(client.get(url, {"limit": 500}))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRINCIPAL])
@pytest.mark.parametrize("name", LISTS)
def test_nul_bytes_long_values_and_huge_numbers_in_every_filter(district, query_parameters, name, role):
    client = district[1][role]
    url = reverse(name)
    forbidden = _forbidden(client, url)
    parameters = query_parameters[url]
    assert {"limit", "offset"} <= set(parameters), parameters
    for parameter in parameters:
        for value in ("a\x00b", "\x00", "x" * 5000, OVERFLOW, "-" + OVERFLOW, "1e400", "2026-13-45", "%", "' OR 1=1"):
            response = client.get(url, {parameter: value})
            assert response.status_code < 500, (parameter, value, response.content[:300])
            _refused_or_answered(response, forbidden=forbidden)


def _with_id(name: str, value: str) -> str:
    """The route's path with `value` where its id (or code) goes, whether or not the route would match it."""
    route = dict(ALL_URLS)[name].pattern.regex.pattern  # as ^requests/(?P<pk>[0-9]{1,18})/return/$
    return reverse("api:api-root") + re.sub(r"\(\?P<\w+>[^()]*\)", lambda _: value, route).strip("^$")


@pytest.mark.parametrize("name", ON_ONE_OBJECT)
def test_junk_and_overflowing_ids_answer_404(district, name):
    method = "get" if name.endswith("-detail") else "post"
    for role in (Role.ADMIN, Role.PRINCIPAL):
        client = district[1][role]
        for junk in JUNK_IDS:
            url = _with_id(name, junk)
            response = client.post(url, {}, format="json") if method == "post" else client.get(url)
            assert response.status_code == 404, (role, url, response.status_code, response.content[:300])
            assert response.json()["error"] == "not_found"


# --- CSV exports ---------------------------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula (or, after a tab or a carriage
# return, as whatever follows).
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
CSV_EXPORTS = {
    "autonomy:grants_matrix_csv",
    "reports:register_csv",
    "reports:results_csv",
    "reports:service_scores_csv",
    "impact:uptake_csv",
    "impact:use_csv",
}


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


def test_every_csv_export_is_in_the_csv_tests(client_for):
    """Every page (without an id in its URL) is asked for as the admin: whatever answers CSV is tested below."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(user=admin, role=Role.ADMIN)
    client = client_for(admin)
    answering_csv = set()
    for name, pattern in ALL_URLS:
        if name.startswith(("admin:", "api:")) or pattern.pattern.regex.groupindex or name == "logout":
            continue
        response = client.get(reverse(name))
        if response.get("Content-Type", "").startswith("text/csv"):
            answering_csv.add(name)
    assert answering_csv == CSV_EXPORTS


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_grants_matrix_csv_neutralizes_every_cell_that_a_spreadsheet_would_run(client_for, start):
    admin = UserFactory()
    MembershipFactory(user=admin, role=Role.ADMIN)
    school = SchoolFactory(
        code=f"{start}C1", name=f'{start}HYPERLINK("http://x")', network=NetworkFactory(name=f"{start}North")
    )
    grant(school, "people.hiring")
    rows = _csv(client_for(admin).get(reverse("autonomy:grants_matrix_csv")))
    header, body = rows[0], rows[1:]
    (row,) = [row for row in body if row[0].endswith("C1")]
    assert row[:3] == [f"'{start}C1", f'\'{start}HYPERLINK("http://x")', f"'{start}North"]
    for cell in [*header, *(cell for line in body for cell in line)]:
        assert not cell.startswith(tuple(FORMULA_STARTS)), cell


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_impact_csvs_neutralize_a_school_code_a_spreadsheet_would_run(client_for, start):
    import datetime

    from django.utils import timezone

    from impact.selectors.years import start_year_of
    from tests.impact.builders import granted

    admin = UserFactory()
    MembershipFactory(user=admin, role=Role.ADMIN)
    school = SchoolFactory(code=f"{start}C1")
    granted(school, "money.budget", starts_on=datetime.date(start_year_of(timezone.localdate()) - 1, 7, 1))
    rows = _csv(client_for(admin).get(reverse("impact:use_csv")))
    (row,) = [row for row in rows[1:] if row[1].endswith("C1")]
    assert row[1] == f"'{start}C1"
    for cell in (cell for line in rows for cell in line):
        assert not cell.startswith(tuple(FORMULA_STARTS)), cell
