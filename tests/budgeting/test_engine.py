"""The formula engine against allocations computed by hand for a small district.

Every expected figure below was worked out on paper from the rules (per-capita amounts rounded to the
cent first, then multiplied by the students), never read back from the engine.
"""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from budgeting.models import BaseMode, CategoryKind, LineKind, TransitionMode, WeightConvention
from budgeting.services.engine import ComputedFormula, FormulaSpec, SchoolCounts, formula_compute
from core.errors import ApplicationError

M, A = WeightConvention.MULTIPLIER, WeightConvention.ADD_ON
KINDS = {
    "k5": CategoryKind.GRADE,
    "g68": CategoryKind.GRADE,
    "g912": CategoryKind.GRADE,
    "poverty": CategoryKind.NEED,
    "ell": CategoryKind.NEED,
    "autism": CategoryKind.NEED,
}
NAMES = {
    "k5": "Grades K-5",
    "g68": "Grades 6-8",
    "g912": "Grades 9-12",
    "poverty": "Poverty",
    "ell": "English learners",
    "autism": "Autism",
}


def nyc(**changes) -> FormulaSpec:
    """NYC Fair Student Funding, FY2019: grade multipliers and a poverty add-on on $4,084.80."""
    spec = FormulaSpec(
        base_mode=BaseMode.ENTERED,
        base_per_pupil=D("4084.80"),
        pool=None,
        foundations={"elementary": D("250000"), "middle": D("300000"), "high": D("350000")},
        weights={"k5": (M, D("1.00")), "g68": (M, D("1.08")), "g912": (M, D("1.03")), "poverty": (A, D("0.12"))},
        category_kinds=KINDS,
        category_names=NAMES,
        concentration={},
        small_school_rate=D("0"),
        small_school_cap_share=D("0"),
        small_school_thresholds={},
        transition_mode=TransitionMode.NONE,
        stop_loss_share=None,
        gain_cap_share=None,
        percent_of_formula=None,
    )
    return replace(spec, **changes)


def school(school_id, band, previous=None, **counts) -> SchoolCounts:
    return SchoolCounts(school_id=school_id, grade_band=band, counts=counts, previous_final=previous)


A_ELEM = school(1, "elementary", k5=300, poverty=180)  # 60 % poverty
B_MID = school(2, "middle", g68=412, poverty=100)  # 24 % poverty
C_HIGH = school(3, "high", g912=250, poverty=50)
D_SMALL = school(4, "elementary", k5=100, poverty=90)  # 90 % poverty


def adds_up(result: ComputedFormula) -> ComputedFormula:
    for allocation in result.allocations:
        assert sum(line.amount for line in allocation.lines) == allocation.final_amount
        assert allocation.formula_amount + allocation.transition_adjustment == allocation.final_amount
    assert sum(a.final_amount for a in result.allocations) == result.total
    return result


def by_school(result: ComputedFormula):
    return {a.school_id: a for a in adds_up(result).allocations}


def lines_of(allocation):
    return [
        (line.kind, line.category_code, line.basis, line.weight, line.per_capita, line.amount)
        for line in allocation.lines
    ]


def test_nyc_grade_multipliers_and_poverty_add_on():
    result = formula_compute(spec=nyc(), schools=[A_ELEM, B_MID, C_HIGH])
    got = by_school(result)
    assert result.base_per_pupil == D("4084.80")
    assert lines_of(got[2]) == [
        (LineKind.FOUNDATION, None, None, None, None, D("300000")),
        (LineKind.WEIGHT, "g68", D(412), D("1.08"), D("4411.58"), D("1817570.96")),
        (LineKind.WEIGHT, "poverty", D(100), D("0.12"), D("490.18"), D("49018.00")),
    ]
    assert [line.label for line in got[2].lines] == ["Foundation", "Grades 6-8", "Poverty"]
    assert got[1].final_amount == D("1563672.40")  # 250,000 + 300 × 4,084.80 + 180 × 490.18
    assert got[2].final_amount == D("2166588.96")
    assert got[3].final_amount == D("1426344.00")  # 350,000 + 250 × 4,207.34 + 50 × 490.18
    assert got[1].students == 300 and got[1].per_pupil == D("5212.24")
    assert result.total == D("5156605.36")


