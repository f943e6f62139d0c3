"""A public school page shows its own network's central-office service scores (the central-office page's
figures, cut to the network, so a network masked there is masked here), refreshed when a survey closes;
and the same figures as open data: the CSV and the public API, filtered by network."""

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from schools.models import Network, Role
from support.services.surveys import survey_cycle_close
from tests.factories import SchoolFactory
from tests.reports.public_world import public_world, service_survey

DEPARTMENTS = [
    "Academics",
    "Talent and human resources",
    "Finance",
    "Operations",
    "Special education",
    "Data and assessment",
]
API = "/api/v1/public/service-scores/"


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def service_part(client, school) -> str:
    """The visible text of the school page's service section."""
    response = client.get(reverse("reports:school", args=[school.code]))
    assert response.status_code == 200
    html = response.content.decode()
    section = html.split('aria-labelledby="service-heading"', 1)[1].split("</section>", 1)[0]
    return visible_text(section)


@pytest.fixture
def world(db):
    return public_world()


@pytest.fixture
def surveyed(world, django_capture_on_commit_callbacks):
    return service_survey(world, execute_on_commit=django_capture_on_commit_callbacks)


def test_a_school_sees_its_networks_figure_for_each_department(client, surveyed):
    west_school = surveyed["west_pairs"][0][0]
    text = service_part(client, west_school)
    assert f"How the principals of West Network rated each central-office department in the {surveyed['cycle']}" in text
    assert "at least 10 principals answered" in text  # the stricter of the survey's 5 and the policy's 10
    assert "Principals' ratings of central office in West Network" in text  # the table's caption
    for name in DEPARTMENTS:  # 9 of 11 agree: 82 %, a B
        assert f"{name} 82% B 11" in text
    assert "100%" not in text and "91%" not in text  # no other network's figure, not the district's


def test_a_network_too_small_is_said_in_words_and_the_district_shown(client, surveyed):
    text = service_part(client, surveyed["own"])  # North: 2 principals, all strongly agreeing
    assert (
        f"The ratings from principals in North Network in the {surveyed['cycle']} survey are not published: too "
        "few answered (a figure needs at least 10)" in text
    )
    assert "Principals' ratings of central office, whole district" in text  # the caption
    for name in DEPARTMENTS:  # the district: 21 of 23 agree, 91 %
        assert f"{name} 91% A 23" in text
    assert "100" not in text and " * " not in text
    # East (10 principals) is hidden with North, so that North's figure cannot be worked out from the total.
    east_text = service_part(client, surveyed["east_pairs"][0][0])
    assert "100%" not in east_text and "Academics 91% A 23" in east_text and "are not published" in east_text


