"""The weighted student formula, as a pure function: a formula's parameters and every school's counts in,
every school's allocation line by line out. No database access.

Money is rounded once, to the cent (ROUND_HALF_UP), where a per-capita amount is fixed: every line is
then a count × a whole number of cents, so a school's lines add up to its amount exactly and the total
is the exact sum of the schools. The steps, in the order a school's lines are listed:
foundation, grade weights, need weights, concentration, small school, transition.

How it is computed, for speed (a what-if runs it twice over every school): each weight is priced once per
base, as a Decimal rounded to the cent and as a whole number of cents; totals (the pool's search for a base,
the small-school cap, the gain cap's search) add whole numbers of cents, which is exact; the lines are made
once, at the end, and only when asked for. Every figure equals, to the cent, the plain Decimal computation
kept beside the tests (tests/budgeting/engine_reference.py), which a property test checks.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from budgeting.models.allocations import LineKind
from budgeting.models.formula import BaseMode, TransitionMode
from budgeting.services.engine_transition import CENT, ZERO, cents, transition_adjustments
from budgeting.services.engine_weights import COUNTS, FOUNDATION, SHORTFALL, STUDENTS, UNITS, preparer
from core.errors import ApplicationError


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


_new = object.__new__
_set = object.__setattr__


def _line(kind, code, label, basis, weight, per_capita, amount) -> ComputedLine:
    """A ComputedLine without the frozen dataclass's field-by-field __init__ (tens of thousands a run): the
    same class, fields and equality, still frozen."""
    line = _new(ComputedLine)
    _set(
        line,
        "__dict__",
        {
            "kind": kind,
            "category_code": code,
            "label": label,
            "basis": basis,
            "weight": weight,
            "per_capita": per_capita,
            "amount": amount,
        },
    )
    return line


class _Prices(dict):
    """The per-capita amount of each weight at one base, rounded to the cent once and reused: schools
    share a handful of weights, so most lines cost a dictionary look-up. `in_cents` holds the same prices
    as whole numbers of cents, for the totals."""

    def __init__(self, base: Decimal):
        super().__init__()
        self.base = base
        self.in_cents = _Cents(self)

    def __missing__(self, weight: Decimal) -> Decimal:
        price = self[weight] = cents(weight * self.base)
        return price


class _Cents(dict):
    def __init__(self, prices: _Prices):
        super().__init__()
        self.prices = prices

    def __missing__(self, weight: Decimal) -> int:
        price = self[weight] = int(self.prices[weight].scaleb(2))
        return price


class _Decimals(dict):
    """Decimal(n) for the counts, made once per number."""

    def __missing__(self, number: int) -> Decimal:
        value = self[number] = Decimal(number)
        return value


def formula_compute(*, spec: FormulaSpec, schools: Sequence[SchoolCounts], lines: bool = True) -> ComputedFormula:
    """Every school's allocation under `spec`. Refuses (ApplicationError naming the field or the school)
    a missing or non-positive base, a pool that does not cover the foundations, and a negative final.
    `lines=False` leaves each allocation's lines empty (every amount is the same): for a comparison."""
    prepare = preparer(spec)
    prepared = [prepare(school) for school in schools]
    base = _base_of(spec, prepared)
    price = _Prices(base)
    in_cents = price.in_cents
    small = _SmallSchool(spec)
    amounts, smalls = [], []
    for school in prepared:
        units, foundation = school[UNITS], school[FOUNDATION]
        unit_cents = sum([n * in_cents[w] for _, n, w in units])
        small_amount = small.amount(school[SHORTFALL], foundation, unit_cents) if school[SHORTFALL] else None
        amount = ZERO if foundation is None else ZERO + foundation
        if units or small_amount is not None:
            extra = unit_cents + (int(small_amount.scaleb(2)) if small_amount is not None else 0)
            amount += Decimal(extra).scaleb(-2)
        amounts.append(amount)
        smalls.append(small_amount)
    adjustments, gain_cap = transition_adjustments(
        spec, [school[COUNTS].previous_final or None for school in prepared], amounts
    )
    decimals = _Decimals()
    allocations = []
    for school, amount, small_amount, adjustment in zip(prepared, amounts, smalls, adjustments, strict=True):
        made = _formula_lines(spec, school, price, small_amount, decimals) if lines else []
        allocations.append(_allocation(spec, school, made, amount, adjustment, lines))
    total = sum([allocation.final_amount for allocation in allocations], ZERO)
    return ComputedFormula(base_per_pupil=base, gain_cap_share=gain_cap, allocations=tuple(allocations), total=total)


# --- The base: entered, or solved from the pool -------------------------------------------------------


def _base_of(spec: FormulaSpec, schools: list[tuple]) -> Decimal:
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