def test_boston_total_multiplier_replaces_the_grade_weight():
    """Boston FY16: a student with autism counts 4.3 × the base in all, not on top of the grade weight."""
    spec = nyc(
        base_per_pupil=D("4028.47"),
        foundations={},
        weights={"k5": (M, D("1.30")), "g68": (M, D("1.50")), "autism": (M, D("4.30"))},
    )
    one_grade = school(1, "elementary", k5=100, autism=10)
    two_grades = school(2, "k8", k5=60, g68=40, autism=5)  # average grade weight (60×1.3 + 40×1.5)/100 = 1.38
    got = by_school(formula_compute(spec=spec, schools=[one_grade, two_grades]))
    assert lines_of(got[1]) == [
        (LineKind.WEIGHT, "k5", D(100), D("1.30"), D("5237.01"), D("523701.00")),
        (LineKind.WEIGHT, "autism", D(10), D("3.0000"), D("12085.41"), D("120854.10")),
    ]
    assert "4.30 × the base in place of the grade weight" in got[1].lines[1].label
    assert got[1].final_amount == D("644555.10")
    autism = got[2].lines[2]
    assert (autism.weight, autism.per_capita, autism.amount) == (D("2.9200"), D("11763.13"), D("58815.65"))
    # 60 × 5,237.01 + 40 × 6,042.71 + 5 × 11,763.13
    assert got[2].final_amount == D("314220.60") + D("241708.40") + D("58815.65")


def test_concentration_below_between_and_above():
    spec = nyc(concentration={"poverty": (D("0.40"), D("0.80"), D("0.10"))})
    got = by_school(formula_compute(spec=spec, schools=[A_ELEM, B_MID, D_SMALL]))
    assert [line.kind for line in got[2].lines] == [LineKind.FOUNDATION, LineKind.WEIGHT, LineKind.WEIGHT]
    between = got[1].lines[-1]  # 60 %: halfway from 40 % to 80 % → 0.05
    assert (between.kind, between.weight, between.per_capita, between.amount) == (
        LineKind.CONCENTRATION,
        D("0.0500"),
        D("204.24"),
        D("36763.20"),
    )
    assert between.label == "Poverty concentration"
    above = got[4].lines[-1]  # 90 % → the maximum, 0.10
    assert (above.weight, above.per_capita, above.amount) == (D("0.10"), D("408.48"), D("36763.20"))
    assert got[1].final_amount == D("1563672.40") + D("36763.20")


def test_small_school_without_and_with_the_cap():
    uncapped = nyc(small_school_rate=D("1000"), small_school_thresholds={"elementary": 400, "middle": 300})
    got = by_school(formula_compute(spec=uncapped, schools=[A_ELEM, B_MID, D_SMALL]))
    small = got[1].lines[-1]
    assert (small.kind, small.basis, small.per_capita, small.amount) == (
        LineKind.SMALL_SCHOOL,
        D(100),
        D("1000"),
        D("100000"),
    )
    assert got[4].lines[-1].amount == D("300000")  # 300 short of 400
    assert LineKind.SMALL_SCHOOL not in [line.kind for line in got[2].lines]  # 412 ≥ 300
    capped = by_school(
        formula_compute(spec=replace(uncapped, small_school_cap_share=D("0.05")), schools=[A_ELEM, D_SMALL])
    )
    # A: 5 % of 1,563,672.40 is 78,183.62, under 100,000; D: 5 % of 702,596.20 is 35,129.81
    assert capped[1].lines[-1].amount == D("78183.62")
    assert capped[1].lines[-1].label == "Small school (capped)"
    assert capped[4].lines[-1].amount == D("35129.81")
    assert capped[4].final_amount == D("702596.20") + D("35129.81")


def pool_spec(pool, poverty=D("0.50"), **changes) -> FormulaSpec:
    return nyc(
        base_mode=BaseMode.POOL,
        base_per_pupil=None,
        pool=D(pool),
        weights={"k5": (M, D(1)), "poverty": (A, poverty)},
        **changes,
    )


POOL_SCHOOLS = [school(1, "elementary", k5=100, poverty=50), school(2, "elementary", k5=200)]


def test_fixed_pool_solves_the_base_and_stays_within_the_pool():
    # 300 students + 50 × 0.5 = 325 weighted; (1,000,000 − 2 × 250,000) ÷ 325 = 1,538.46 (down to the cent)
    result = adds_up(formula_compute(spec=pool_spec("1000000"), schools=POOL_SCHOOLS))
    assert result.base_per_pupil == D("1538.46")
    # 500,000 + 300 × 1,538.46 + 50 × 769.23
    assert result.total == D("500000") + D("461538.00") + D("38461.50")
    assert result.total <= D("1000000")


