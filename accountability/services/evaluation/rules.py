"""Applying the contracts' intervention rules to a run's results: a flag opened per school and condition
that holds (with its notice and evidence), a lower rung superseded by a higher rule of the same
condition, a live flag's condition cleared where no rule of it holds (and its grants cured if that
happens within the cure period), an overdue flag raised one rung, and each rung carried out on the
autonomy its rule binds (accountability.services.evaluation.ladder).

Flags are opened, raised and cleared by set difference against the live ones, so a second run of the
same date opens, raises and clears nothing.
"""

from collections import defaultdict

from django.utils import timezone

from accountability.models import LIVE_FLAG_STATUSES, FlagEvent, FlagStatus, InterventionFlag
from accountability.services.evaluation.contract_parts import contract_parts
from accountability.services.evaluation.ladder import (
    flags_escalate_overdue,
    flags_raised_write,
    grants_apply_rungs,
    grants_cure,
    rung_deadline,
    rung_label,
)
from accountability.services.evaluation.notify import FlagNotice, flags_notify
from accountability.services.evaluation.pauses import clock_pauses, flags_pause, flags_resume, pause_events
from accountability.services.measures import RuleSpec, rule_holds
from autonomy.models import GrantStatus
from contracts.models import RULE_TERMS, Condition, InterventionRule, Level
from core.bulk import bulk_copy
from metrics.formatting import format_result, format_target
from metrics.models import Metric