def _base_solved(spec: FormulaSpec, schools: list[tuple]) -> Decimal:
    """The largest base, to the cent, whose total (foundations + weighted lines + small school) stays
    within the pool. The small-school cap moves with the base, so the base is found by fixed-point passes
    and then checked against the exact, rounded total. Each pass adds whole cents: the weighted lines by
    weight (one price per weight), the small-school amounts school by school."""
    pool = spec.pool
    if pool is None or pool <= 0:
        raise _pool_refused("Enter a pool above $0 to solve the base from it.")
    foundations = sum((school[FOUNDATION] or ZERO for school in schools), ZERO)
    if pool <= foundations:
        raise _pool_refused(f"The pool does not cover the foundations (${foundations:,.2f}).")
    students_by_weight: dict[Decimal, int] = defaultdict(int)
    for school in schools:
        for _, n, weight in school[UNITS]:
            students_by_weight[weight] += n
    weighted = sum((weight * count for weight, count in students_by_weight.items()), ZERO)
    if weighted <= 0:
        raise _pool_refused("There are no weighted students to share the pool among.")
    small_schools = [school for school in schools if school[SHORTFALL]]
    small = _SmallSchool(spec)

    def small_total(price: _Prices) -> int:
        in_cents = price.in_cents
        return sum(
            [
                int(small.amount(s[SHORTFALL], s[FOUNDATION], sum([n * in_cents[w] for _, n, w in s[UNITS]])).scaleb(2))
                for s in small_schools
            ]
        )

    def total_at(base: Decimal) -> Decimal:
        price = _Prices(base)
        in_cents = price.in_cents
        lines = sum([count * in_cents[weight] for weight, count in students_by_weight.items()])
        return foundations + Decimal(lines + small_total(price)).scaleb(-2)

    base = ((pool - foundations) / weighted).quantize(CENT, rounding=ROUND_DOWN)
    for _ in range(50):
        small_amounts = Decimal(small_total(_Prices(base))).scaleb(-2)
        solved = ((pool - foundations - small_amounts) / weighted).quantize(CENT, rounding=ROUND_DOWN)
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


class _SmallSchool:
    """The small-school amount: the shortfall × the rate, capped at a share of the school's formula
    (foundation + weighted lines) when the formula has a cap."""

    def __init__(self, spec: FormulaSpec):
        self.rate, self.cap_share = spec.small_school_rate, spec.small_school_cap_share

    def amount(self, shortfall: int, foundation: Decimal | None, unit_cents: int) -> Decimal:
        amount = shortfall * self.rate
        if self.cap_share > 0:
            formula = (foundation or ZERO) + Decimal(unit_cents).scaleb(-2)
            amount = min(amount, cents(self.cap_share * formula))
        return cents(amount)


def _formula_lines(
    spec: FormulaSpec, school: tuple, price: _Prices, small_amount: Decimal | None, decimals: _Decimals
) -> list[ComputedLine]:
    lines = []
    foundation = school[FOUNDATION]
    if foundation is not None:
        lines.append(_line(LineKind.FOUNDATION, None, "Foundation", None, None, None, foundation))
    for (kind, code, label), n, weight in school[UNITS]:
        per_capita = price[weight]
        lines.append(_line(kind, code, label, decimals[n], weight, per_capita, n * per_capita))
    if small_amount is not None:
        shortfall = school[SHORTFALL]
        uncapped = shortfall * spec.small_school_rate
        label = "Small school" if small_amount == uncapped else "Small school (capped)"
        lines.append(
            _line(LineKind.SMALL_SCHOOL, None, label, Decimal(shortfall), None, spec.small_school_rate, small_amount)
        )
    return lines


# --- The transition rule ------------------------------------------------------------------------------


def _transition_label(spec: FormulaSpec, adjustment: Decimal) -> str:
    if spec.transition_mode == TransitionMode.PERCENT_OF_FORMULA:
        return "Percent of formula"
    return "Stop-loss" if adjustment > 0 else "Gain cap"


def _allocation(
    spec: FormulaSpec, school: tuple, lines: list[ComputedLine], amount: Decimal, adjustment: Decimal, with_lines: bool
) -> ComputedAllocation:
    final = amount + adjustment
    school_id = school[COUNTS].school_id
    if final < 0:
        message = f"School {school_id} would receive a negative allocation (${final:,.2f})."
        raise ApplicationError(message, fields={"school": [message]})
    if adjustment and with_lines:
        label = _transition_label(spec, adjustment)
        lines.append(_line(LineKind.TRANSITION, None, label, None, None, None, adjustment))
    students = school[STUDENTS]
    per_pupil = cents(final / students) if students else ZERO
    return ComputedAllocation(school_id, students, amount, adjustment, final, per_pupil, tuple(lines))
