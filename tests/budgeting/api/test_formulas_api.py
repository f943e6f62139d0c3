"""Formula versions through the API: every parameter as exact decimal strings, for finance only (anyone
else signed in is refused the list, 403, and answered 404 for each), in a fixed number of queries."""

import pytest

from budgeting.services.formula import formula_publish
from schools.models import Role
from tests.budgeting.formula_world import nyc_draft, school_year
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/formula-versions/"


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
def published(people):
    draft = nyc_draft(people["finance"])
    return formula_publish(actor=people["finance"], formula_id=draft.pk, supersedes_id=None)


def test_finance_reads_every_parameter_to_the_cent(people, published, api_for):
    body = api_for(people["finance"]).get(f"{LIST}{published.pk}/").json()
    assert body["school_year"] == "2026-27" and body["status"] == "published" and body["published_at"]
    assert body["base_mode"] == "entered" and body["base_per_pupil"] == "4084.80" and body["pool"] is None
    assert body["foundations"] == [
        {"grade_band": "elementary", "amount": "250000.00"},
        {"grade_band": "middle", "amount": "300000.00"},
    ]
    weights = {row["category"]: (row["category_kind"], row["convention"], row["value"]) for row in body["weights"]}
    assert weights == {
        "k5": ("grade", "multiplier", "1.0000"),
        "g68": ("grade", "multiplier", "1.0800"),
        "g912": ("grade", "multiplier", "1.0300"),
        "poverty": ("need", "add_on", "0.1200"),
    }
    assert body["concentration_curves"] == [
        {"category": "poverty", "start_share": "0.4000", "full_share": "0.8000", "max_weight": "0.1000"}
    ]
    assert body["small_school"] == {
        "rate": "1000.00",
        "cap_share": "0.0500",
        "thresholds": [{"grade_band": "elementary", "threshold": 400}],
    }
    assert body["transition"] == {
        "mode": "stop_loss",
        "stop_loss_share": "0.0500",
        "gain_cap_share": None,
        "percent_of_formula": None,
    }
    assert [event["to_status"] for event in body["events"]][-1] == "published"


def test_the_list_filters_by_year_and_status(people, published, api_for):
    client = api_for(people["admin"])
    nyc_draft(people["finance"], year=school_year("2027-28"))
    assert client.get(LIST).json()["count"] == 2
    only = client.get(LIST, {"school_year": "2026-27"}).json()
    assert [row["id"] for row in only["results"]] == [published.pk]
    assert client.get(LIST, {"status": "draft"}).json()["results"][0]["school_year"] == "2027-28"


@pytest.mark.parametrize(("query", "field"), [({"school_year": "2026"}, "school_year"), ({"status": "x"}, "status")])
def test_a_bad_filter_is_400_naming_it(people, published, api_for, query, field):
    response = api_for(people["finance"]).get(LIST, query)
    assert response.status_code == 400 and field in response.json()["fields"]


@pytest.mark.parametrize("who", ["principal", "other_principal", "liaison", "hr_reviewer", "viewer"])
def test_anyone_but_finance_is_refused_the_list_and_answered_404_for_each(people, published, api_for, who):
    client = api_for(people[who])
    for url in (LIST, f"{LIST}{published.pk}/"):
        response = client.get(url)
        expected = (403, "not_permitted") if url == LIST else (404, "not_found")
        assert (response.status_code, response.json()["error"]) == expected, (who, url)


def test_without_a_token_it_is_401(published, client):
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}{published.pk}/").status_code == 401


def test_an_unknown_version_is_404(people, api_for):
    assert api_for(people["finance"]).get(f"{LIST}999999/").status_code == 404


def test_the_list_costs_the_same_for_one_version_or_four(people, published, api_for, django_assert_num_queries):
    client = api_for(people["finance"])
    client.get(LIST)  # the token's first use is recorded once
    # The token, the count, the versions, then their foundations, weights, curves and thresholds.
    with django_assert_num_queries(7):
        assert client.get(LIST).json()["count"] == 1
    for label in ("2027-28", "2028-29", "2029-30"):
        nyc_draft(people["finance"], year=school_year(label))
    with django_assert_num_queries(7):
        assert client.get(LIST).json()["count"] == 4