def rules_apply(
    contracts, specs, outcomes, *, year, as_of, run, missed_commitments=()
) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Open, supersede, clear, cure and raise the flags the rules call for; the counts of what changed,
    and the changes themselves as (school id, what changed).

    One live flag per school and condition (a condition is the rule's kind and, for K in a row, its
    benchmark): of the rules of one condition that hold, the highest rung wins, and a live flag on a
    lower rung is raised to it rather than joined by a second flag.

    A condition about benchmarks that keep an autonomy whose commitment central office missed
    (`missed_commitments`) has its clock paused (accountability.services.evaluation.pauses): its flag is
    opened or kept, never raised, and its rung is not carried out on the autonomy until the clock resumes.
    """
    counts = dict.fromkeys(RULE_COUNT_KEYS, 0)
    by_contract = defaultdict(list)
    for spec in specs:
        by_contract[spec.contract_id].append(spec)
    # In RuleSpec's order, from key to benchmark_id.
    rules = list(map(RuleSpec._make, contract_parts(InterventionRule, contracts, "key", *RULE_TERMS, "benchmark_id")))
    condition_of = {(rule.school_id, rule.key): (rule.school_id, _condition(rule)) for rule in rules}
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
        key = condition_of[(rule.school_id, rule.key)]
        if holds and (key not in holding or rule.level > holding[key][0].level):
            holding[key] = (rule, evidence)
    # Without their evidence and plan, the bulk of a flag: a district has many live flags every night, and
    # only the few that move need their evidence (read below, all in one query).
    live = {}
    for flag in InterventionFlag.objects.filter(
        school_id__in={c.school_id for c in contracts.values()}, status__in=LIVE_FLAG_STATUSES
    ).defer("evidence", "plan"):
        key = condition_of.get((flag.school_id, flag.rule_key), (flag.school_id, ("rule", flag.rule_key)))
        if key not in live or flag.level > live[key].level:
            live[key] = flag
    now = timezone.now()
    # The measures' names and units, for the notices: one query, and only when a flag opens or rises.
    metrics = Metric.objects.in_bulk({s.metric_id for s in specs}) if holding else {}
    paused = clock_pauses(specs=specs, holding=holding, missed=list(missed_commitments))
    fresh = {
        key: _new_flag(
            rule,
            evidence,
            by_contract[rule.contract_id],
            outcomes,
            year=year,
            as_of=as_of,
            run=run,
            now=now,
            metrics=metrics,
        )
        for key, (rule, evidence) in sorted(holding.items())
        if key not in live or (live[key].level < rule.level and key not in paused)
    }
    for key, flag in fresh.items():
        if key in paused:
            flag.clock_paused_on, flag.clock_pause_reason = as_of, paused[key]
    # A flag's evidence holds every result of its contract, as JSON: copied in, with its id (core.bulk).
    new_flags = [flag for key, flag in fresh.items() if key not in live]
    bulk_copy(InterventionFlag, new_flags, ids=True)
    bulk_copy(
        FlagEvent,
        [FlagEvent(flag=f, at=now, action="open", to_status=FlagStatus.OPEN, reason=f.deficiency) for f in new_flags],
    )
    pause_events([f for f in new_flags if f.clock_paused_on], now=now)
    counts["flags_opened"] = len(new_flags)
    stopped = flags_pause(
        [(f, paused[key]) for key, f in live.items() if key in paused and f.clock_paused_on is None],
        as_of=as_of,
        now=now,
    )
    resumed = flags_resume(
        [f for key, f in live.items() if key not in paused and f.clock_paused_on is not None], as_of=as_of, now=now
    )
    superseded = _flags_supersede({live[key]: flag for key, flag in fresh.items() if key in live}, now=now)
    counts["flags_raised"] = len(superseded)
    cleared = [f for key, f in live.items() if key not in holding and f.condition_cleared_at is None]
    counts["flags_cleared"] = InterventionFlag.objects.filter(pk__in=[f.pk for f in cleared]).update(
        condition_cleared_at=now
    )
    # A paused clock holds the flag where it is: no rung climbed for a deadline that does not run.
    held = {f.pk for key, f in live.items() if key in paused}
    escalated = flags_escalate_overdue(live, holding, as_of=as_of, now=now, skip={f.pk for f in superseded} | held)
    counts["flags_raised"] += len(escalated)
    changes = [(f.school_id, f"Flag opened: {rung_label(f.level)} ({f.provision})") for f in new_flags]
    changes += [(f.school_id, f"Flag raised to {rung_label(f.level)} ({f.provision})") for f in superseded + escalated]
    changes += [(f.school_id, f"Condition cleared ({f.provision})") for f in cleared]
    changes += [
        (f.school_id, f"Intervention clock paused ({f.provision}): {f.clock_pause_reason}")
        for f in stopped + [f for f in new_flags if f.clock_paused_on]
    ]
    changes += [(f.school_id, f"Intervention clock resumed ({f.provision}), deadline {f.deadline}") for f in resumed]
    in_cure = [f for f in cleared if f.level == Level.AT_RISK and as_of <= f.deadline]
    # A resumed flag whose condition still holds has its rung carried out now: it was held while paused.
    resumed_holding = [f for key, f in live.items() if f in resumed and key in holding]
    _evidence_load(escalated + in_cure + resumed_holding)
    notices = [FlagNotice(f, f"paused:{as_of.isoformat()}") for f in stopped]
    moved = new_flags + superseded + escalated
    # Every rung carried out in one batch, the resumed flags' first; a paused clock holds the rung.
    acting = resumed_holding + [f for f in moved if not f.clock_paused_on]
    rungs = grants_apply_rungs(acting, as_of=as_of)
    for flag, consequences in zip(acting, rungs, strict=True):
        for consequence in consequences:
            counts[GRANT_COUNTS[consequence.status]] += 1
            changes.append((flag.school_id, f"{consequence.autonomy}: {GrantStatus(consequence.status).label.lower()}"))
    notices += [
        FlagNotice(flag, f"resumed:{as_of.isoformat()}", consequences, lead=RESUMED_LEAD)
        for flag, consequences in zip(resumed_holding, rungs, strict=False)
    ]
    moved_rungs = iter(rungs[len(resumed_holding) :])
    notices += [
        FlagNotice(flag, f"level:{flag.level}", [] if flag.clock_paused_on else next(moved_rungs)) for flag in moved
    ]
    for flag in in_cure:
        results = _inputs(by_contract.get(flag.evidence["rule"]["contract"], []), outcomes, year)
        consequences = grants_cure(flag, as_of=as_of, results=results)
        if consequences:
            counts["grants_cured"] += len(consequences)
            changes += [(flag.school_id, f"{c.autonomy}: cured, active again") for c in consequences]
            FlagEvent.objects.create(
                flag=flag,
                at=now,
                action="cure",
                from_status=flag.status,
                to_status=flag.status,
                reason=" ".join(
                    ["The condition cleared within the cure period.", *(c.sentence() for c in consequences)]
                ),
                evidence={"as_of": as_of.isoformat(), "results": results},
            )
            notices.append(FlagNotice(flag, f"cured:{as_of.isoformat()}", consequences, cured=True))
    flags_notify(notices)
    return counts, changes


RESUMED_LEAD = "The intervention clock resumes: central office has met the commitment that paused it."

# The counts rules_apply adds to a run's; a grant moved by a rung is counted by its new status.
RULE_COUNT_KEYS = (
    "flags_opened",
    "flags_raised",
    "flags_cleared",
    "grants_at_risk",
    "grants_suspended",
    "grants_revoked",
    "grants_cured",
)
GRANT_COUNTS = {
    GrantStatus.AT_RISK: "grants_at_risk",
    GrantStatus.SUSPENDED: "grants_suspended",
    GrantStatus.REVOKED: "grants_revoked",
}


def _condition(rule: RuleSpec) -> tuple:
    """What makes two rules of a contract the same condition: rules of one condition are rungs of it."""
    return (rule.condition, (rule.benchmark_id or 0) if rule.condition == Condition.K_IN_A_ROW else 0)


def _flags_supersede(pairs: dict[InterventionFlag, InterventionFlag], *, now) -> list[InterventionFlag]:
    """A higher rule of the same condition holds: its live flag takes that rule's rung, notice and evidence."""
    fields = ["rule_id", "rule_key", "level", "period", "deficiency", "provision", "remedy", "deadline", "evidence"]
    raised = []
    for flag, higher in pairs.items():
        was = flag.level
        for field in fields:
            setattr(flag, field, getattr(higher, field))
        raised.append(
            (flag, f"A higher step of the contract applies: from {rung_label(was)} to {rung_label(flag.level)}.")
        )
    return flags_raised_write(raised, fields=fields, now=now)


