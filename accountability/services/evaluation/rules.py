"""Applying the contracts' intervention rules to a run's results: a flag opened per school and rule that
holds (with its notice and evidence), a live flag's condition cleared where the rule no longer holds,
an overdue flag raised one rung, and each rung carried out on the autonomy it protects.

Flags are opened and cleared by set difference against the live ones, so a second run of the same date
opens nothing and clears nothing.
"""

import datetime
from collections import defaultdict

from django.db.models import Value
from django.utils import timezone

from accountability.models import LIVE_FLAG_STATUSES, FlagEvent, FlagStatus, InterventionFlag
from accountability.services.evaluation.ladder import flags_escalate_overdue, grants_apply_rung
from accountability.services.evaluation.notify import flags_notify
from accountability.services.measures import RuleSpec, rule_holds
from autonomy.models import GrantStatus
from contracts.models import Condition, InterventionRule


def rules_apply(contracts, specs, outcomes, *, year, as_of, run) -> dict[str, int]:
    """Open, clear and raise the flags the rules call for; the counts of flags and grants it changed."""
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
        FlagEvent(flag=f, at=now, action="open", to_status=FlagStatus.OPEN, reason=f.deficiency) for f in new_flags
    )
    counts["flags_opened"] = len(new_flags)
    cleared = [f.pk for key, f in live.items() if key not in holding and f.condition_cleared_at is None]
    counts["flags_cleared"] = InterventionFlag.objects.filter(pk__in=cleared).update(condition_cleared_at=now)
    escalated = flags_escalate_overdue(live, holding, as_of=as_of, now=now)
    if escalated:  # grants_apply_rung reads the evidence
        evidence = dict(InterventionFlag.objects.filter(pk__in=[f.pk for f in escalated]).values_list("pk", "evidence"))
        for flag in escalated:
            flag.evidence = evidence[flag.pk]
    flags_notify(new_flags + escalated)
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
    if rule.condition == Condition.NO_DATA:
        return f"No data for {names} in {period}."
    if rule.condition == Condition.K_IN_A_ROW:
        return f"{names} was missed {rule.count} years in a row, through {period}."
    return f"Benchmarks missed in {period}: {names}."
