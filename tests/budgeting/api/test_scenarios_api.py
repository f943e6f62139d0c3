"""What-if scenarios through the API: read by finance only (anyone else signed in is refused the list,
403, and 404 for each), each compared with its formula school by school — the summary of every school and
a page of rows — against the same hand-built figures as the service's tests."""

from decimal import Decimal

import pytest

from budgeting.models import EnrollmentCount
from budgeting.services.scenarios import scenario_create
from schools.models import Role
from tests.budgeting import allocation_builders as build
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/scenarios/"


@pytest.fixture
def people(make_member):
    liaison = make_member(Role.LIAISON)
    school = SchoolFactory(liaison=liaison)
    return {
        "finance": make_member(Role.REVIEWER, function="finance"),
        "admin": make_member(Role.ADMIN),
        "principal": make_member(Role.PRINCIPAL, school=school),
        "other_principal": make_member(Role.PRINCIPAL, school=SchoolFactory()),
        "liaison": liaison,
        "hr_reviewer": make_member(Role.REVIEWER, function="hr"),
        "viewer": make_member(Role.VIEWER),
    }


@pytest.fixture
def district():
    return build.district(schools=3)


@pytest.fixture
def scenario(people, district):
    """Poverty weighted 0.20 instead of 0.12, and the first school counted with 100 poor students, not 200."""
    formula, snapshot, schools = district
    changes = {"weights": {"poverty": "0.20"}, "enrollment": {schools[0].code: {"poverty": 100}}}
    return scenario_create(
        actor=people["finance"], name="Poverty at 0.20", formula=formula, snapshot=snapshot, changes=changes
    )


def test_finance_reads_the_scenario_and_its_changes(people, scenario, api_for):
    for who in ("finance", "admin"):
        client = api_for(people[who])
        assert [row["id"] for row in client.get(LIST).json()["results"]] == [scenario.pk]
        body = client.get(f"{LIST}{scenario.pk}/").json()
        assert body["name"] == "Poverty at 0.20" and body["status"] == "draft" and body["school_year"] == "2026-27"
        assert body["changes"]["weights"] == {"poverty": "0.2000"}
        assert body["formula"].endswith(f"/api/v1/formula-versions/{scenario.formula_id}/")
        assert body["comparison"].endswith(f"/api/v1/scenarios/{scenario.pk}/comparison/")
        assert body["adopted_as"] is None


def test_the_comparison_summarises_every_school_and_pages_the_rows(people, district, scenario, api_for):
    _, _, schools = district
    client = api_for(people["finance"])
    first = client.get(f"{LIST}{scenario.pk}/comparison/", {"limit": 2}).json()
    summary = first["summary"]
    assert (summary["gainers"], summary["losers"], summary["unchanged"]) == (2, 1, 0)
    assert summary["difference"] == "114372.00"  # -16,340.00 + 2 × 65,356.00
    assert summary["published_base"] == summary["scenario_base"] == "4084.80"
    assert [row["school"] for row in summary["biggest_losses"]] == [schools[0].code]
    assert summary["biggest_losses"][0]["difference"] == "-16340.00"
    assert summary["biggest_losses"][0]["poverty_share"] == "24.3"  # 100 of 412
    assert {bucket["label"]: bucket["count"] for bucket in summary["distribution"]}["Gains less than 5%"] == 2
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    rest = client.get(first["next"]).json()
    assert rest["next"] is None and len(rest["results"]) == 1 and rest["summary"] == summary
    rows = {row["school"]: row for row in first["results"] + rest["results"]}
    assert set(rows) == {school.code for school in schools}
    assert rows[schools[0].code]["published"] == str(build.MIDDLE_412)
    for school in schools[1:]:
        assert rows[school.code]["difference"] == "65356.00"


@pytest.mark.parametrize("who", ["principal", "other_principal", "liaison", "hr_reviewer", "viewer"])
def test_anyone_but_finance_is_refused_the_list_and_answered_404_for_each(people, scenario, api_for, who):
    client = api_for(people[who])
    for url in (LIST, f"{LIST}{scenario.pk}/", f"{LIST}{scenario.pk}/comparison/"):
        response = client.get(url)
        expected = (403, "not_permitted") if url == LIST else (404, "not_found")
        assert (response.status_code, response.json()["error"]) == expected, (who, url)


def test_without_a_token_it_is_401(scenario, client):
    for url in (LIST, f"{LIST}{scenario.pk}/", f"{LIST}{scenario.pk}/comparison/"):
        assert client.get(url).status_code == 401, url


def test_an_unknown_scenario_is_404(people, api_for):
    client = api_for(people["finance"])
    assert client.get(f"{LIST}999999/").status_code == 404
    assert client.get(f"{LIST}999999/comparison/").status_code == 404


@pytest.mark.parametrize(("query", "field"), [({"limit": "0"}, "limit"), ({"offset": "x"}, "offset")])
def test_a_bad_page_is_400_naming_it(people, scenario, api_for, query, field):
    response = api_for(people["finance"]).get(f"{LIST}{scenario.pk}/comparison/", query)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_a_bad_status_filter_is_400_naming_it(people, scenario, api_for):
    response = api_for(people["finance"]).get(LIST, {"status": "maybe"})
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_a_scenario_that_no_longer_computes_is_refused_with_the_reason(people, district, scenario, api_for):
    # Changes written around the service (which refuses them) that leave every school below zero.
    scenario.changes = {"weights": {"poverty": "-20"}}
    scenario.save(update_fields=["changes"])
    response = api_for(people["finance"]).get(f"{LIST}{scenario.pk}/comparison/")
    assert response.status_code == 400
    assert "negative allocation" in response.json()["detail"] and "school" in response.json()["fields"]


def test_the_comparison_costs_the_same_for_3_schools_or_30(
    people, district, scenario, api_for, django_assert_max_num_queries
):
    formula, snapshot, _ = district
    client = api_for(people["finance"])
    url = f"{LIST}{scenario.pk}/comparison/"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    # The same snapshot grows by 27 schools.
    EnrollmentCount.objects.bulk_create(
        EnrollmentCount(snapshot=snapshot, school=school, category=category, students=students)
        for school in [build.middle_school() for _ in range(27)]
        for category, students in ((build.categories()["g68"], 400), (build.categories()["poverty"], 150))
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] == 30
    assert Decimal(client.get(url).json()["summary"]["difference"]) > 0