def test_raising_a_weight_lowers_the_base_for_every_school():
    before = formula_compute(spec=pool_spec("1000000"), schools=POOL_SCHOOLS)
    after = formula_compute(spec=pool_spec("1000000", poverty=D("1.00")), schools=POOL_SCHOOLS)
    assert after.base_per_pupil == D("1428.57")  # 500,000 ÷ 350
    assert after.base_per_pupil < before.base_per_pupil
    assert after.allocations[1].final_amount < before.allocations[1].final_amount  # no poverty: loses
    assert after.total <= D("1000000")


def test_fixed_pool_with_a_capped_small_school_stays_within_the_pool():
    spec = pool_spec(
        "1000000",
        small_school_rate=D("1000"),
        small_school_cap_share=D("0.10"),
        small_school_thresholds={"elementary": 150},
    )
    result = adds_up(formula_compute(spec=spec, schools=POOL_SCHOOLS))
    small = result.allocations[0].lines[-1]
    assert small.kind == LineKind.SMALL_SCHOOL and small.label == "Small school (capped)"
    assert result.total <= D("1000000")
    assert D("1000000") - result.total < D("325") * D("0.01") + D("1")  # nothing left over but rounding
    assert result.base_per_pupil < D("1538.46")


def test_a_pool_that_does_not_cover_the_foundations_is_refused():
    with pytest.raises(ApplicationError) as refused:
        formula_compute(spec=pool_spec("400000"), schools=POOL_SCHOOLS)
    assert "pool" in refused.value.fields
    assert "foundations" in refused.value.message


def test_a_base_at_or_below_zero_is_refused():
    with pytest.raises(ApplicationError) as refused:
        formula_compute(spec=nyc(base_per_pupil=D("0")), schools=[A_ELEM])
    assert "base_per_pupil" in refused.value.fields


def flat(**changes) -> FormulaSpec:
    """$1,000 a student, nothing else: the formula amount is the students × 1,000."""
    return nyc(**{"base_per_pupil": D("1000"), "foundations": {}, "weights": {"k5": (M, D(1))}, **changes})


def test_stop_loss_with_an_entered_gain_cap_and_a_new_school():
    spec = flat(transition_mode=TransitionMode.STOP_LOSS, stop_loss_share=D("0.05"), gain_cap_share=D("0.10"))
    losing = school(1, "elementary", D("1000000"), k5=900)  # formula 900,000; floor 950,000
    gaining = school(2, "elementary", D("500000"), k5=600)  # formula 600,000; cap 550,000
    steady = school(3, "elementary", D("100000"), k5=102)  # +2 %: untouched
    new = school(4, "elementary", None, k5=100)
    reopened = school(5, "elementary", D("0"), k5=100)  # nothing last year: no base to cap its gain against
    result = formula_compute(spec=spec, schools=[losing, gaining, steady, new, reopened])
    got = by_school(result)
    assert (got[1].formula_amount, got[1].transition_adjustment, got[1].final_amount) == (
        D("900000"),
        D("50000"),
        D("950000"),
    )
    assert (got[1].lines[-1].kind, got[1].lines[-1].label) == (LineKind.TRANSITION, "Stop-loss")
    assert (got[2].transition_adjustment, got[2].final_amount) == (D("-50000"), D("550000"))
    assert got[2].lines[-1].label == "Gain cap"
    assert got[3].transition_adjustment == 0 and got[3].lines[-1].kind == LineKind.WEIGHT
    assert got[4].final_amount == D("100000") and got[4].transition_adjustment == 0
    assert got[5].final_amount == D("100000") and got[5].transition_adjustment == 0
    assert result.gain_cap_share == D("0.10")


def test_stop_loss_with_a_solved_gain_cap_pays_for_itself():
    spec = flat(transition_mode=TransitionMode.STOP_LOSS, stop_loss_share=D("0.05"), gain_cap_share=None)
    schools = [
        school(1, "elementary", D("1000000"), k5=900),  # protected by 50,000
        school(2, "elementary", D("500000"), k5=600),  # +20 %
        school(3, "elementary", D("400000"), k5=480),  # +20 %
    ]
    # cuts(g) = 180,000 − 900,000 g ≥ 50,000 ⇔ g ≤ 0.14444…: the cap is 0.1444
    result = formula_compute(spec=spec, schools=schools)
    got = by_school(result)
    assert result.gain_cap_share == D("0.1444")
    assert got[2].final_amount == D("572200.00") and got[3].final_amount == D("457760.00")
    assert got[1].final_amount == D("950000")
    assert result.total == D("1979960.00")  # within the formula's 1,980,000


