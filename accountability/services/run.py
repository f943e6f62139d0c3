"""The nightly check: every active contract's benchmarks evaluated as of a date, rules applied, schools
flagged, autonomy put at risk, suspended or revoked where a contract says so.

It is a pure function of (contracts, observations, as-of date): a second run of the same date writes
nothing — results are written only where they changed, a flag is opened only where none is live, a
grant moves only if it is not already where the rule puts it, and notifications are keyed by event.
It is set-based: the queries it makes depend on the kinds of data, not on the number of schools (the
exception is one grant transition per grant a rule acts on, each with its own audit event).
"""

import datetime
import gc
import logging
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Q, Value
from django.urls import reverse
from django.utils import timezone

from accountability.models import (
    LIVE_FLAG_STATUSES,
    BenchmarkResult,
    EvaluationRun,
    FlagEvent,
    FlagStatus,
    InterventionFlag,
    RunStatus,
)
from accountability.policies import can_run_evaluation
from accountability.services.eligibility import eligibility_findings_record
from accountability.services.measures import (
    BenchmarkSpec,
    Outcome,
    RuleSpec,
    measure,
    previous_periods,
    rule_holds,
)
from accountability.services.results import results_upsert
from autonomy.models import LIVE_STATUSES, AutonomyGrant, GrantStatus
from autonomy.services import grant_change
from contracts.models import Benchmark, ContractStatus, InterventionRule, Level, PerformanceContract
from core.errors import Conflict
from core.notifications import notify_many
from core.policies import require
from metrics.models import Direction, Metric, Observation
from schools.models import School, SchoolYear
from schools.selectors import principals_of

logger = logging.getLogger(__name__)

SUMMARY_KEYS = (
    "schools",
    "benchmarks",
    "met",
    "not_met",
    "no_data",
    "flags_opened",
    "flags_cleared",
    "grants_suspended",
    "grants_revoked",
    "newly_eligible",
)
# What a rung of the ladder does to the autonomy a missed binding benchmark protects.
GRANT_ACTIONS = {Level.AT_RISK: "put_at_risk", Level.SUSPENDED: "suspend_by_rule", Level.REVOKED: "revoke_by_rule"}
GRANT_TARGET = {
    Level.AT_RISK: (GrantStatus.AT_RISK, GrantStatus.SUSPENDED, GrantStatus.REVOKED),
    Level.SUSPENDED: (GrantStatus.SUSPENDED, GrantStatus.REVOKED),
    Level.REVOKED: (GrantStatus.REVOKED,),
}


class RunInProgress(Exception):
    """Another run for the same date holds the lock: this trigger is a no-op."""


# The advisory lock of a run: (this class, the as-of day). See evaluation_run.
RUN_LOCK_CLASS = 7301


def evaluation_run(
    *,
    as_of: datetime.date,
    trigger: str = "manual",
    dry_run: bool = False,
    confirm: bool = False,
    confirmed_by=None,
    lock_wait: float = 0,
) -> EvaluationRun:
    """Evaluate as of a date and record the run (one ledger row per date; a re-run is another attempt).

    With `dry_run` everything is computed, written and counted, then rolled back (notifications and
    queued emails included): the returned run shows what a real run would do, and nothing is recorded.

    A run the guardrails stop (too many grants suspended or revoked, or anomalous data) is rolled back
    the same way and recorded as held, with the counts it would have produced and the reason.
    `confirm` runs past the guardrails; with `confirmed_by` (an admin answering a held run) the run
    must be held still, and it goes ahead only if it would do exactly what the held run showed.

    Attempts: each real run is an attempt, recorded in its own committed transaction before the work
    (status running, attempts + 1, started_at), so that an attempt whose worker is killed leaves a trace.
    The work is then one transaction, which ends the row. When attempts keep dying with their worker and
    the task keeps coming back (acks_late, reject_on_worker_lost, the broker's visibility timeout), the
    attempt that finds EVALUATION_MAX_ATTEMPTS unfinished attempts in a row marks the run failed and
    returns it without raising, so nothing retries it; a person may start it again from the runs page.

    Locking, on PostgreSQL: a session-level advisory lock on the date is taken first, before any
    bookkeeping, and held until the work committed or rolled back. A duplicate trigger that finds it
    held raises RunInProgress without touching the row, so it never counts as an attempt. A
    transaction-level lock could not cover both transactions; the bookkeeping on a second connection,
    under the first one's lock, would hold two connections per run. PostgreSQL frees a session lock
    when its session ends, so a killed worker's lock goes with its connection; as that can take a moment
    (the session notices when its current statement ends), a redelivered task passes `lock_wait`
    seconds to wait for it instead of giving up at once. SQLite has no such lock: one process, one run.
    """
    with _run_lock(as_of, wait=lock_wait):
        if dry_run:
            # A preview leaves no trace, not even of its failure.
            return _run(as_of=as_of, trigger=trigger, dry_run=True, confirm=confirm, confirmed_by=confirmed_by)
        run, go_ahead = _attempt_begin(as_of=as_of, trigger=trigger, confirmed_by=confirmed_by)
        if not go_ahead:
            return run
        try:
            return _run(as_of=as_of, trigger=trigger, dry_run=False, confirm=confirm, confirmed_by=confirmed_by)
        except Exception as exc:
            # The evaluation rolled back whole; the ledger says so, and the error goes on to the caller.
            EvaluationRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED,
                error=repr(exc),
                unfinished_attempts=0,
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            raise


