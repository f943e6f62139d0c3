"""The work of a run: load every active contract's benchmarks, measure them as of the date, write the
results that changed, then apply the contracts' rules (accountability.services.evaluation.rules).

Set-based: the queries depend on the kinds of data, not on the number of schools. The measures
themselves are the pure functions of accountability.services.measures.
"""

import datetime
import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from accountability.models import BenchmarkResult, EvaluationRun, ResultStatus
from accountability.services.eligibility import earned_grants_recheck, eligibility_checks, eligibility_findings_record
from accountability.services.evaluation.contract_parts import contract_parts
from accountability.services.evaluation.guardrails import data_concern
from accountability.services.evaluation.rules import RULE_COUNT_KEYS, rules_apply
from accountability.services.measures import BenchmarkSpec, Outcome, measure, previous_periods
from accountability.services.results import results_upsert
from autonomy.services import grants_expire_ended
from contracts.models import (
    BENCHMARK_TERMS,
    Benchmark,
    BenchmarkKind,
    CommitmentStatus,
    ContractStatus,
    PerformanceContract,
)
from contracts.services.commitments_tracking import commitments_missed, commitments_track
from metrics.models import Direction, Observation
from schools.models import School, SchoolYear

# What a run counts; the three in the middle are the results' statuses, counted as they come.
SUMMARY_KEYS = (
    "schools",
    "benchmarks",
    *ResultStatus.values,
    *RULE_COUNT_KEYS,
    "grants_expired",
    "newly_eligible",
)


