"""The weighted student formula the plain way: the engine as it was before it was made faster
(budgeting.services.engine), kept as the oracle its property test compares against. Decimal throughout,
every line built at every step; slow, and simple enough to check by reading. Not used by the application.

Money is rounded once, to the cent (ROUND_HALF_UP), where a per-capita amount is fixed: every line is
then a count × a whole number of cents, so a school's lines add up to its amount exactly and the total
is the exact sum of the schools. The steps, in the order a school's lines are listed:
foundation, grade weights, need weights, concentration, small school, transition.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from budgeting.models.allocations import LineKind
from budgeting.models.formula import BaseMode, CategoryKind, TransitionMode, WeightConvention
from core.errors import ApplicationError

CENT = Decimal("0.01")
WEIGHT_PLACES = Decimal("0.0001")
ZERO = Decimal("0")
ONE = Decimal("1")


@dataclass(frozen=True)
class FormulaSpec:
    """One formula version's parameters, read from its rows (or changed by a scenario)."""

    base_mode: str  # BaseMode
    base_per_pupil: Decimal | None  # entered base (None in pool mode: solved)
    pool: Decimal | None
    foundations: dict[str, Decimal]  # grade_band → amount
    weights: dict[str, tuple[str, Decimal]]  # category code → (WeightConvention, value)
    category_kinds: dict[str, str]  # category code → CategoryKind
    category_names: dict[str, str]  # category code → name, for line labels
    concentration: dict[str, tuple[Decimal, Decimal, Decimal]]  # need code → (start, full, max weight)
    small_school_rate: Decimal
    small_school_cap_share: Decimal
    small_school_thresholds: dict[str, int]  # grade_band → threshold
    transition_mode: str  # TransitionMode
    stop_loss_share: Decimal | None
    gain_cap_share: Decimal | None
    percent_of_formula: Decimal | None


@dataclass(frozen=True)
class SchoolCounts:
    school_id: int
    grade_band: str
    counts: dict[str, int]  # category code → students (grade categories partition the school)
    previous_final: Decimal | None  # last year's final allocation (None: a new school, no transition)


@dataclass(frozen=True)
class ComputedLine:
    kind: str  # LineKind
    category_code: str | None
    label: str
    basis: Decimal | None  # students counted (or the shortfall below the small-school threshold)
    weight: Decimal | None
    per_capita: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class ComputedAllocation:
    school_id: int
    students: int
    formula_amount: Decimal
    transition_adjustment: Decimal
    final_amount: Decimal
    per_pupil: Decimal
    lines: tuple[ComputedLine, ...]


@dataclass(frozen=True)
class ComputedFormula:
    base_per_pupil: Decimal  # entered, or solved
    gain_cap_share: Decimal | None  # entered, or solved (stop-loss with a blank gain cap)
    allocations: tuple[ComputedAllocation, ...]
    total: Decimal


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class _Prices(dict):
    """The per-capita amount of each weight at one base, rounded to the cent once and reused: schools
    share a handful of weights, so most lines cost a dictionary look-up."""

    def __init__(self, base: Decimal):
        super().__init__()
        self.base = base

    def __missing__(self, weight: Decimal) -> Decimal:
        price = self[weight] = cents(weight * self.base)
        return price


class _Unit(NamedTuple):
    """A line that does not depend on the base: students × a weight (the base makes it money). A tuple,
    not a dataclass: a district has tens of thousands of them, made on every computation."""

    kind: str
    code: str
    label: str
    basis: int
    weight: Decimal


@dataclass(frozen=True)
class _School:
    counts: SchoolCounts
    students: int
    foundation: Decimal | None
    units: tuple[_Unit, ...]
    shortfall: int  # students below the small-school threshold (0: not a small school)