def _evidence_load(flags: list[InterventionFlag]) -> None:
    """The deferred evidence of the live flags that move, in one query."""
    if flags:
        evidence = dict(InterventionFlag.objects.filter(pk__in=[f.pk for f in flags]).values_list("pk", "evidence"))
        for flag in flags:
            flag.evidence = evidence[flag.pk]


def _inputs(specs, outcomes, year) -> dict:
    """Each benchmark's result this period and the inputs that decided it: a flag's evidence."""
    return {
        s.key: {"status": outcomes[(s.pk, year.label)].status, **outcomes[(s.pk, year.label)].inputs}
        for s in specs
        if (s.pk, year.label) in outcomes
    }


def _new_flag(rule: RuleSpec, evidence, specs, outcomes, *, year, as_of, run, now, metrics) -> InterventionFlag:
    inputs = _inputs(specs, outcomes, year)
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
        deficiency=_deficiency(rule, missed, year.label, specs=specs, outcomes=outcomes, metrics=metrics),
        provision=rule.provision,
        remedy=rule.remedy,
        deadline=rung_deadline(rule.level, as_of=as_of, rule=rule),
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


def _deficiency(rule: RuleSpec, missed, period: str, *, specs, outcomes, metrics) -> str:
    """What was missed, in the district's words: each benchmark by its measure's name, with the value
    and the target (or limit) as people write them; "Vacancies: 7 vacancies against a limit of 3"."""
    by_key = {spec.key: spec for spec in specs}
    parts = []
    for key in (m for m in missed if m):
        spec = by_key.get(key)
        if spec is None:
            parts.append(str(key))
            continue
        metric = metrics[spec.metric_id]
        outcome = outcomes.get((spec.pk, period))
        if outcome is None or outcome.value is None:
            parts.append(metric.name)
            continue
        limit = "a limit of" if spec.comparator in ("<=", "<") else "a target of"
        value = format_result(
            spec.kind,
            metric,
            outcome.value,
            observed=outcome.inputs.get("value"),
            schools=outcome.inputs.get("schools_compared"),
        )
        parts.append(f"{metric.name}: {value} against {limit} {format_target(spec.kind, metric, outcome.target)}")
    names = "; ".join(parts)
    if rule.condition == Condition.NO_DATA:
        return f"No data in {period} for {names}."
    if rule.condition == Condition.K_IN_A_ROW:
        return f"Missed {rule.count} years in a row, through {period}: {names}."
    return f"Benchmarks missed in {period}: {names}."
