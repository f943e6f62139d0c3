"""School allocations through the API: a released one is seen by whoever sees the school, an unreleased one
by finance only, anything else is 404; each with its lines to the cent; filters checked (400 naming the
field); the list and an allocation in a fixed number of queries."""

from decimal import Decimal

import pytest

from budgeting.models import AllocationLine, LineKind
from budgeting.services.allocations import allocation_set_compute
from schools.models import Role
from tests.budgeting import allocation_builders as build
from tests.budgeting.plan_builders import allocation_set, school_allocation
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/allocations/"


@pytest.fixture
def world(make_member):
    """The liaison's school and another, each with an allocation released for 2026-27 and one computed for
    2027-28 but not released."""
    liaison = make_member(Role.LIAISON)
    school, other = SchoolFactory(liaison=liaison), SchoolFactory()
    released = allocation_set(year=build.year("2026-27"))
    unreleased = allocation_set(year=build.year("2027-28"), released=False)
    allocations = {
        (where, when): school_allocation(place, sets=sets)
        for where, place in (("own", school), ("other", other))
        for when, sets in (("released", released), ("unreleased", unreleased))
    }
    people = {
        "finance": make_member(Role.REVIEWER, function="finance"),
        "admin": make_member(Role.ADMIN),
        "principal": make_member(Role.PRINCIPAL, school=school),
        "team": make_member(Role.SCHOOL_TEAM, school=school),
        "other_principal": make_member(Role.PRINCIPAL, school=other),
        "liaison": liaison,
        "hr_reviewer": make_member(Role.REVIEWER, function="hr"),
    }
    return {"school": school, "other": other, "allocations": allocations, "people": people}


# Who sees which of the four allocations (school, released or not).
SEES = {
    "finance": {("own", "released"), ("other", "released"), ("own", "unreleased"), ("other", "unreleased")},
    "admin": {("own", "released"), ("other", "released"), ("own", "unreleased"), ("other", "unreleased")},
    "principal": {("own", "released")},
    "team": {("own", "released")},
    "liaison": {("own", "released")},
    "other_principal": {("other", "released")},
    "hr_reviewer": {("own", "released"), ("other", "released")},
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_sees_what_its_policy_says(world, api_for, who):
    client = api_for(world["people"][who])
    listed = {row["id"] for row in client.get(LIST).json()["results"]}
    assert listed == {world["allocations"][key].pk for key in SEES[who]}
    for key, allocation in world["allocations"].items():
        response = client.get(f"{LIST}{allocation.pk}/")
        assert response.status_code == (200 if key in SEES[who] else 404), (who, key)
        if response.status_code == 404:
            assert response.json()["error"] == "not_found"


def test_without_a_token_it_is_401(world, client):
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}{world['allocations']['own', 'released'].pk}/").status_code == 401


def test_an_allocation_explains_itself_line_by_line(world, api_for):
    allocation = world["allocations"]["own", "released"]
    body = api_for(world["people"]["principal"]).get(f"{LIST}{allocation.pk}/").json()
    assert body["school"] == world["school"].code and body["school_year"] == "2026-27"
    assert body["kind"] == "initial" and body["released_on"] and body["formula_version"] == 1
    assert body["final_amount"] == "1000000.00" and body["per_pupil"] == "2222.22" and body["students"] == 450
    assert body["previous_amount"] is None and body["transition_adjustment"] == "0.00"
    assert body["lines"][0] == {
        "position": 1,
        "kind": "weight",
        "category": "poverty",
        "label": "Poverty",
        "basis": "100.00",
        "weight": "0.1200",
        "per_capita": "480.00",
        "amount": "48000.00",
    }
    assert [line["category"] for line in body["lines"]] == ["poverty", "disability"]


def test_computed_lines_add_up_to_the_final_amount_exactly(make_member, api_for):
    finance = make_member(Role.REVIEWER, function="finance")
    formula, snapshot, schools = build.district(schools=1)
    allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    client = api_for(finance)
    row = client.get(LIST, {"school": schools[0].code}).json()["results"][0]
    body = client.get(row["url"]).json()
    assert body["final_amount"] == str(build.MIDDLE_412) and body["released_on"] is None
    assert sum(Decimal(line["amount"]) for line in body["lines"]) == build.MIDDLE_412
    foundation = next(line for line in body["lines"] if line["kind"] == "foundation")
    assert foundation["category"] is None and foundation["amount"] == "350000.00"


def test_filters_by_school_year_and_kind(world, api_for):
    client = api_for(world["people"]["finance"])
    by_school = client.get(LIST, {"school": world["school"].code}).json()
    assert {row["school"] for row in by_school["results"]} == {world["school"].code} and by_school["count"] == 2
    by_year = client.get(LIST, {"school_year": "2027-28"}).json()
    assert {row["released_on"] for row in by_year["results"]} == {None} and by_year["count"] == 2
    both = client.get(LIST, {"school": world["other"].code, "school_year": "2026-27"}).json()
    assert [row["id"] for row in both["results"]] == [world["allocations"]["other", "released"].pk]
    assert client.get(LIST, {"kind": "true_up"}).json()["count"] == 0
    assert client.get(LIST, {"school": "NOSUCH"}).json()["count"] == 0


def test_a_principal_filtering_on_another_school_finds_nothing(world, api_for):
    client = api_for(world["people"]["principal"])
    assert client.get(LIST, {"school": world["other"].code}).json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"school_year": "2026"}, "school_year"),
        ({"school_year": "2026-28"}, "school_year"),
        ({"school_year": "x" * 300}, "school_year"),
        ({"school": "S" * 21}, "school"),
        ({"school": "S\x00"}, "school"),
        ({"kind": "final"}, "kind"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
    ],
)
def test_a_bad_filter_is_400_naming_it(world, api_for, query, field):
    response = api_for(world["people"]["principal"]).get(LIST, query)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


def test_an_unknown_or_junk_id_is_404(world, api_for):
    client = api_for(world["people"]["finance"])
    for pk in ("999999", "1x", "9" * 30):
        assert client.get(f"{LIST}{pk}/").status_code == 404, pk


# --- query counts --------------------------------------------------------------------------------
# The token with its user, the count, the page (school, set, formula and year joined): for 1 row or 20.
LIST_QUERIES = 3
# The token with its user, the allocation (joined as in the list), its lines with their categories.
DETAIL_QUERIES = 3


def test_the_list_costs_the_same_for_one_school_or_twenty(make_member, api_for, django_assert_num_queries):
    liaison = make_member(Role.LIAISON)
    sets = allocation_set(year=build.year("2026-27"))
    school_allocation(SchoolFactory(liaison=liaison), sets=sets)
    client = api_for(liaison)
    client.get(LIST)  # the token's first use is recorded once
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(LIST).json()["count"] == 1
    for _ in range(19):
        school_allocation(SchoolFactory(liaison=liaison), sets=sets)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(LIST).json()["count"] == 20


def test_an_allocation_costs_the_same_with_one_line_or_thirty(world, api_for, django_assert_num_queries):
    allocation = world["allocations"]["own", "released"]
    allocation.lines.exclude(position=1).delete()
    client = api_for(world["people"]["principal"])
    url = f"{LIST}{allocation.pk}/"
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert len(client.get(url).json()["lines"]) == 1
    AllocationLine.objects.bulk_create(
        AllocationLine(
            allocation=allocation,
            position=position,
            kind=LineKind.FOUNDATION,
            label=f"Line {position}",
            amount=Decimal("1.00"),
        )
        for position in range(2, 31)
    )
    with django_assert_num_queries(DETAIL_QUERIES):
        assert len(client.get(url).json()["lines"]) == 30
