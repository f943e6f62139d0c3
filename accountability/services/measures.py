"""The pure part of the evaluation: from observations to each benchmark's result, and from results to
whether each intervention rule holds. No database access here, so an oracle test can check it."""

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext_noop

from autonomy.models import compare
from schools.periods import previous_school_years

# Stored with the result in English, the district's record; the pages translate it when they show it.
NEW_SCHOOL_EXCEPTION = gettext_noop("new school: lower target applied")

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"


class BenchmarkSpec(NamedTuple):
    """What the engine needs of a benchmark (copied out of the ORM row). A named tuple: a large district
    has tens of thousands, and a tuple is built several times faster than a frozen dataclass."""

    pk: int
    contract_id: int
    school_id: int
    key: str
    metric_id: int
    higher_is_better: bool
    kind: str
    comparator: str
    target: Decimal
    periods: int
    baseline: Decimal | None
    new_school_target: Decimal | None
    exceeds_margin: Decimal | None
    far_below_margin: Decimal | None
    binding_grant_id: int | None


class Outcome(NamedTuple):
    """A benchmark's result in one period (one per benchmark and period: a named tuple, as BenchmarkSpec)."""

    status: str
    rating: str
    value: Decimal | None
    target: Decimal
    inputs: dict


def previous_periods(period: str, count: int) -> list[str]:
    """The `count` school years ending with `period`, oldest first: 2025-26, 3 → 2023-24 … 2025-26."""
    return list(previous_school_years(period, count))


def percentile_standing(value: Decimal, ranked: Sequence[Decimal], higher_is_better: bool) -> Decimal:
    """The share of district schools (in percent) doing worse than this one, ties counted half.

    `ranked` is every district school's value, this one's included, sorted smallest first: two binary
    searches count the schools below and level with it, instead of a pass over the district per school."""
    if not ranked:
        return Decimal(100)
    below, above = bisect_left(ranked, value), bisect_right(ranked, value)
    worse = below if higher_is_better else len(ranked) - above
    ties = above - below - 1  # the school itself is among the ranked values
    return (Decimal(100) * (Decimal(worse) + Decimal(ties) / 2) / Decimal(len(ranked))).quantize(Decimal("0.1"))


def _rating(spec: BenchmarkSpec, value: Decimal, target: Decimal, met: bool) -> str:
    gap = value - target if spec.comparator in (">=", ">") else target - value
    if met:
        return "exceeds" if spec.exceeds_margin is not None and gap >= spec.exceeds_margin else "meets"
    return "falls_far_below" if spec.far_below_margin is not None and -gap >= spec.far_below_margin else "does_not_meet"


def measure(
    spec: BenchmarkSpec,
    *,
    period: str,
    values: Mapping[str, Decimal],
    district: Mapping[str, Sequence[Decimal]],
    new_school: bool,
) -> Outcome:
    """One benchmark in one period. `values` are this school's observations of the metric by period;
    `district` every school's values of it by period, each sorted smallest first (for standings)."""
    kind = spec.kind
    exception = new_school and spec.new_school_target is not None
    target = spec.new_school_target if exception else spec.target
    inputs: dict = {"kind": kind, "comparator": spec.comparator, "target": str(target), "period": period}
    if exception:
        inputs["exception"] = NEW_SCHOOL_EXCEPTION
    current = values.get(period)
    if kind == "value":
        value = current
        inputs["value"] = _s(current)
    elif kind == "growth":
        value = None if current is None or spec.baseline is None else current - spec.baseline
        inputs["value"], inputs["baseline"] = _s(current), _s(spec.baseline)
    elif kind == "aggregate":
        window = [values.get(p) for p in previous_school_years(period, spec.periods)]
        inputs["values"] = [_s(v) for v in window]
        value = None if None in window else (sum(window) / len(window)).quantize(Decimal("0.0001"))
    elif kind == "trend":
        window = [values.get(p) for p in previous_school_years(period, spec.periods)]
        inputs["values"] = [_s(v) for v in window]
        if None in window or len(window) < 2:
            value = None
        else:
            steps = [b - a if spec.higher_is_better else a - b for a, b in zip(window, window[1:], strict=False)]
            value = min(steps)  # the smallest yearly improvement
    elif kind == "relative":
        others = district.get(period, ())
        value = None if current is None else percentile_standing(current, others, spec.higher_is_better)
        inputs["value"], inputs["schools_compared"] = _s(current), len(others)
    else:
        raise ValueError(f"unknown benchmark kind {kind}")
    if value is None:
        return Outcome(NO_DATA, "", None, target, inputs)
    met = compare(value, spec.comparator, target)
    return Outcome(MET if met else NOT_MET, _rating(spec, value, target, met), value, target, inputs)


def _s(value) -> str | None:
    return None if value is None else str(value.normalize())


class RuleSpec(NamedTuple):
    pk: int
    contract_id: int
    school_id: int
    key: str
    condition: str
    count: int
    level: int
    deadline_days: int
    remedy: str
    provision: str
    benchmark_id: int | None


def rule_holds(
    rule: RuleSpec,
    *,
    period: str,
    results: Mapping[tuple[int, str], Outcome],
    benchmarks: list[BenchmarkSpec],
    period_ended: bool,
) -> tuple[bool, dict]:
    """Whether the rule's condition holds for the contract in `period`, and the evidence why."""
    here = [(b, results.get((b.pk, period))) for b in benchmarks]
    missed = [b.key for b, r in here if r is not None and r.status == NOT_MET]
    if rule.condition == "binding_missed":
        binding = [b.key for b, r in here if b.binding_grant_id and r is not None and r.status == NOT_MET]
        return bool(binding), {"missed_binding": binding}
    if rule.condition == "n_missed":
        return len(missed) >= rule.count, {"missed": missed, "required": rule.count}
    if rule.condition == "k_in_a_row":
        target = next((b for b in benchmarks if b.pk == rule.benchmark_id), None)
        if target is None:
            return False, {}
        streak = [results.get((target.pk, p)) for p in previous_periods(period, rule.count)]
        holds = all(r is not None and r.status == NOT_MET for r in streak)
        return holds, {"benchmark": target.key, "periods": previous_periods(period, rule.count)}
    if rule.condition == "no_data":
        missing = [b.key for b, r in here if r is not None and r.status == NO_DATA]
        return period_ended and bool(missing), {"missing": missing, "due": "the end of the school year"}
    raise ValueError(f"unknown rule condition {rule.condition}")
