"""The milestones through the API: read by everyone with a role, filtered by year and kind (a bad filter
refused naming it), written by the autonomy office through the same service as the pages (a bad field
refused naming it, nothing saved), in the same queries for 1 milestone or 20."""

import datetime

import pytest
from django.core.cache import cache

from schools.models import Role
from support.models import Milestone, MilestoneKind
from tests.support import calendar_world

pytestmark = pytest.mark.django_db

# The shared fixtures (tests/support/calendar_world.py), by name.
people = calendar_world.people
years = calendar_world.years

D = datetime.date
LIST = "/api/v1/milestones/"


@pytest.fixture
def milestones(years):
    return [
        Milestone.objects.create(
            school_year=years["this"], kind=MilestoneKind.STAFFING_DEADLINE, title="Staffing due", on=D(2027, 4, 15)
        ),
        Milestone.objects.create(
            school_year=years["this"],
            kind=MilestoneKind.DISTRICT_CLOSED,
            title="Spring break",
            on=D(2027, 3, 22),
            ends_on=D(2027, 3, 26),
        ),
        Milestone.objects.create(
            school_year=years["next"], kind=MilestoneKind.ALLOCATIONS_RELEASED, title="Allocations", on=D(2028, 3, 1)
        ),
    ]


def test_everyone_with_a_role_lists_them_by_date(api_for, people, milestones):
    response = api_for(people[Role.PRINCIPAL]).get(LIST)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["title"], r["school_year"], r["kind"], r["on"], r["ends_on"]) for r in rows] == [
        ("Spring break", "2026-27", "closed", "2027-03-22", "2027-03-26"),
        ("Staffing due", "2026-27", "staffing", "2027-04-15", None),
        ("Allocations", "2027-28", "allocations", "2028-03-01", None),
    ]


def test_filters_by_year_and_kind(api_for, people, milestones):
    client = api_for(people[Role.VIEWER])
    assert [r["title"] for r in client.get(LIST, {"year": "2027-28"}).json()["results"]] == ["Allocations"]
    assert [r["title"] for r in client.get(LIST, {"kind": "closed"}).json()["results"]] == ["Spring break"]
    assert client.get(LIST, {"year": "2026-27", "kind": "allocations"}).json()["results"] == []
    assert client.get(LIST, {"year": "1999-00"}).json()["results"] == []  # a year with nothing on it
    for name, value in (("year", "2026-28"), ("year", "26-27\x00"), ("kind", "holiday")):
        response = client.get(LIST, {name: value})
        assert response.status_code == 400
        assert list(response.json()["fields"]) == [name]


def test_without_a_role_nothing_is_read(api_for, people, milestones):
    client = api_for(people["no_role"])
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{milestones[0].pk}/").status_code == 404


def _body(**changes):
    return {
        "school_year": "2026-27",
        "kind": "contracts",
        "title": "Performance contracts signed",
        "on": "2027-06-01",
        "ends_on": "2027-06-11",
        "description": "Principals sign; the office countersigns.",
    } | changes


def test_the_office_creates_changes_and_deletes(api_for, people, years):
    client = api_for(people[Role.ADMIN])
    created = client.post(LIST, _body(), format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert Milestone.objects.get(pk=pk).ends_on == D(2027, 6, 11)
    patched = client.patch(f"{LIST}{pk}/", {"title": "Contracts signed"}, format="json")
    assert patched.status_code == 200 and patched.json()["title"] == "Contracts signed"
    assert patched.json()["ends_on"] == "2027-06-11"  # what PATCH did not send stays as it was
    put = client.put(f"{LIST}{pk}/", _body(ends_on=None, title="Signed"), format="json")
    assert put.status_code == 200
    assert (put.json()["title"], put.json()["ends_on"]) == ("Signed", None)
    assert client.delete(f"{LIST}{pk}/").status_code == 204
    assert not Milestone.objects.exists()
    assert client.delete(f"{LIST}{pk}/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2027-05-01"}, "ends_on"),
        ({"on": "2027-07-01", "ends_on": None}, "on"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "holiday"}, "kind"),
        ({"kind": 3}, "kind"),
        ({"school_year": "1999-00"}, "school_year"),
        ({"description": "x" * 4001}, "description"),
        ({"on": "June 1"}, "on"),
        ({"status": "done"}, "status"),
    ],
)
def test_a_bad_body_is_refused_naming_the_field(api_for, people, years, changes, field):
    response = api_for(people[Role.ADMIN]).post(LIST, _body(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Milestone.objects.exists()


def test_a_bad_change_leaves_the_milestone(api_for, people, milestones):
    milestone = milestones[0]
    response = api_for(people[Role.ADMIN]).patch(f"{LIST}{milestone.pk}/", {"on": "2030-01-01"}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["on"]
    milestone.refresh_from_db()
    assert milestone.on == D(2027, 4, 15)


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.LIAISON, Role.REVIEWER, Role.VIEWER])
def test_nobody_else_writes(api_for, people, milestones, role):
    client = api_for(people[role])
    url = f"{LIST}{milestones[0].pk}/"
    assert client.post(LIST, _body(), format="json").status_code == 403
    assert client.patch(url, {"title": "Mine"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert Milestone.objects.count() == 3 and Milestone.objects.get(pk=milestones[0].pk).title == "Staffing due"


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_for_1_or_20(api_for, people, years, count, django_assert_num_queries):
    Milestone.objects.bulk_create(
        Milestone(school_year=years["this"], kind="other", title=f"Date {n}", on=D(2027, 1, 1) + datetime.timedelta(n))
        for n in range(count)
    )
    client = api_for(people[Role.PRINCIPAL])
    cache.clear()
    # The token, its last use, the roles (asked by the policy and the scope: read once), the count, the page.
    with django_assert_num_queries(5):
        response = client.get(LIST, {"year": "2026-27"})
    assert len(response.json()["results"]) == count
