"""What each school's students weigh under a formula, before a base makes the weights money: the first step
of the formula engine (budgeting.services.engine), worked out once per school and run whatever the base
(the pool's search for a base prices the same units many times). Grade weights, need weights (an add-on,
or a total multiplier in place of the grade weight) and concentration weights, and how far a small school
falls short of its threshold.
"""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from budgeting.models.allocations import LineKind
from budgeting.models.formula import CategoryKind, WeightConvention
from budgeting.services.engine_transition import ONE, WEIGHT_PLACES, ZERO

if TYPE_CHECKING:
    from budgeting.services.engine import FormulaSpec, SchoolCounts

# A unit is a line that does not depend on the base: students × a weight (the base makes it money), as a
# plain tuple (what, students, weight), `what` being the line's (kind, category code, label), shared by
# every school. A prepared school is a tuple too: (counts, students, foundation, units, shortfall), the
# shortfall being the students below the small-school threshold (0: not a small school).
COUNTS, STUDENTS, FOUNDATION, UNITS, SHORTFALL = range(5)


def preparer(spec: "FormulaSpec") -> Callable[["SchoolCounts"], tuple]:
    """What every school shares worked out once (the grade categories in the formula's order, each line's
    kind and label); the function returned works out one school's units."""
    kinds, names = spec.category_kinds, spec.category_names
    grades = [
        ((LineKind.WEIGHT, code, names.get(code, code)), _grade_multiplier(spec, code))
        for code, kind in kinds.items()
        if kind == CategoryKind.GRADE
    ]
    others = []  # (what, multiplier?, value)
    for code, (convention, value) in spec.weights.items():
        if kinds.get(code) == CategoryKind.GRADE:
            continue
        name = names.get(code, code)
        if convention == WeightConvention.MULTIPLIER:
            # A total multiplier counts the student `value` times in place of their grade weight.
            label = f"{name} ({value:.2f} × the base in place of the grade weight)"
            others.append(((LineKind.WEIGHT, code, label), True, value))
        else:
            others.append(((LineKind.WEIGHT, code, name), False, value))
    curves = [
        ((LineKind.CONCENTRATION, code, f"{names.get(code, code)} concentration"), curve)
        for code, curve in spec.concentration.items()
    ]
    foundations, thresholds = spec.foundations, spec.small_school_thresholds
    small_rate = spec.small_school_rate > 0

    def prepare(school: "SchoolCounts") -> tuple:
        get = school.counts.get
        units = []
        students = 0
        for what, weight in grades:
            n = get(what[1])
            if n:
                units.append((what, n, weight))
                students += n
        grade_units = len(units)
        average = None  # the school's average grade weight, worked out when a total multiplier needs it
        for what, multiplier, value in others:
            count = get(what[1], 0)
            if not count:
                continue
            if multiplier:
                if average is None:
                    graded = units[:grade_units]
                    average = sum((weight * n for _, n, weight in graded), ZERO) / students if students else ONE
                units.append((what, count, (value - average).quantize(WEIGHT_PLACES, rounding=ROUND_HALF_UP)))
            else:
                units.append((what, count, value))
        for what, curve in curves:
            count = get(what[1], 0)
            weight = _concentration_weight(curve, count, students)
            if count and weight:
                units.append((what, count, weight))
        threshold = thresholds.get(school.grade_band)
        shortfall = max(threshold - students, 0) if threshold is not None and small_rate else 0
        return (school, students, foundations.get(school.grade_band), units, shortfall)

    return prepare


def _grade_multiplier(spec: "FormulaSpec", code: str) -> Decimal:
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