@contextmanager
def _run_lock(as_of: datetime.date, *, wait: float):
    """Hold the date's session-level advisory lock (PostgreSQL) for the block, or raise RunInProgress."""
    if connection.vendor != "postgresql":
        yield
        return
    key = [RUN_LOCK_CLASS, as_of.toordinal()]
    with connection.cursor() as cursor:
        if wait > 0:
            try:
                with transaction.atomic():
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(wait * 1000)}ms"])
                    cursor.execute("SELECT pg_advisory_lock(%s, %s)", key)
                held = True
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
                    raise
                held = False
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            held = cursor.fetchone()[0]
    if not held:
        raise RunInProgress(f"A run for {as_of} is already in progress.")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        except DatabaseError:
            # The session is broken: ending it is what frees the lock.
            logger.warning("Could not release the run lock for %s; closing the connection", as_of, exc_info=True)
            connection.close()


def _attempt_begin(*, as_of: datetime.date, trigger: str, confirmed_by) -> tuple[EvaluationRun, bool]:
    """Record that an attempt starts, committed before the work; or, after EVALUATION_MAX_ATTEMPTS
    attempts in a row that never finished, mark the run failed instead. Returns the run and whether to
    go ahead. Expects the run's advisory lock (evaluation_run holds it)."""
    now = timezone.now()
    with transaction.atomic():
        run, _ = EvaluationRun.objects.select_for_update().get_or_create(
            as_of=as_of, defaults={"trigger": trigger, "started_at": now}
        )
        if confirmed_by is not None and run.status != RunStatus.HELD:
            raise Conflict(f"The run as of {as_of} is {run.get_status_display().lower()}, no longer held.")
        # Still running when an attempt begins: the earlier attempts never ended the row.
        unfinished = run.unfinished_attempts if run.status == RunStatus.RUNNING else 0
        if unfinished >= settings.EVALUATION_MAX_ATTEMPTS:
            run.status, run.finished_at = RunStatus.FAILED, now
            run.error = (
                f"Stopped after {unfinished} attempts that did not finish: the worker was lost each time "
                "(see the worker's log). Start the run again once the cause is fixed."
            )
            run.save(update_fields=["status", "finished_at", "error", "updated_at"])
            return run, False
        run.status, run.trigger, run.started_at, run.finished_at = RunStatus.RUNNING, trigger, now, None
        run.attempts += 1
        run.unfinished_attempts, run.error = unfinished + 1, ""
        run.save(
            update_fields=[
                "status",
                "trigger",
                "started_at",
                "finished_at",
                "attempts",
                "unfinished_attempts",
                "error",
                "updated_at",
            ]
        )
    return run, True


