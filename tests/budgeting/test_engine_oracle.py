"""The formula engine against the plain one it replaced (tests/budgeting/engine_reference.py), on random
districts: every figure of every line must be the same, down to how the Decimal is written ("1000.00",
not "1E+3"), and a refusal must be the same refusal.

Two generators: a Hypothesis strategy (small districts that shrink to a readable counter-example), and
a seeded one that makes five larger districts per example (every convention, both base modes, every
transition rule, small schools, schools without students, previous amounts not in whole cents).
"""

import random
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from budgeting.models import BaseMode, CategoryKind, TransitionMode, WeightConvention
from budgeting.services import engine, engine_transition
from core.errors import ApplicationError
from tests.budgeting import engine_reference as reference

M, A = WeightConvention.MULTIPLIER, WeightConvention.ADD_ON
BANDS = {"elementary": "k5", "middle": "g68", "high": "g912"}
KINDS = {
    "k5": CategoryKind.GRADE,
    "g68": CategoryKind.GRADE,
    "g912": CategoryKind.GRADE,
    "poverty": CategoryKind.NEED,
    "ell": CategoryKind.NEED,
    "swd": CategoryKind.NEED,
    "autism": CategoryKind.NEED,
}
NAMES = {code: code.upper() for code in KINDS}


def outcome(compute, spec, schools, **options):
    """Everything the computation says, written out: each Decimal as its text, so that 1000.00 and 1E+3
    differ; or the refusal's message and fields."""
    try:
        result = compute(spec=spec, schools=schools, **options)
    except ApplicationError as refused:
        return ("refused", refused.message, refused.fields)
    text = lambda value: None if value is None else str(value)  # noqa: E731
    return (
        text(result.base_per_pupil),
        text(result.gain_cap_share),
        text(result.total),
        [
            (
                a.school_id,
                a.students,
                text(a.formula_amount),
                text(a.transition_adjustment),
                text(a.final_amount),
                text(a.per_pupil),
                [
                    (str(line.kind), line.category_code, line.label)
                    + tuple(text(v) for v in (line.basis, line.weight, line.per_capita, line.amount))
                    for line in a.lines
                ],
            )
            for a in result.allocations
        ],
    )


def agree(spec, schools):
    expected = outcome(reference.formula_compute, spec, schools)
    assert outcome(engine.formula_compute, spec, schools) == expected
    if expected[0] != "refused":  # without its lines, the same amounts
        bare = outcome(engine.formula_compute, spec, schools, lines=False)
        assert bare[:3] == expected[:3]
        assert [row[:6] for row in bare[3]] == [row[:6] for row in expected[3]]
        assert all(row[6] == [] for row in bare[3])
    return expected


def spec_of(**fields) -> engine.FormulaSpec:
    defaults = dict(
        base_mode=BaseMode.ENTERED,
        base_per_pupil=D("4084.80"),
        pool=None,
        foundations={},
        weights={},
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
    return engine.FormulaSpec(**(defaults | fields))


# --- Hypothesis: small districts ------------------------------------------------------------------------

money = st.decimals(min_value=D("0"), max_value=D("400000"), places=2)
weight = st.decimals(min_value=D("0"), max_value=D("5"), places=2)


@st.composite
def districts(draw):
    mode = draw(st.sampled_from([BaseMode.ENTERED, BaseMode.POOL]))
    spec = spec_of(
        base_mode=mode,
        base_per_pupil=draw(st.decimals(min_value=D("1"), max_value=D("9000"), places=2)),
        foundations={band: draw(money) for band in draw(st.sets(st.sampled_from(list(BANDS))))},
        weights={
            "k5": (draw(st.sampled_from([M, A])), draw(weight)),
            "g68": (M, draw(weight)),
            "poverty": (A, draw(weight)),
            "autism": (draw(st.sampled_from([M, A])), draw(weight)),
        },
        concentration=draw(st.sampled_from([{}, {"poverty": (D("0.20"), D("0.70"), D("0.25"))}])),
        small_school_rate=draw(st.decimals(min_value=D(0), max_value=D("3000"), places=2)),
        small_school_cap_share=draw(st.sampled_from([D(0), D("0.05"), D("0.5")])),
        small_school_thresholds={"elementary": draw(st.integers(0, 500)), "middle": draw(st.integers(0, 500))},
        transition_mode=draw(st.sampled_from(list(TransitionMode))),
        stop_loss_share=draw(st.sampled_from([None, D("0.02"), D("0.10")])),
        gain_cap_share=draw(st.sampled_from([None, D("0.05")])),
        percent_of_formula=draw(st.sampled_from([None, D("0.85"), D("1.00")])),
    )
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["elementary", "middle"]),
                st.fixed_dictionaries(
                    {"k5": st.integers(0, 900), "g68": st.integers(0, 600)},
                    optional={"poverty": st.integers(0, 700), "autism": st.integers(0, 80)},
                ),
                st.none() | st.decimals(D("0"), D("5000000"), places=2),
            ),
            min_size=1,
            max_size=8,
        )
    )
    schools = [
        engine.SchoolCounts(school_id=i, grade_band=band, counts=counts, previous_final=previous)
        for i, (band, counts, previous) in enumerate(rows, start=1)
    ]
    pool = draw(st.decimals(min_value=D("1000"), max_value=D("60000000"), places=2))
    return spec_of(**{**vars(spec), "pool": pool}), schools


@settings(max_examples=60, deadline=None)
@given(districts())
def test_the_engine_agrees_with_the_plain_one_on_small_districts(district):
    agree(*district)


# --- Seeded: five larger districts an example -----------------------------------------------------------


