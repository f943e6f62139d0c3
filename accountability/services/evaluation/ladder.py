"""The intervention ladder: what each rung does to a school's autonomy, the deadline a raised flag gets,
the notice that tells the school, and the top rung, above which nothing climbs.

The nightly run climbs a rung for an overdue flag here; a person raising a flag by hand
(accountability.services.flags) and the page offering it (accountability.policies) use the same rules.
"""

import datetime

from accountability.models import FlagEvent, FlagStatus, InterventionFlag
from autonomy.models import GrantStatus
from autonomy.services import grant_change
from contracts.models import Benchmark, Level

# What a rung of the ladder does to the autonomy a missed binding benchmark protects.
GRANT_ACTIONS = {Level.AT_RISK: "put_at_risk", Level.SUSPENDED: "suspend_by_rule", Level.REVOKED: "revoke_by_rule"}
GRANT_TARGET = {
    Level.AT_RISK: (GrantStatus.AT_RISK, GrantStatus.SUSPENDED, GrantStatus.REVOKED),
    Level.SUSPENDED: (GrantStatus.SUSPENDED, GrantStatus.REVOKED),
    Level.REVOKED: (GrantStatus.REVOKED,),
}

TOP_RUNG_REFUSAL = "This flag is on the last rung of the ladder already."


def rung_is_top(level: int) -> bool:
    """Whether a flag at this level is on the last rung: it cannot be raised, by the run or by hand."""
    return level >= Level.REVOKED


def escalated_deadline(as_of: datetime.date, deadline_days: int) -> datetime.date:
    """A flag raised one rung gets the rule's time again (30 days where the rule acts at once)."""
    return as_of + datetime.timedelta(days=deadline_days or 30)


def flags_escalate_overdue(live, holding, *, as_of, now) -> list[InterventionFlag]:
    """A flag whose deadline passed with no plan submitted climbs one rung, once per deadline.

    `live` maps (school, rule key) to the live flag, `holding` to the rule that holds and its evidence.
    """
    due = [
        f
        for key, f in live.items()
        if key in holding
        and f.deadline < as_of
        and f.status in (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)
        and not rung_is_top(f.level)
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
            reason=f"The deadline passed without a remedy: now {Level(f.level).label.lower()}.",
        )
        for f in due
    )
    return due


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