def _run(*, as_of: datetime.date, trigger: str, dry_run: bool, confirm: bool, confirmed_by) -> EvaluationRun:
    """The work of one attempt, in one transaction (a preview's is rolled back). Expects the run's lock."""
    with transaction.atomic():
        run, _ = EvaluationRun.objects.select_for_update().get_or_create(
            as_of=as_of, defaults={"trigger": trigger, "started_at": timezone.now()}
        )
        previewed = dict(run.counts)
        live_grants = AutonomyGrant.objects.filter(status__in=LIVE_STATUSES).count()
        # A savepoint, so that a held run's changes (and the notifications they scheduled on commit) are
        # undone while this transaction lives on to record the run as held.
        with transaction.atomic():
            counts, data_concern = _evaluate(as_of=as_of, run=run)
            held_reason = "" if confirm else _held_reason(counts, live_grants=live_grants, data_concern=data_concern)
            if confirmed_by is not None and counts != previewed:
                held_reason = (
                    "The data changed after the run was held, so it would no longer do what you reviewed. "
                    "These are the new counts: review them and confirm again."
                )
            if held_reason:
                transaction.set_rollback(True)
        run.status = RunStatus.HELD if held_reason else RunStatus.SUCCEEDED
        run.counts, run.held_reason = counts, held_reason
        run.confirmed_by = None if held_reason else confirmed_by
        run.discarded_by = None
        run.trigger, run.finished_at, run.error, run.unfinished_attempts = trigger, timezone.now(), "", 0
        if dry_run:
            run.attempts += 1  # as the real attempt would count it
            run.save()
            transaction.set_rollback(True)
        else:
            run.save()
    return run


def _held_reason(counts: dict[str, int], *, live_grants: int, data_concern: str) -> str:
    """Why the guardrails stop this run, in plain words; empty if they let it through."""
    reasons = [data_concern] if data_concern else []
    changed = counts["grants_suspended"] + counts["grants_revoked"]
    share = settings.EVALUATION_MAX_GRANT_CHANGE_SHARE
    # One grant is a case, not a mass change: it never holds a run, however small the district.
    if changed > max(1, share * live_grants):
        reasons.append(f"It would suspend or revoke {changed} of {live_grants} live grants, more than {share:.0%}.")
    return " ".join(reasons)


def _data_concern(specs: list[BenchmarkSpec], current: dict[int, Outcome], *, year, period_ended: bool) -> str:
    """Name the metrics whose data for the period look wrong: mostly zero where higher is better (an
    import of blanks as zeros), or, once the period is over, mostly missing.

    Zeros are not suspect where lower is better (no vacancies is good news), and missing data are normal
    while the year runs: results arrive during it.
    """
    share = settings.EVALUATION_ANOMALY_SHARE
    higher = {s.metric_id for s in specs if s.higher_is_better}
    values = defaultdict(list)
    for metric_id, value in Observation.objects.filter(
        school_id__in={s.school_id for s in specs}, metric_id__in=higher, period=year.label
    ).values_list("metric_id", "value"):
        values[metric_id].append(value)
    concerns = {}
    for metric_id, seen in values.items():
        zeros = sum(1 for value in seen if value == 0)
        if zeros > share * len(seen):
            concerns[metric_id] = f"{zeros} of {len(seen)} values for {year.label} are zero"
    if period_ended:
        by_metric = defaultdict(list)
        for spec in specs:
            if spec.pk in current:
                by_metric[spec.metric_id].append(current[spec.pk].status)
        for metric_id, statuses in by_metric.items():
            missing = statuses.count("no_data")
            if missing > share * len(statuses) and metric_id not in concerns:
                concerns[metric_id] = f"{missing} of {len(statuses)} benchmarks on it have no data for {year.label}"
    if not concerns:
        return ""
    metrics = Metric.objects.filter(pk__in=concerns).order_by("code").values_list("pk", "name", "code")
    return " ".join(
        f"The data for {name} ({code}) look wrong: {concerns[pk]}, more than {share:.0%}." for pk, name, code in metrics
    )


def evaluation_run_confirm(*, actor, as_of: datetime.date) -> EvaluationRun:
    """An admin confirms a held run: it runs for real, past the guardrails, if it would still do exactly
    what the held run showed. Otherwise it is held again with the new counts, and Conflict says so."""
    require(can_run_evaluation(actor))
    run = evaluation_run(as_of=as_of, trigger="manual", confirm=True, confirmed_by=actor)
    if run.status == RunStatus.HELD:
        raise Conflict(run.held_reason)
    return run


