"""The open-data files: the register and the results as CSV, anonymous, with the same suppression."""

import csv
import io

import pytest
from django.urls import reverse

from reports.services.publishing import policy_publish
from tests.reports.public_world import public_world


@pytest.fixture
def world(db):
    return public_world()


def rows(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_register_file_has_a_row_per_school_and_autonomy(client, world):
    found = rows(client, "reports:register_csv")
    own = [r for r in found if r["school"] == world["own"].code]
    assert [r["autonomy"] for r in own] == ["people.hiring"]
    assert own[0]["status"] == "active" and own[0]["since"] == "2026-07-01"


def test_the_results_file_hides_a_small_group_with_the_policys_marker(client, world):
    policy_publish(minimum_n=10, marker="n<10")
    found = rows(client, "reports:results_csv")
    own = [r for r in found if r["school"] == world["own"].code]
    other = [r for r in found if r["school"] == world["other"].code]
    assert own and all(r["value"] == "n<10" and r["status"] == "n<10" for r in own)
    assert other and all(r["value"] == "40" for r in other)  # no n recorded: not a small group
