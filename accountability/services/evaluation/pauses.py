"""The paused intervention clock: the contract binds both sides. When central office misses a commitment
of a school's contract that bears on an autonomy (contracts.services.commitments_tracking), the school is
not moved up the ladder on the benchmarks that keep that autonomy until central office keeps it.

What "paused" means, in one place (the nightly run, rules.py, applies it):
- the flag is opened (or kept) on its rule's rung, with its notice, but what the rung does to the school's
  autonomy is held: no grant is put at risk, suspended or revoked while the clock is paused;
- the flag is not raised, neither by a higher rule of its condition nor for a passed deadline;
- the deadline does not run: when the clock resumes (the commitment met, even late), the deadline moves
  on by the days the clock stood, so the school keeps exactly the days it had left when it stopped, and
  the rung held at opening is then carried out;
- the run records a "pause" (then a "resume") event on the flag with the reason, the change on the run's
  attempt, and tells the school; a second run of the same date finds the flag paused already and writes
  nothing.

Which flags: those whose condition is about a benchmark bound to a grant of the autonomy the missed
commitment bears on, in the same contract version.
"""

import datetime
from collections import defaultdict

from accountability.models import FlagEvent, InterventionFlag
from autonomy.models import AutonomyGrant
from contracts.models import ContractCommitment

PAUSE_FIELDS = ["clock_paused_on", "clock_pause_reason"]
PAUSE_EFFECT = (
    "Until it does, this flag does not move up the ladder, its deadline does not run, "
    "and nothing happens to the school's autonomy."
)


def commitment_missed_sentence(commitment: ContractCommitment) -> str:
    """The reason a clock is paused, naming the commitment, the department and the date it was due."""
    return (
        f"The intervention clock is paused: central office missed its commitment “{commitment.text}” "
        f"({commitment.get_department_display()}, due {commitment.due_on:%b %-d, %Y})."
    )


def _condition_benchmarks(evidence: dict) -> list[str]:
    """The benchmarks a rule's condition is about (rules' evidence, accountability.services.measures)."""
    keys = []
    for name in ("missed_binding", "missed", "missing"):
        keys += evidence.get(name) or []
    if evidence.get("benchmark"):
        keys.append(evidence["benchmark"])
    return keys


def clock_pauses(*, specs, holding: dict, missed: list[ContractCommitment]) -> dict:
    """Which conditions that hold are paused, and why: condition key → reason. One query (the binding
    grants' autonomies), and only when some commitment bearing on an autonomy is missed."""
    by_contract_autonomy = defaultdict(list)
    for commitment in missed:
        by_contract_autonomy[(commitment.contract_id, commitment.autonomy_id)].append(commitment)
    if not by_contract_autonomy or not holding:
        return {}
    autonomy_of = dict(
        AutonomyGrant.objects.filter(pk__in={s.binding_grant_id for s in specs if s.binding_grant_id})
        .order_by()
        .values_list("pk", "autonomy_id")
    )
    spec_of = {(s.contract_id, s.key): s for s in specs}
    paused = {}
    for key, (rule, evidence) in holding.items():
        reasons = []
        for benchmark in _condition_benchmarks(evidence):
            spec = spec_of.get((rule.contract_id, benchmark))
            if spec is None or spec.binding_grant_id is None:
                continue
            for commitment in by_contract_autonomy.get((rule.contract_id, autonomy_of.get(spec.binding_grant_id)), []):
                sentence = commitment_missed_sentence(commitment)
                if sentence not in reasons:
                    reasons.append(sentence)
        if reasons:
            paused[key] = " ".join(reasons)
    return paused


def flags_pause(
    flags_reasons: list[tuple[InterventionFlag, str]], *, as_of: datetime.date, now
) -> list[InterventionFlag]:
    """Stop the clock of live flags (not paused yet): the date and reason on the flag, a "pause" event each."""
    flags = []
    for flag, reason in flags_reasons:
        flag.clock_paused_on, flag.clock_pause_reason = as_of, reason
        flags.append(flag)
    if flags:
        InterventionFlag.objects.bulk_update(flags, PAUSE_FIELDS)
    pause_events(flags, now=now)
    return flags


def _clock_event(flag: InterventionFlag, *, action: str, now, reason: str, evidence: dict) -> FlagEvent:
    """An event of the flag's clock (pause, resume): its timeline shows it, though the status stays as it is."""
    return FlagEvent(
        flag=flag,
        at=now,
        action=action,
        from_status=flag.status,
        to_status=flag.status,
        reason=reason,
        evidence=evidence,
    )


def pause_events(flags: list[InterventionFlag], *, now) -> None:
    FlagEvent.objects.bulk_create(
        _clock_event(
            flag,
            action="pause",
            now=now,
            reason=f"{flag.clock_pause_reason} {PAUSE_EFFECT}",
            evidence={"as_of": flag.clock_paused_on.isoformat()},
        )
        for flag in flags
    )


def flags_resume(flags: list[InterventionFlag], *, as_of: datetime.date, now) -> list[InterventionFlag]:
    """Start the clocks again: each deadline moves on by the days its clock stood; a "resume" event each."""
    events = []
    for flag in flags:
        stood = (as_of - flag.clock_paused_on).days
        was = flag.deadline
        flag.deadline = was + datetime.timedelta(days=stood)
        reason = (
            f"The intervention clock resumes: central office has now met the commitment that paused it. "
            f"The clock stood {stood} day{'s' if stood != 1 else ''}, so the deadline moves from "
            f"{was:%B %-d, %Y} to {flag.deadline:%B %-d, %Y}."
        )
        evidence = {"as_of": as_of.isoformat(), "paused_on": flag.clock_paused_on.isoformat(), "days": stood}
        flag.clock_paused_on, flag.clock_pause_reason = None, ""
        events.append(_clock_event(flag, action="resume", now=now, reason=reason, evidence=evidence))
    if flags:
        InterventionFlag.objects.bulk_update(flags, ["deadline", *PAUSE_FIELDS])
        FlagEvent.objects.bulk_create(events)
    return flags


def paused_deadline_words(flag: InterventionFlag) -> str:
    """The deadline of a paused flag, as a notice and the flag page say it: the days left when it stopped."""
    left = max((flag.deadline - flag.clock_paused_on).days, 0)
    return f"paused with {left} day{'s' if left != 1 else ''} left; it runs again when the clock resumes."