def evaluation_run_discard(*, actor, as_of: datetime.date) -> EvaluationRun:
    """An admin discards a held run: nothing it would have done is done. A later run may hold again."""
    require(can_run_evaluation(actor))
    with transaction.atomic():
        run = EvaluationRun.objects.select_for_update().filter(as_of=as_of).first()
        if run is None or run.status != RunStatus.HELD:
            state = run.get_status_display().lower() if run else "not recorded"
            raise Conflict(f"The run as of {as_of} is {state}, no longer held.")
        run.status, run.discarded_by, run.finished_at = RunStatus.DISCARDED, actor, timezone.now()
        run.save(update_fields=["status", "discarded_by", "finished_at", "updated_at"])
    return run


def evaluation_run_mark_requested(*, as_of: datetime.date, trigger: str = "manual") -> EvaluationRun:
    """Record that a run for the date was asked for, before a worker takes it up, so that the runs page
    shows it as running. The run itself (evaluation_run) takes the same row over, and ends it.

    Not an attempt: attempts are counted by evaluation_run when the work starts. The count of unfinished
    attempts starts again, so a run a person starts again gets its full number of tries.
    """
    run, _ = EvaluationRun.objects.update_or_create(
        as_of=as_of,
        defaults={
            "status": RunStatus.RUNNING,
            "trigger": trigger,
            "error": "",
            "unfinished_attempts": 0,
            "started_at": timezone.now(),
            "finished_at": None,
        },
    )
    return run


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


@_collector_paused()
def _evaluate(*, as_of: datetime.date, run: EvaluationRun) -> tuple[dict[str, int], str]:
    """The run's counts, and what looks wrong in the data it used (empty if nothing)."""
    counts = dict.fromkeys(SUMMARY_KEYS, 0)
    counts["newly_eligible"] = eligibility_findings_record(run=run, as_of=as_of)  # whether or not contracts run
    year = _period_for(as_of)
    if year is None:
        return counts, ""
    contracts = {
        c.pk: c
        for c in PerformanceContract.objects.filter(
            status=ContractStatus.ACTIVE,
            term_start__start_date__lte=year.start_date,
            term_end__start_date__gte=year.start_date,
        ).select_related("term_start")
    }
    if not contracts:
        return counts, ""
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
    flags = _apply_rules(contracts, specs, outcomes, year=year, as_of=as_of, run=run)
    counts.update(flags)
    concern = _data_concern(
        specs, {key[0]: o for key, o in current.items()}, year=year, period_ended=as_of > year.end_date
    )
    return counts, concern


def _benchmark_specs(contracts) -> list[BenchmarkSpec]:
    school_of = {pk: contract.school_id for pk, contract in contracts.items()}
    # In each contract's order, without the default ordering's joins to sort contracts by school name.
    rows = (
        Benchmark.objects.filter(contract_id__in=contracts)
        .order_by("contract_id", "position", "pk")
        .values_list(
            "pk",
            "contract_id",
            "key",
            "metric_id",
            "metric__direction",
            # the rest in BenchmarkSpec's order, from kind to binding_grant_id
            "kind",
            "comparator",
            "target",
            "periods",
            "baseline",
            "new_school_target",
            "exceeds_margin",
            "far_below_margin",
            "binding_grant_id",
        )
    )
    # Built by position: a large district has tens of thousands of benchmarks.
    return [
        BenchmarkSpec(pk, contract_id, school_of[contract_id], key, metric_id, direction == Direction.HIGHER, *rest)
        for pk, contract_id, key, metric_id, direction, *rest in rows
    ]


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
    relative = {s.metric_id for s in specs if s.kind == "relative"}
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
    changed = []
    for key, o in outcomes.items():
        stored = existing.get(key)
        # The database keeps four decimal places: equal as computed, or equal once rounded as stored.
        if stored is not None and (
            stored == (o.status, o.rating, o.value, o.target)
            or stored == (o.status, o.rating, _q(o.value), _q(o.target))
        ):
            continue
        changed.append((key, o))
    now = timezone.now()
    results_upsert(rows=[(b, p, o.status, o.rating, o.value, o.target, o.inputs, run.pk, now) for (b, p), o in changed])
    return len(changed)


def _q(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))