def _period_for(as_of: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(start_date__lte=as_of, end_date__gte=as_of).first()


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while a run builds its data, back as it was after.

    A run makes hundreds of thousands of objects that live until it ends (specs, outcomes and their
    inputs, rows); each batch of them that survives sets off a full collection, which walks every object
    in the process: nine in a first run on 2,000 schools, 0.9 s of its 5 s of Python (0.4 s of 1.8 s in
    a second run). A run makes no reference cycles that need freeing before it ends; reference counting
    frees everything else as usual, and any cycle is collected once the collector is back.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Computed:
    """What a run's work found: its counts, what looks wrong in the data it used ("" if nothing), and
    what it changed, school by school (the first CHANGES_KEPT of `changes_total`)."""

    counts: dict[str, int]
    concern: str = ""
    changes: list[dict] = field(default_factory=list)
    changes_total: int = 0


# How many of a run's changes are kept to show: a first run in a large district changes thousands.
CHANGES_KEPT = 500


def evaluation_compute(*, as_of: datetime.date, run: EvaluationRun) -> Computed:
    """Evaluate as of the date; the counts, the data concern and the changes, by school name."""
    counts, concern, changes = _compute(as_of=as_of, run=run)
    names = {}
    if changes:
        schools = School.objects.filter(pk__in={school_id for school_id, _ in changes})
        names = {pk: (name, code) for pk, name, code in schools.values_list("pk", "name", "code")}
    listed = sorted(changes, key=lambda change: (names[change[0]], change[1]))
    return Computed(
        counts=counts,
        concern=concern,
        changes=[{"school": names[pk][1], "name": names[pk][0], "what": what} for pk, what in listed[:CHANGES_KEPT]],
        changes_total=len(changes),
    )


@_collector_paused()
def _compute(*, as_of: datetime.date, run: EvaluationRun) -> tuple[dict[str, int], str, list[tuple[int, str]]]:
    counts = dict.fromkeys(SUMMARY_KEYS, 0)
    # Grants past their term end first, so that no rule acts on them; whether or not contracts run.
    expired = grants_expire_ended(as_of=as_of)
    counts["grants_expired"] = len(expired)
    changes = [(grant.school_id, f"{grant.autonomy.name}: ended with its term") for grant in expired]
    checks = eligibility_checks(as_of=as_of)  # judged once: who newly meets the criteria, who still does
    counts["newly_eligible"] = eligibility_findings_record(run=run, as_of=as_of, checks=checks)
    kept, lapses = earned_grants_recheck(as_of=as_of, checks=checks)
    counts.update(kept)
    changes += lapses
    year = _period_for(as_of)
    if year is None:
        return counts, "", changes
    contracts = {
        c.pk: c
        for c in PerformanceContract.objects.filter(
            status=ContractStatus.ACTIVE,
            term_start__start_date__lte=year.start_date,
            term_end__start_date__gte=year.start_date,
        ).select_related("term_start")
    }
    if not contracts:
        return counts, "", changes
    specs = _benchmark_specs(contracts)
    periods = {
        pk: [p for p in previous_periods(year.label, 50) if p >= contract.term_start.label]
        for pk, contract in contracts.items()
    }
    outcomes = _measure_all(specs, contracts, periods, year)
    _write_results(outcomes, run=run)
    current = {key: o for key, o in outcomes.items() if key[1] == year.label}
    counts["schools"] = len({c.school_id for c in contracts.values()})
    counts["benchmarks"] = len(current)
    for outcome in current.values():
        counts[outcome.status] += 1
    # Central office's side of the contracts first: a commitment it missed pauses the clock of the
    # benchmarks that keep the autonomy it bears on (accountability.services.evaluation.pauses).
    commitments, decided = commitments_track(as_of=as_of, contracts=contracts)
    changes += [
        (contracts[c.contract_id].school_id, f"Commitment of central office {c.get_status_display().lower()}: {c.text}")
        for c in decided
        if c.status != CommitmentStatus.OPEN
    ]
    flags, flag_changes = rules_apply(
        contracts,
        specs,
        outcomes,
        year=year,
        as_of=as_of,
        run=run,
        missed_commitments=commitments_missed(commitments),
    )
    for key, value in flags.items():
        counts[key] += value
    changes += flag_changes
    concern = data_concern(
        specs, {key[0]: o for key, o in current.items()}, year=year, period_ended=as_of > year.end_date
    )
    return counts, concern, changes


def _benchmark_specs(contracts) -> list[BenchmarkSpec]:
    # In BenchmarkSpec's order: after the metric and its direction, from kind to binding_grant_id.
    higher = ExpressionWrapper(Q(metric__direction=Direction.HIGHER), output_field=BooleanField())
    rows = contract_parts(
        Benchmark, contracts, "key", "metric_id", "higher", *BENCHMARK_TERMS, "binding_grant_id", higher=higher
    )
    # Built by position: a large district has tens of thousands of benchmarks.
    return list(map(BenchmarkSpec._make, rows))


def _measure_all(specs, contracts, periods, year) -> dict[tuple[int, str], Outcome]:
    # Each metric's observations from the first period a benchmark on it looks at (the evaluated periods,
    # and before them the window of an average or a trend), in one query: no metric is read as far back
    # as the longest window of all, which would be twice the rows in a large district.
    first_evaluated = min((p[0] for p in periods.values() if p), default=year.label)
    since: dict[int, str] = {}
    for spec in specs:
        start = previous_periods(first_evaluated, spec.periods)[0]
        since[spec.metric_id] = min(start, since.get(spec.metric_id, start))
    metrics_since = defaultdict(list)
    for metric_id, start in since.items():
        metrics_since[start].append(metric_id)
    school_ids = {s.school_id for s in specs}
    values: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    if metrics_since:
        wanted = reduce(or_, (Q(metric_id__in=ids, period__gte=start) for start, ids in metrics_since.items()))
        # Unordered (the default ordering joins schools and metrics to sort by name, and sorts on disk).
        for school_id, metric_id, period, value in (
            Observation.objects.filter(wanted, school_id__in=school_ids, period__lte=year.label)
            .order_by()
            .values_list("school_id", "metric_id", "period", "value")
        ):
            values[(school_id, metric_id)][period] = value
    # Standings compare with every school in the district, from one snapshot: each metric's values in
    # each evaluated period, sorted once, so that a school's standing is two binary searches.
    evaluated = {period for listed in periods.values() for period in listed}
    district: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    relative = {s.metric_id for s in specs if s.kind == BenchmarkKind.RELATIVE}
    if relative:
        for metric_id, period, value in (
            Observation.objects.filter(metric_id__in=relative, period__in=evaluated)
            .order_by()
            .values_list("metric_id", "period", "value")
        ):
            district[metric_id][period].append(value)
        for by_period in district.values():
            for ranked in by_period.values():
                ranked.sort()
    opened = dict(School.objects.filter(pk__in=school_ids).order_by().values_list("pk", "opened_year"))
    no_values: dict[str, Decimal] = {}
    outcomes = {}
    for spec in specs:
        first_year = opened.get(spec.school_id)
        school_values = values.get((spec.school_id, spec.metric_id), no_values)
        standings = district.get(spec.metric_id, no_values)
        for period in periods[spec.contract_id]:
            outcomes[(spec.pk, period)] = measure(
                spec,
                period=period,
                values=school_values,
                district=standings,
                new_school=first_year is not None and int(period[:4]) - first_year < 2,
            )
    return outcomes


def _write_results(outcomes: dict[tuple[int, str], Outcome], *, run) -> int:
    """Upsert only the results that changed: a second run of the same date writes no row.

    The stored results are read by the contracts they belong to (active ones, the evaluated periods)
    rather than by a list of every benchmark id, which is long in a large district.
    """
    existing = {
        (b, p): (s, r, v, t)
        for b, p, s, r, v, t in BenchmarkResult.objects.filter(
            benchmark__contract__status=ContractStatus.ACTIVE, period__in={key[1] for key in outcomes}
        )
        .order_by()
        .values_list("benchmark_id", "period", "status", "rating", "value", "target")
    }
    new, changed = [], []
    for key, o in outcomes.items():
        stored = existing.get(key)
        if stored is None:
            new.append((key, o))
        # The database keeps four decimal places: equal as computed, or equal once rounded as stored.
        elif stored != (o.status, o.rating, o.value, o.target) and stored != (
            o.status,
            o.rating,
            _q(o.value),
            _q(o.target),
        ):
            changed.append((key, o))
    now = timezone.now()
    for rows, fresh in ((new, True), (changed, False)):
        results_upsert(
            rows=[(b, p, o.status, o.rating, o.value, o.target, o.inputs, run.pk, now) for (b, p), o in rows], new=fresh
        )
    return len(new) + len(changed)


def _q(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))