def test_percent_of_formula():
    spec = flat(transition_mode=TransitionMode.PERCENT_OF_FORMULA, percent_of_formula=D("0.90"))
    got = by_school(
        formula_compute(
            spec=spec, schools=[school(1, "elementary", D("800000"), k5=333), school(2, "elementary", None, k5=50)]
        )
    )
    assert (got[1].formula_amount, got[1].final_amount, got[1].transition_adjustment) == (
        D("333000"),
        D("299700.00"),
        D("-33300.00"),
    )
    assert got[1].lines[-1].label == "Percent of formula"
    assert got[1].per_pupil == D("900.00")
    assert got[2].final_amount == D("50000")  # a new school: funded at its formula


def test_a_negative_final_is_refused_naming_the_school():
    spec = flat(weights={"k5": (M, D(1)), "autism": (M, D("0"))})
    broken = school(7, "elementary", k5=10, autism=20)  # more students with the need than in the school
    with pytest.raises(ApplicationError) as refused:
        formula_compute(spec=spec, schools=[broken])
    assert "school" in refused.value.fields
    assert "School 7" in refused.value.fields["school"][0]


def test_a_school_without_students_gets_its_foundation_and_no_per_pupil():
    got = by_school(formula_compute(spec=nyc(), schools=[school(9, "high")]))
    assert (got[9].final_amount, got[9].per_pupil, got[9].students) == (D("350000"), D("0"), 0)


# --- Properties -----------------------------------------------------------------------------------------

weights = st.decimals(min_value=D("0"), max_value=D("3"), places=2)
counts = st.fixed_dictionaries(
    {"k5": st.integers(0, 900), "g68": st.integers(0, 600), "poverty": st.integers(0, 300), "ell": st.integers(0, 200)}
)


@st.composite
def districts(draw):
    spec = nyc(
        base_mode=draw(st.sampled_from([BaseMode.ENTERED, BaseMode.POOL])),
        base_per_pupil=draw(st.decimals(min_value=D("100"), max_value=D("9000"), places=2)),
        foundations={"elementary": draw(st.decimals(min_value=D(0), max_value=D("400000"), places=2))},
        weights={
            "k5": (M, draw(weights)),
            "g68": (M, draw(weights)),
            "poverty": (A, draw(weights)),
            "ell": (A, draw(weights)),
        },
        concentration=draw(st.sampled_from([{}, {"poverty": (D("0.20"), D("0.70"), D("0.25"))}])),
        small_school_rate=draw(st.decimals(min_value=D(0), max_value=D("3000"), places=2)),
        small_school_cap_share=draw(st.sampled_from([D(0), D("0.05"), D("0.5")])),
        small_school_thresholds={"elementary": draw(st.integers(0, 500))},
        transition_mode=draw(st.sampled_from(list(TransitionMode))),
        stop_loss_share=draw(st.sampled_from([D("0.02"), D("0.10")])),
        gain_cap_share=draw(st.sampled_from([None, D("0.05")])),
        percent_of_formula=draw(st.sampled_from([D("0.85"), D("1.00")])),
    )
    rows = draw(
        st.lists(st.tuples(counts, st.none() | st.decimals(D("0"), D("5000000"), places=2)), min_size=1, max_size=6)
    )
    schools = [
        SchoolCounts(school_id=i, grade_band="elementary", counts=c, previous_final=prev)
        for i, (c, prev) in enumerate(rows)
    ]
    foundations = spec.foundations["elementary"] * len(schools)
    spec = replace(spec, pool=foundations + draw(st.decimals(min_value=D("1000"), max_value=D("50000000"), places=2)))
    return spec, schools


@settings(max_examples=60, deadline=None)
@given(districts())
def test_lines_add_up_exactly_and_a_pool_is_never_exceeded(district):
    spec, schools = district
    try:
        result = formula_compute(spec=spec, schools=schools)
    except ApplicationError as refused:
        assume("pool" not in refused.fields)  # a pool too small for the weighted students: refused, fine
        raise
    adds_up(result)
    for allocation in result.allocations:
        assert all(line.amount == line.amount.quantize(D("0.01")) for line in allocation.lines)
        assert allocation.final_amount >= 0
    if spec.base_mode == BaseMode.POOL:
        assert sum(a.formula_amount for a in result.allocations) <= spec.pool
        if spec.transition_mode == TransitionMode.NONE:
            assert result.total <= spec.pool
