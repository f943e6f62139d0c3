"""What-if scenarios: checked field by field, compared school by school against hand-built figures, and
adopted as the formula's next draft."""

from decimal import Decimal

import pytest

from budgeting.models import FormulaStatus, FormulaVersion, Scenario, ScenarioStatus, Weight
from budgeting.services.scenario_comparison import scenario_compare
from budgeting.services.scenarios import scenario_adopt, scenario_create, scenario_update
from core.errors import ApplicationError, Conflict, NotPermitted
from schools.models import Role
from tests.budgeting import allocation_builders as build

pytestmark = pytest.mark.django_db

OLD_POVERTY, NEW_POVERTY = Decimal("490.18"), Decimal("816.96")  # 0.12 and 0.20 × $4,084.80, to the cent


@pytest.fixture
def finance(make_member):
    return make_member(Role.REVIEWER, function="finance")


@pytest.fixture
def district():
    return build.district(schools=3)


def _create(finance, district, changes, name="Poverty at 0.20"):
    formula, snapshot, _ = district
    return scenario_create(actor=finance, name=name, formula=formula, snapshot=snapshot, changes=changes)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"weights": {"poverty": "-0.1"}}, "weights", "cannot be negative"),
        ({"weights": {"poverty": "45"}}, "weights", "not plausible"),
        ({"weights": {"astrology": "0.3"}}, "weights", "“astrology” is not a category"),
        ({"base_per_pupil": "0"}, "base_per_pupil", "more than $0"),
        ({"base_per_pupil": "-4000"}, "base_per_pupil", "more than $0"),
        ({"pool": "lots"}, "pool", "an amount"),
        ({"enrollment": {"NOPE1": {"poverty": 10}}}, "enrollment", "“NOPE1” is not a school code"),
        ({"stop_loss_share": "1.5"}, "stop_loss_share", "between 0 and 1"),
        ({"transition_mode": "stop_loss"}, "stop_loss_share", "most a school may lose"),
    ],
)
def test_bad_changes_are_refused_naming_the_field(finance, district, changes, field, words):
    with pytest.raises(ApplicationError) as refused:
        _create(finance, district, changes)
    assert field in refused.value.fields
    assert words in " ".join(refused.value.fields[field])
    assert not Scenario.objects.exists()


def test_an_unknown_category_in_an_enrollment_change_names_the_school_row(finance, district):
    school = district[2][0]
    with pytest.raises(ApplicationError) as refused:
        _create(finance, district, {"enrollment": {school.code: {"astrology": 10}}})
    assert refused.value.fields["enrollment"] == [
        f"{school.code}: “astrology” is not a category of the district's enrollment."
    ]


def test_a_scenario_leaving_a_school_negative_is_refused_naming_it(finance):
    school_year = build.year()
    formula = build.published_formula(school_year=school_year, ell_multiplier="1.50")
    schools = [build.middle_school(), build.middle_school(name="Lowell Middle")]
    snapshot = build.snapshot(
        school_year=school_year, counts={s: {"g68": 412, "poverty": 200, "ell": 30} for s in schools}
    )
    changes = {"weights": {"ell": "0"}, "enrollment": {schools[1].code: {"ell": 2000}}}
    with pytest.raises(ApplicationError) as refused:
        scenario_create(actor=finance, name="No EL weight", formula=formula, snapshot=snapshot, changes=changes)
    assert f"Lowell Middle ({schools[1].code})" in refused.value.message
    assert "school" in refused.value.fields
    assert not Scenario.objects.exists()


def test_compare_counts_gainers_and_losers_against_hand_built_figures(finance, district):
    formula, snapshot, schools = district
    scenario = _create(
        finance, district, {"weights": {"poverty": "0.20"}, "enrollment": {schools[0].code: {"poverty": 100}}}
    )
    comparison = scenario_compare(scenario=scenario)
    by_code = {row.code: row for row in comparison.rows}
    # school 0: 200 poor students at $490.18 become 100 at $816.96; the others keep 200, now at $816.96
    assert by_code[schools[0].code].difference == 100 * NEW_POVERTY - 200 * OLD_POVERTY == Decimal("-16340.00")
    for school in schools[1:]:
        assert by_code[school.code].difference == 200 * (NEW_POVERTY - OLD_POVERTY) == Decimal("65356.00")
    assert (comparison.gainers, comparison.losers, comparison.unchanged) == (2, 1, 0)
    assert by_code[schools[0].code].published == build.MIDDLE_412
    assert by_code[schools[0].code].poverty_share == Decimal("24.3")  # 100 of 412
    assert comparison.difference == Decimal("-16340.00") + 2 * Decimal("65356.00")
    assert [row.code for row in comparison.biggest_losses] == [schools[0].code]
    assert {b.label: b.count for b in comparison.distribution} == {
        "Loses 10% or more": 0,
        "Loses 5% to 10%": 0,
        "Loses less than 5%": 1,
        "No change": 0,
        "Gains less than 5%": 2,
        "Gains 5% to 10%": 0,
        "Gains 10% or more": 0,
    }


def test_a_scenario_that_changes_nothing_has_no_gainers_or_losers(finance, district):
    comparison = scenario_compare(scenario=_create(finance, district, {}))
    assert (comparison.gainers, comparison.losers, comparison.unchanged) == (0, 0, 3)


def test_adopt_makes_the_next_draft_version_with_the_changed_parameters(finance, district):
    formula, _, _ = district
    scenario = _create(finance, district, {"base_per_pupil": "4100", "weights": {"poverty": "0.20", "ell": "0.40"}})
    draft = scenario_adopt(actor=finance, scenario=scenario)
    assert (draft.school_year_id, draft.number, draft.status) == (formula.school_year_id, 2, FormulaStatus.DRAFT)
    assert draft.base_per_pupil == Decimal("4100.00")
    weights = {w.category.code: (w.convention, w.value) for w in Weight.objects.filter(formula=draft)}
    assert weights == {
        "k5": ("multiplier", Decimal("1.0000")),
        "g68": ("multiplier", Decimal("1.0800")),
        "poverty": ("add_on", Decimal("0.2000")),
        "ell": ("add_on", Decimal("0.4000")),
    }
    assert draft.foundations.count() == 2
    assert set(draft.events.values_list("action", flat=True)) == {"create", "edit"}  # every change kept
    scenario.refresh_from_db()
    assert (scenario.status, scenario.adopted_as) == (ScenarioStatus.ADOPTED, draft)
    formula.refresh_from_db()
    assert (formula.status, formula.base_per_pupil) == (FormulaStatus.PUBLISHED, build.BASE)
    with pytest.raises(Conflict):
        scenario_adopt(actor=finance, scenario=scenario)
    assert FormulaVersion.objects.count() == 2


def test_an_adopted_scenario_no_longer_changes(finance, district):
    formula, snapshot, _ = district
    scenario = _create(finance, district, {"weights": {"poverty": "0.20"}})
    scenario_adopt(actor=finance, scenario=scenario)
    with pytest.raises(Conflict):
        scenario_update(actor=finance, scenario=scenario, name="Again", formula=formula, snapshot=snapshot, changes={})


def test_only_finance_makes_scenarios(make_member, district):
    principal = make_member(Role.PRINCIPAL, school=district[2][0])
    with pytest.raises(NotPermitted):
        _create(principal, district, {})
    assert not Scenario.objects.exists()