def _apply_rules(contracts, specs, outcomes, *, year, as_of, run) -> dict[str, int]:
    counts = {"flags_opened": 0, "flags_cleared": 0, "grants_suspended": 0, "grants_revoked": 0}
    by_contract = defaultdict(list)
    for spec in specs:
        by_contract[spec.contract_id].append(spec)
    school_of = {pk: contract.school_id for pk, contract in contracts.items()}
    # As the benchmarks: in each contract's order, without joins to sort contracts by school name.
    rows = (
        InterventionRule.objects.filter(contract_id__in=contracts)
        .order_by("contract_id", "position", "pk")
        .values_list(
            "pk",
            "contract_id",
            # the rest in RuleSpec's order, from key to benchmark_id
            "key",
            "condition",
            "count",
            "level",
            "deadline_days",
            "remedy",
            "provision",
            "benchmark_id",
        )
    )
    rules = [RuleSpec(pk, contract_id, school_of[contract_id], *rest) for pk, contract_id, *rest in rows]
    period_ended = as_of > year.end_date
    holding = {}
    for rule in rules:
        holds, evidence = rule_holds(
            rule,
            period=year.label,
            results=outcomes,
            benchmarks=by_contract[rule.contract_id],
            period_ended=period_ended,
        )
        if holds:
            holding[(rule.school_id, rule.key)] = (rule, evidence)
    # Without their evidence and plan, the bulk of a flag: a district has many live flags every night, and
    # only the few that climb a rung need their evidence (read below, all in one query).
    live = {
        (f.school_id, f.rule_key): f
        for f in InterventionFlag.objects.filter(
            school_id__in={c.school_id for c in contracts.values()}, status__in=LIVE_FLAG_STATUSES
        ).defer("evidence", "plan")
    }
    now = timezone.now()
    new_flags = [
        _new_flag(rule, evidence, by_contract[rule.contract_id], outcomes, year=year, as_of=as_of, run=run, now=now)
        for key, (rule, evidence) in sorted(holding.items())
        if key not in live
    ]
    new_flags = _flags_insert(new_flags, now=now)
    FlagEvent.objects.bulk_create(
        FlagEvent(flag=f, at=now, action="open", to_status=FlagStatus.OPEN, note=f.deficiency) for f in new_flags
    )
    counts["flags_opened"] = len(new_flags)
    cleared = [f.pk for key, f in live.items() if key not in holding and f.condition_cleared_at is None]
    counts["flags_cleared"] = InterventionFlag.objects.filter(pk__in=cleared).update(condition_cleared_at=now)
    escalated = _escalate(live, holding, as_of=as_of, now=now)
    if escalated:  # grants_apply_rung reads the evidence
        evidence = dict(InterventionFlag.objects.filter(pk__in=[f.pk for f in escalated]).values_list("pk", "evidence"))
        for flag in escalated:
            flag.evidence = evidence[flag.pk]
    _notify(new_flags + escalated)
    for flag in new_flags + escalated:
        moved = grants_apply_rung(flag, as_of=as_of)
        counts["grants_suspended"] += moved.count(GrantStatus.SUSPENDED)
        counts["grants_revoked"] += moved.count(GrantStatus.REVOKED)
    return counts


def _flags_insert(flags: list[InterventionFlag], *, now) -> list[InterventionFlag]:
    """bulk_create, through a plain VALUES list rather than UNNEST.

    Django 5.2 inserts a batch on PostgreSQL as UNNEST of one array per column, and with parameters bound
    on the client the driver quotes each array in Python, one regex substitution per quote character:
    a flag's evidence (every result of the contract, as JSON) holds hundreds, and 1,200 flags took 1 s.
    A SQL expression among the values makes Django write a VALUES list instead, whose parameters libpq
    quotes in C, 3-4 times faster. The expression is the opening time as a literal: the same value.
    """
    if not flags:
        return flags
    opened_at = InterventionFlag._meta.get_field("opened_at")
    flags[0].opened_at = Value(now, output_field=opened_at)
    flags = InterventionFlag.objects.bulk_create(flags)
    flags[0].opened_at = now
    return flags


def _new_flag(rule: RuleSpec, evidence, specs, outcomes, *, year, as_of, run, now) -> InterventionFlag:
    inputs = {
        s.key: {"status": outcomes[(s.pk, year.label)].status, **outcomes[(s.pk, year.label)].inputs}
        for s in specs
        if (s.pk, year.label) in outcomes
    }
    missed = (
        evidence.get("missed_binding")
        or evidence.get("missed")
        or evidence.get("missing")
        or [evidence.get("benchmark")]
    )
    return InterventionFlag(
        school_id=rule.school_id,
        rule_id=rule.pk,
        rule_key=rule.key,
        level=rule.level,
        period=year.label,
        deficiency=_deficiency(rule, missed, year.label),
        provision=rule.provision,
        remedy=rule.remedy,
        deadline=as_of + datetime.timedelta(days=rule.deadline_days),
        evidence={
            "rule": {
                "key": rule.key,
                "condition": rule.condition,
                "count": rule.count,
                "level": rule.level,
                "contract": rule.contract_id,
            },
            "why": evidence,
            "results": inputs,
            "run_as_of": as_of.isoformat(),
        },
        opened_run=run,
        opened_at=now,
    )


