"""The scenario pages: finance's list, form, comparison (with the equity chart) and adopting; 404 for others."""

import pytest
from django.urls import reverse

from budgeting.models import FormulaVersion, Scenario, ScenarioStatus
from budgeting.services.scenarios import scenario_create
from schools.models import Role
from tests.budgeting import allocation_builders as build

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(make_member):
    return make_member(Role.REVIEWER, function="finance")


@pytest.fixture
def district():
    return build.district(schools=3)


def _form(formula, snapshot, **fields):
    return {"name": "Poverty at 0.20", "formula": formula.pk, "snapshot": snapshot.pk} | fields


def test_finance_saves_a_scenario_and_sees_every_school_beside_the_formula(client_for, finance, district):
    formula, snapshot, schools = district
    client = client_for(finance)
    assert client.get(reverse("budgeting:scenario_create")).status_code == 200
    response = client.post(
        reverse("budgeting:scenario_create"),
        _form(formula, snapshot, weights="poverty = 0.20", enrollment=f"{schools[0].code}, poverty, 100"),
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert scenario.changes == {"weights": {"poverty": "0.2000"}, "enrollment": {schools[0].code: {"poverty": 100}}}
    page = client.get(reverse("budgeting:scenario_compare", args=[scenario.pk])).content.decode()
    assert "Schools that gain</dt><dd>2</dd>" in page
    assert "Schools that lose</dt><dd>1</dd>" in page
    assert "-$16,340.00" in page and "+$65,356.00" in page
    assert "<svg" in page and "Dollars per pupil by share of students in poverty" in page
    for school in schools:
        assert school.code in page
    assert client.get(reverse("budgeting:scenario_list")).content.decode().count(scenario.name) == 1


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"weights": "poverty = -1"}, "Students in poverty: a weight cannot be negative."),
        ({"weights": "astrology = 0.3"}, "“astrology” is not a category of the district&#x27;s enrollment."),
        ({"weights": "poverty 0.3"}, "Line 1: write a category code"),
        ({"base_per_pupil": "0"}, "The base per pupil must be more than $0."),
        ({"enrollment": "NOPE1, poverty, 10"}, "“NOPE1” is not a school code of the district."),
    ],
)
def test_a_bad_scenario_is_refused_naming_the_field_and_nothing_is_saved(client_for, finance, district, fields, shown):
    formula, snapshot, _ = district
    response = client_for(finance).post(reverse("budgeting:scenario_create"), _form(formula, snapshot, **fields))
    assert response.status_code == 400
    assert shown in response.content.decode()
    assert not Scenario.objects.exists()


def test_finance_edits_a_draft_scenario(client_for, finance, district):
    formula, snapshot, _ = district
    scenario = scenario_create(actor=finance, name="First", formula=formula, snapshot=snapshot, changes={})
    client = client_for(finance)
    url = reverse("budgeting:scenario_edit", args=[scenario.pk])
    assert client.get(url).status_code == 200
    client.post(url, _form(formula, snapshot, name="Second", base_per_pupil="4100"))
    scenario.refresh_from_db()
    assert (scenario.name, scenario.changes) == ("Second", {"base_per_pupil": "4100.00"})


def test_adopting_makes_the_next_draft_of_the_formula(client_for, finance, district):
    formula, snapshot, _ = district
    scenario = scenario_create(
        actor=finance, name="Richer", formula=formula, snapshot=snapshot, changes={"base_per_pupil": "4100"}
    )
    response = client_for(finance).post(reverse("budgeting:scenario_adopt", args=[scenario.pk]))
    assert response.status_code == 302
    draft = FormulaVersion.objects.get(number=2)
    scenario.refresh_from_db()
    assert (scenario.status, scenario.adopted_as, draft.status) == (ScenarioStatus.ADOPTED, draft, "draft")
    again = client_for(finance).post(reverse("budgeting:scenario_adopt", args=[scenario.pk]))
    assert again.status_code == 409
    assert FormulaVersion.objects.count() == 2


@pytest.mark.parametrize("name", ["scenario_list", "scenario_create", "scenario_compare", "scenario_edit"])
def test_scenario_pages_are_404_for_everyone_but_finance(client_for, make_member, finance, district, name):
    formula, snapshot, schools = district
    scenario = scenario_create(actor=finance, name="First", formula=formula, snapshot=snapshot, changes={})
    args = [scenario.pk] if name in ("scenario_compare", "scenario_edit") else []
    for user in (make_member(Role.PRINCIPAL, school=schools[0]), make_member(Role.ADMIN), make_member(Role.LIAISON)):
        expected = 200 if user.memberships.get().role == Role.ADMIN else 404
        assert client_for(user).get(reverse(f"budgeting:{name}", args=args)).status_code == expected
    principal = make_member(Role.PRINCIPAL, school=schools[1])
    assert client_for(principal).post(reverse("budgeting:scenario_adopt", args=[scenario.pk])).status_code == 404