def seeded_district(rng: random.Random):
    cents = lambda low, high: D(rng.randint(low * 100, high * 100)) / 100  # noqa: E731
    mode = rng.choice([BaseMode.ENTERED, BaseMode.POOL])
    weights = {
        "k5": (M, D(rng.randint(80, 140)) / 100),
        "g68": (rng.choice([M, A]), D(rng.randint(0, 140)) / 100),
        "g912": (M, D(rng.randint(80, 140)) / 100),
        "poverty": (A, D(rng.randint(0, 60)) / 100),
        "ell": (A, D(rng.randint(0, 5000)) / 10000),
        "swd": (rng.choice([M, A]), D(rng.randint(0, 400)) / 100),
        "autism": (M, D(rng.randint(100, 600)) / 100),
    }
    for code in rng.sample(list(weights), rng.randint(0, 2)):  # a category without a weight
        del weights[code]
    transition = rng.choice(list(TransitionMode))
    spec = spec_of(
        base_mode=mode,
        base_per_pupil=cents(1, 9000),
        foundations={band: rng.choice([D(rng.randint(0, 400)) * 1000, cents(0, 400000)]) for band in BANDS},
        weights=weights,
        concentration=rng.choice(
            [{}, {"poverty": (D("0.40"), D("0.80"), D("0.10"))}, {"ell": (D("0.05"), D("0.35"), D("0.3333"))}]
        ),
        small_school_rate=rng.choice([D(0), cents(0, 3000)]),
        small_school_cap_share=rng.choice([D(0), D("0.05"), D("0.1000"), D("1")]),
        small_school_thresholds={band: rng.randint(0, 600) for band in BANDS if rng.random() < 0.8},
        transition_mode=transition,
        stop_loss_share=rng.choice([None, D("0"), D("0.02"), D("0.0500"), D("0.25")]),
        gain_cap_share=rng.choice([None, None, D("0"), D("0.03"), D("0.1000")]),
        percent_of_formula=rng.choice([None, D("0.85"), D("0.9000"), D("1.05")]),
    )
    schools = []
    for school_id in range(1, rng.randint(1, 40) + 1):
        band = rng.choice(list(BANDS))
        students = rng.choice([0, rng.randint(1, 60), rng.randint(100, 1500)])
        counts = {BANDS[band]: students}
        if band == "middle" and students and rng.random() < 0.3:  # a K-8 school: two grade categories
            counts["k5"] = rng.randint(1, 600)
        for code in ("poverty", "ell", "swd", "autism"):
            if rng.random() < 0.85:
                counts[code] = int(students * rng.uniform(0, 0.95 if code == "poverty" else 0.2))
        previous = rng.choice(
            [None, D(0), cents(50_000, 9_000_000), D(rng.randint(50_000, 9_000_000)), D(rng.randint(1, 10**9)) / 1000]
        )
        schools.append(engine.SchoolCounts(school_id, band, counts, previous))
    if mode == BaseMode.POOL:
        foundations = sum((spec.foundations.get(s.grade_band, D(0)) for s in schools), D(0))
        students = sum(sum(s.counts.values()) for s in schools)
        spec = spec_of(**{**vars(spec), "pool": foundations + students * cents(100, 9000) + cents(0, 100000)})
    return spec, schools


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_the_engine_agrees_with_the_plain_one_on_seeded_districts(seed):
    rng = random.Random(seed)
    for _ in range(5):
        agree(*seeded_district(rng))


def test_the_seeded_districts_reach_every_rule():
    """The seeded generator is not idle: over a few hundred districts it solves pools, caps small schools,
    applies every transition rule (solving a gain cap, with previous amounts in and out of whole cents),
    and refuses some."""
    rng = random.Random(2026)
    seen = set()
    for _ in range(300):
        spec, schools = seeded_district(rng)
        result = agree(spec, schools)
        if result[0] == "refused":
            seen.add("refused")
            continue
        seen.add(spec.base_mode)
        seen.add(spec.transition_mode)
        if spec.transition_mode == TransitionMode.STOP_LOSS and spec.gain_cap_share is None and result[1]:
            seen.add("gain cap solved")
            if any(s.previous_final is not None and s.previous_final.as_tuple().exponent < -2 for s in schools):
                seen.add("gain cap solved on amounts not in whole cents")
        labels = {line[2] for row in result[3] for line in row[6]}
        seen |= labels & {"Small school", "Small school (capped)"}
        if any(row[1] == 0 for row in result[3]):
            seen.add("no students")
    assert seen >= {
        BaseMode.ENTERED,
        BaseMode.POOL,
        *TransitionMode,
        "gain cap solved",
        "gain cap solved on amounts not in whole cents",
        "Small school",
        "Small school (capped)",
        "no students",
        "refused",
    }


# --- The gain cap's search in whole cents ---------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.none() | st.sampled_from([D("0.50"), D("12.50"), D("1000.50")]) | money,
            st.decimals(min_value=D("0"), max_value=D("900000"), places=2),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from([0, 100, 300, 1_900, 10_000]) | st.integers(0, 30_000),
)
def test_the_cuts_added_in_cents_round_half_up_like_decimal(schools, steps):
    """cents(before × (1 + cap)) in whole numbers, ties included ($0.50 × 1.01 = $0.505 → $0.51)."""
    previous = [before or None for before, _ in schools]
    amounts = [amount for _, amount in schools]
    expected = sum(reference._gain_cuts(previous, amounts, D(steps) * D("0.0001")), D(0))
    assert engine_transition._cut_total_of(previous, amounts)(steps) == expected