def _deficiency(rule: RuleSpec, missed, period: str) -> str:
    names = ", ".join(str(m) for m in missed if m)
    if rule.condition == "no_data":
        return f"No data for {names} in {period}."
    if rule.condition == "k_in_a_row":
        return f"{names} was missed {rule.count} years in a row, through {period}."
    return f"Benchmarks missed in {period}: {names}."


def _escalate(live, holding, *, as_of, now) -> list[InterventionFlag]:
    """A flag whose deadline passed with no plan submitted climbs one rung, once per deadline."""
    due = [
        f
        for key, f in live.items()
        if key in holding
        and f.deadline < as_of
        and f.status in (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)
        and f.level < Level.REVOKED
    ]
    for flag in due:
        flag.level += 1
        flag.deadline = escalated_deadline(as_of, holding[(flag.school_id, flag.rule_key)][0].deadline_days)
    InterventionFlag.objects.bulk_update(due, ["level", "deadline"])
    FlagEvent.objects.bulk_create(
        FlagEvent(
            flag=f,
            at=now,
            action="escalate",
            from_status=f.status,
            to_status=f.status,
            note=f"The deadline passed without a remedy: now {Level(f.level).label.lower()}.",
        )
        for f in due
    )
    return due


def escalated_deadline(as_of: datetime.date, deadline_days: int) -> datetime.date:
    """A flag raised one rung gets the rule's time again (30 days where the rule acts at once)."""
    return as_of + datetime.timedelta(days=deadline_days or 30)


def grants_apply_rung(flag: InterventionFlag, *, as_of, actor=None) -> list[str]:
    """Carry out the rung on the autonomy each missed binding benchmark protects, through the grants service.

    `actor` None is the nightly evaluation; a person raising a flag by hand is recorded as the actor.
    """
    action = GRANT_ACTIONS.get(flag.level)
    missed = flag.evidence.get("why", {}).get("missed_binding") or []
    if action is None or not missed:
        return []
    grants = Benchmark.objects.filter(
        contract_id=flag.evidence["rule"]["contract"], key__in=missed, binding_grant__isnull=False
    ).values_list("binding_grant_id", "binding_grant__status")
    moved = []
    for grant_id, status in grants:
        if status in GRANT_TARGET[flag.level]:
            continue  # already where the rule puts it: a re-run changes nothing
        grant = grant_change(
            actor=actor,
            grant_id=grant_id,
            action=action,
            reason=f"{flag.deficiency} {flag.provision}: {Level(flag.level).label.lower()}.",
            evidence={"flag": flag.pk, "as_of": as_of.isoformat(), "results": flag.evidence.get("results", {})},
        )
        moved.append(grant.status)
    return moved


def notice_text(flag: InterventionFlag) -> str:
    """Every notice states the deficiency, the contract provision, the expected remedy and the deadline."""
    return (
        f"{flag.deficiency}\nContract provision: {flag.provision}\nExpected remedy: {flag.remedy}\n"
        f"Deadline: {flag.deadline:%B %-d, %Y}"
    )


def _notify(flags: list[InterventionFlag]) -> None:
    if not flags:
        return
    schools = {s.pk: s for s in School.objects.filter(pk__in={f.school_id for f in flags}).select_related("liaison")}
    principals = principals_of(school_ids=list(schools))
    messages = []
    for flag in flags:
        school = schools[flag.school_id]
        users = principals.get(school.pk, []) + ([school.liaison] if school.liaison else [])
        messages.append(
            (
                users,
                f"flag:{flag.pk}:level:{flag.level}",
                f"{school.name}: {Level(flag.level).label.lower()}",
                notice_text(flag),
                reverse("school_detail", args=[school.code]),
            )
        )
    notify_many(messages)