def test_the_section_links_to_the_central_office_page(client, surveyed):
    html = client.get(reverse("reports:school", args=[surveyed["own"].code])).content.decode()
    section = html.split('aria-labelledby="service-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="{reverse("reports:central_office")}"' in section


def test_a_school_in_no_network_says_so(client, surveyed):
    text = service_part(client, SchoolFactory(network=None))
    assert "This school is in no network, so there are no network service scores to show for it." in text
    assert "%" not in text.replace("% positive", "")


def test_before_any_survey_closes_the_page_says_so(client, world):
    assert "No survey of central office's service has closed yet." in service_part(client, world["own"])


def test_closing_a_survey_shows_on_the_next_request(client, world, django_capture_on_commit_callbacks):
    service_survey(world, execute_on_commit=django_capture_on_commit_callbacks, close=False)
    west_school = world["west_pairs"][0][0]
    assert "No survey of central office's service has closed yet." in service_part(client, west_school)
    assert "No survey of central office's service has closed yet." in service_part(client, west_school)  # cached
    with django_capture_on_commit_callbacks(execute=True):
        survey_cycle_close(actor=world["users"][Role.ADMIN], cycle_id=world["cycle"].pk)
    assert "Academics 82% B 11" in service_part(client, west_school)


def test_the_page_is_served_from_the_cache_the_second_time(surveyed, django_assert_num_queries):
    client = Client()
    url = reverse("reports:school", args=[surveyed["own"].code])
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    assert len(first) == SCHOOL_QUERIES_WITH_SCORES
    with django_assert_num_queries(0):  # the page and the version both from the cache
        client.get(url)


# The school page's 15 (test_public_pages: its own 14 and the latest closed cycle), plus the survey's own
# policy, its statements, its tallies by statement and by network, the networks' names, whether any school
# is in no network, and the record of the cells masked (North and East).
SCHOOL_QUERIES_WITH_SCORES = 22


def csv_rows(client) -> list[dict]:
    response = client.get(reverse("reports:service_scores_csv"))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_file_and_the_api_publish_the_same_figures(client, surveyed):
    west, north = surveyed["west"], surveyed["own"].network
    from_file = csv_rows(client)
    answer = APIClient().get(API, {"limit": 500})
    assert answer.status_code == 200
    from_api = answer.json()["results"]
    groups = 1 + Network.objects.count()  # the district, and every network (hidden where none answered)
    assert len(from_file) == len(from_api) == 6 * groups
    for row_file, row_api in zip(from_file, from_api, strict=True):
        assert row_file == {key: "" if value is None else str(value) for key, value in row_api.items()}
    academics = {row["network"]: row for row in from_api if row["department"] == "academics"}
    assert academics["all"]["percent_positive"] == "91" and academics["all"]["respondents"] == 23
    assert (academics[str(west.pk)]["percent_positive"], academics[str(west.pk)]["grade"]) == ("82", "B")
    assert academics[str(north.pk)] | {"network_name": ""} == {
        "survey": str(surveyed["cycle"]),
        "department": "academics",
        "department_name": "Academics",
        "network": str(north.pk),
        "network_name": "",
        "percent_positive": "*",
        "grade": "",
        "respondents": None,
    }


def test_the_api_filters_by_network(surveyed):
    west = surveyed["west"]
    rows = APIClient().get(API, {"network": west.pk}).json()["results"]
    assert {row["network"] for row in rows} == {str(west.pk)} and len(rows) == 6
    district = APIClient().get(API, {"network": "all"}).json()["results"]
    assert {row["network_name"] for row in district} == {"Whole district"}


@pytest.mark.parametrize("value", ["999999", "north", "-1", "1" * 30, "\x00"])
def test_a_bad_network_is_refused_naming_the_field(world, value):
    response = APIClient().get(API, {"network": value})
    assert response.status_code == 400
    assert "network" in response.json()["fields"]


def test_the_api_is_public_in_the_schema_and_throttled(world, settings):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][API]["get"]
    assert "network" in {parameter["name"] for parameter in operation["parameters"]}
    assert APIClient().post(API, {}, format="json").status_code == 405
    settings.API_ANONYMOUS_THROTTLE_RATE = "2/min"
    client = APIClient(REMOTE_ADDR="10.0.0.7")
    assert [client.get(API).status_code for _ in range(3)] == [200, 200, 429]


def test_the_api_answers_in_a_fixed_number_of_queries(surveyed, django_assert_num_queries):
    cache.clear()
    with django_assert_num_queries(API_QUERIES):
        assert APIClient().get(API, {"network": surveyed["west"].pk}).status_code == 200


# The network asked for, the policy in force, the latest closed cycle, the survey's policy, statements,
# tallies by statement and by network, the networks' names, whether any school is in no network, and the
# record of the cells masked.
API_QUERIES = 10


def test_a_network_name_that_starts_like_a_formula_is_kept_as_text(client, surveyed):
    assert "West Network" in client.get(reverse("reports:service_scores_csv")).content.decode()
    west = surveyed["west"]
    west.name = '=HYPERLINK("http://x")'
    west.save()  # renaming a network shows on the next request
    text = client.get(reverse("reports:service_scores_csv")).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(cell.startswith("=") for cell in cells)