def formula_compute(*, spec: FormulaSpec, schools: Sequence[SchoolCounts]) -> ComputedFormula:
    """Every school's allocation under `spec`. Refuses (ApplicationError naming the field or the school)
    a missing or non-positive base, a pool that does not cover the foundations, and a negative final."""
    grades = [code for code, kind in spec.category_kinds.items() if kind == CategoryKind.GRADE]
    prepared = [_prepare(spec, school, grades) for school in schools]
    base = _base_of(spec, prepared)
    price = _Prices(base)
    formulas = [_formula_lines(spec, school, price) for school in prepared]
    amounts = [sum((line.amount for line in lines), ZERO) for lines in formulas]
    adjustments, gain_cap = _transition(spec, prepared, amounts)
    allocations = tuple(
        _allocation(spec, school, lines, amount, adjustment)
        for school, lines, amount, adjustment in zip(prepared, formulas, amounts, adjustments, strict=True)
    )
    total = sum((allocation.final_amount for allocation in allocations), ZERO)
    return ComputedFormula(base_per_pupil=base, gain_cap_share=gain_cap, allocations=allocations, total=total)


# --- What each school's students weigh (independent of the base) -------------------------------------


def _prepare(spec: FormulaSpec, school: SchoolCounts, grades: list[str]) -> _School:
    """`grades`: the grade categories in the formula's order (the order of `category_kinds`)."""
    kinds = spec.category_kinds
    grade_counts = {code: school.counts[code] for code in grades if school.counts.get(code)}
    students = sum(grade_counts.values())
    grade_weight = {code: _grade_multiplier(spec, code) for code in grade_counts}
    average = sum((grade_weight[c] * n for c, n in grade_counts.items()), ZERO) / students if students else ONE
    units = [
        _Unit(LineKind.WEIGHT, code, spec.category_names.get(code, code), n, grade_weight[code])
        for code, n in grade_counts.items()
    ]
    for code, (convention, value) in spec.weights.items():
        count = school.counts.get(code, 0)
        if kinds.get(code) == CategoryKind.GRADE or not count:
            continue
        name = spec.category_names.get(code, code)
        if convention == WeightConvention.MULTIPLIER:
            # A total multiplier counts the student `value` times in place of their grade weight.
            weight = (value - average).quantize(WEIGHT_PLACES, rounding=ROUND_HALF_UP)
            label = f"{name} ({value:.2f} × the base in place of the grade weight)"
            units.append(_Unit(LineKind.WEIGHT, code, label, count, weight))
        else:
            units.append(_Unit(LineKind.WEIGHT, code, name, count, value))
    for code, curve in spec.concentration.items():
        count = school.counts.get(code, 0)
        weight = _concentration_weight(curve, count, students)
        if count and weight:
            name = spec.category_names.get(code, code)
            units.append(_Unit(LineKind.CONCENTRATION, code, f"{name} concentration", count, weight))
    threshold = spec.small_school_thresholds.get(school.grade_band)
    shortfall = max(threshold - students, 0) if threshold is not None and spec.small_school_rate > 0 else 0
    return _School(school, students, spec.foundations.get(school.grade_band), tuple(units), shortfall)


def _grade_multiplier(spec: FormulaSpec, code: str) -> Decimal:
    """A grade category without a weight counts its students once; an add-on grade weight is on top of it."""
    convention, value = spec.weights.get(code, (WeightConvention.MULTIPLIER, ONE))
    return value if convention == WeightConvention.MULTIPLIER else ONE + value


def _concentration_weight(curve: tuple[Decimal, Decimal, Decimal], count: int, students: int) -> Decimal:
    start, full, most = curve
    if not students:
        return ZERO
    share = Decimal(count) / Decimal(students)
    if share <= start:
        return ZERO
    if share >= full:
        return most
    return (most * (share - start) / (full - start)).quantize(WEIGHT_PLACES, rounding=ROUND_HALF_UP)


# --- The base: entered, or solved from the pool -------------------------------------------------------


def _base_of(spec: FormulaSpec, schools: list[_School]) -> Decimal:
    if spec.base_mode != BaseMode.POOL:
        base = spec.base_per_pupil
        if base is None or base <= 0:
            raise ApplicationError(
                "The base per pupil must be above zero.", fields={"base_per_pupil": ["Enter a base above $0."]}
            )
        return base
    return _base_solved(spec, schools)


def _pool_refused(message: str) -> ApplicationError:
    return ApplicationError(message, fields={"pool": [message]})


def _base_solved(spec: FormulaSpec, schools: list[_School]) -> Decimal:
    """The largest base, to the cent, whose total (foundations + weighted lines + small school) stays
    within the pool. The small-school cap moves with the base, so the base is found by fixed-point passes
    and then checked against the exact, rounded total."""
    pool = spec.pool
    if pool is None or pool <= 0:
        raise _pool_refused("Enter a pool above $0 to solve the base from it.")
    foundations = sum((school.foundation or ZERO for school in schools), ZERO)
    if pool <= foundations:
        raise _pool_refused(f"The pool does not cover the foundations (${foundations:,.2f}).")
    students_by_weight: dict[Decimal, int] = defaultdict(int)
    for school in schools:
        for unit in school.units:
            students_by_weight[unit.weight] += unit.basis
    weighted = sum((weight * count for weight, count in students_by_weight.items()), ZERO)
    if weighted <= 0:
        raise _pool_refused("There are no weighted students to share the pool among.")
    small = [school for school in schools if school.shortfall]

    def total_at(base: Decimal) -> Decimal:
        price = _Prices(base)
        lines = sum((count * price[weight] for weight, count in students_by_weight.items()), ZERO)
        return foundations + lines + sum((_small_school_amount(spec, s, price) for s in small), ZERO)

    base = ((pool - foundations) / weighted).quantize(CENT, rounding=ROUND_DOWN)
    for _ in range(50):
        price = _Prices(base)
        small_total = sum((_small_school_amount(spec, s, price) for s in small), ZERO)
        solved = ((pool - foundations - small_total) / weighted).quantize(CENT, rounding=ROUND_DOWN)
        if solved == base or solved - base == CENT:  # settled, or rocking by a cent: keep the lower
            break
        base = solved
    if total_at(base) > pool:  # per-capita rounding went over: the largest base that fits, by halving
        low, high = ZERO, base
        while high - low > CENT:
            middle = ((low + high) / 2).quantize(CENT, rounding=ROUND_DOWN)
            low, high = (middle, high) if total_at(middle) <= pool else (low, middle)
        base = low
    if base <= 0:
        raise _pool_refused("The pool does not cover the foundations and the small-school amounts.")
    return base


# --- A school's lines at a base -----------------------------------------------------------------------


def _small_school_amount(spec: FormulaSpec, school: _School, price: _Prices) -> Decimal:
    amount = school.shortfall * spec.small_school_rate
    if spec.small_school_cap_share > 0:
        formula = (school.foundation or ZERO) + sum((unit.basis * price[unit.weight] for unit in school.units), ZERO)
        amount = min(amount, cents(spec.small_school_cap_share * formula))
    return cents(amount)


def _formula_lines(spec: FormulaSpec, school: _School, price: _Prices) -> list[ComputedLine]:
    lines = []
    if school.foundation is not None:
        lines.append(ComputedLine(LineKind.FOUNDATION, None, "Foundation", None, None, None, school.foundation))
    for unit in school.units:
        per_capita = price[unit.weight]
        lines.append(
            ComputedLine(
                unit.kind, unit.code, unit.label, Decimal(unit.basis), unit.weight, per_capita, unit.basis * per_capita
            )
        )
    if school.shortfall:
        amount = _small_school_amount(spec, school, price)
        uncapped = school.shortfall * spec.small_school_rate
        label = "Small school" if amount == uncapped else "Small school (capped)"
        lines.append(
            ComputedLine(
                LineKind.SMALL_SCHOOL, None, label, Decimal(school.shortfall), None, spec.small_school_rate, amount
            )
        )
    return lines


# --- The transition rule ------------------------------------------------------------------------------


def _transition(
    spec: FormulaSpec, schools: list[_School], amounts: list[Decimal]
) -> tuple[list[Decimal], Decimal | None]:
    """Each school's adjustment, and the gain cap used (entered or solved). A new school (no previous
    allocation, or one of $0: no base to cap a gain against) is funded at its formula amount under every rule."""
    previous = [school.counts.previous_final or None for school in schools]
    if spec.transition_mode == TransitionMode.PERCENT_OF_FORMULA:
        share = spec.percent_of_formula if spec.percent_of_formula is not None else ONE
        return [
            ZERO if before is None else cents(share * amount) - amount
            for before, amount in zip(previous, amounts, strict=True)
        ], spec.gain_cap_share
    if spec.transition_mode != TransitionMode.STOP_LOSS:
        return [ZERO] * len(amounts), spec.gain_cap_share
    loss = spec.stop_loss_share if spec.stop_loss_share is not None else ONE
    floors = [None if before is None else cents(before * (ONE - loss)) for before in previous]
    protections = [
        max(floor - amount, ZERO) if floor is not None else ZERO for floor, amount in zip(floors, amounts, strict=True)
    ]
    gain_cap = spec.gain_cap_share
    if gain_cap is None:
        gain_cap = _gain_cap_solved(previous, amounts, sum(protections, ZERO))
    cuts = _gain_cuts(previous, amounts, gain_cap)
    return [protect - cut for protect, cut in zip(protections, cuts, strict=True)], gain_cap


def _gain_cuts(previous: list[Decimal | None], amounts: list[Decimal], gain_cap: Decimal | None) -> list[Decimal]:
    if gain_cap is None:
        return [ZERO] * len(amounts)
    return [
        ZERO if before is None else max(amount - cents(before * (ONE + gain_cap)), ZERO)
        for before, amount in zip(previous, amounts, strict=True)
    ]


def _gain_cap_solved(previous: list[Decimal | None], amounts: list[Decimal], cost: Decimal) -> Decimal | None:
    """The largest gain cap, to four places, whose cut gains pay the whole stop-loss, so the transition
    never adds to the formula's total. No school protected: no cap. Gains too small to pay: a cap of 0."""
    if cost <= 0:
        return None

    def cut_total(steps: int) -> Decimal:
        return sum(_gain_cuts(previous, amounts, Decimal(steps) * WEIGHT_PLACES), ZERO)

    if cut_total(0) < cost:
        return ZERO
    growth = [amount / before - ONE for before, amount in zip(previous, amounts, strict=True) if before]
    low, high = 0, int((max(growth, default=ZERO) / WEIGHT_PLACES).to_integral_value(rounding=ROUND_DOWN)) + 1
    while high - low > 1:  # cut_total(low) ≥ cost > cut_total(high)
        middle = (low + high) // 2
        low, high = (middle, high) if cut_total(middle) >= cost else (low, middle)
    return Decimal(low) * WEIGHT_PLACES


def _transition_label(spec: FormulaSpec, adjustment: Decimal) -> str:
    if spec.transition_mode == TransitionMode.PERCENT_OF_FORMULA:
        return "Percent of formula"
    return "Stop-loss" if adjustment > 0 else "Gain cap"


def _allocation(
    spec: FormulaSpec, school: _School, lines: list[ComputedLine], amount: Decimal, adjustment: Decimal
) -> ComputedAllocation:
    final = amount + adjustment
    school_id = school.counts.school_id
    if final < 0:
        message = f"School {school_id} would receive a negative allocation (${final:,.2f})."
        raise ApplicationError(message, fields={"school": [message]})
    if adjustment:
        label = _transition_label(spec, adjustment)
        lines = [*lines, ComputedLine(LineKind.TRANSITION, None, label, None, None, None, adjustment)]
    per_pupil = cents(final / school.students) if school.students else ZERO
    return ComputedAllocation(school_id, school.students, amount, adjustment, final, per_pupil, tuple(lines))
