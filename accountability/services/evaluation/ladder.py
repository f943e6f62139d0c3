"""The intervention ladder, one home for every rung: what it does to the autonomies a rule binds, the
deadline and remedy a flag gets on it, the notice that tells the school, and the top rung.

The nightly run opens a flag on its rule's rung, climbs one rung for an overdue flag, and lets a higher
rule of the same condition supersede a lower one (accountability.services.evaluation.rules); a person
raising a flag by hand (accountability.services.flags) and the page and API offering it
(accountability.policies) take the same rungs through the same functions here.

The rungs that act on autonomy:
- at risk: the bound grants are put at risk for a cure period that ends on the flag's deadline. If the
  condition clears before then, the nightly run returns them to active as cured, with the evidence;
  if the period ends uncured, the next rung applies, whether or not a plan was submitted.
- suspended, revoked: the bound grants are suspended or revoked. Revoked is the last rung: its notice
  gives no deadline, since nothing further happens on the ladder.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accountability.models import FlagEvent, FlagStatus, InterventionFlag
from autonomy.models import LIVE_STATUSES, AutonomyGrant, GrantStatus
from autonomy.services import GrantStep, grants_change
from autonomy.workflows import GRANT_WORKFLOW
from contracts.models import Benchmark, Level, PerformanceContract

# What a rung of the ladder does to the autonomy a rule binds.
GRANT_ACTIONS = {Level.AT_RISK: "put_at_risk", Level.SUSPENDED: "suspend_by_rule", Level.REVOKED: "revoke_by_rule"}
GRANT_TARGET = {
    Level.AT_RISK: (GrantStatus.AT_RISK, GrantStatus.SUSPENDED, GrantStatus.REVOKED),
    Level.SUSPENDED: (GrantStatus.SUSPENDED, GrantStatus.REVOKED),
    Level.REVOKED: (GrantStatus.REVOKED,),
}

# The remedy a flag states once it is raised above its rule's own rung (on its rule's rung, the rule's).
RUNG_REMEDIES = {
    Level.NOTICE: "Meet with your liaison and explain the results.",
    Level.CORRECTIVE_PLAN: "Submit a corrective action plan: what the school will change, and by when.",
    Level.INTENSIFIED_SUPPORT: "Work with the support team the district assigns, and submit a plan with them.",
    Level.AT_RISK: (
        "Meet the missed benchmark again before the cure period ends; if it is still missed then, "
        "the autonomy is suspended."
    ),
    Level.SUSPENDED: (
        "Decisions under the autonomy go back to the district. Meet the benchmark again before the deadline, "
        "or the autonomy is revoked."
    ),
    Level.REVOKED: "The autonomy is revoked. The school may ask for it again with a new request.",
}
# Days a raised flag gives the school where its rule sets none (a rule that acts at once).
RAISED_DEADLINE_DAYS = 30

TOP_RUNG_REFUSAL = "This flag is on the last rung of the ladder already."
PROVISION_HEADING = gettext_noop("What happens if it does not")


def rung_is_top(level: int) -> bool:
    """Whether a flag at this level is on the last rung: it cannot be raised, by the run or by hand."""
    return level >= Level.REVOKED


def rung_has_deadline(level: int) -> bool:
    """The last rung has no deadline: nothing further happens on the ladder."""
    return not rung_is_top(level)


def rung_deadline(level: int, *, as_of: datetime.date, rule) -> datetime.date:
    """When the school's time on a rung ends: the rule's days on its own rung, the district's cure period
    on the at-risk rung it is raised to, 30 days on the other rungs; the day itself on the last rung."""
    if rung_is_top(level):
        return as_of
    if level == rule.level and rule.deadline_days:
        days = rule.deadline_days
    elif level == Level.AT_RISK:
        days = settings.CURE_PERIOD_DAYS
    else:
        days = rule.deadline_days or RAISED_DEADLINE_DAYS
    return as_of + datetime.timedelta(days=days)


def rung_take(flag: InterventionFlag, level: int, *, as_of: datetime.date, rule) -> list[str]:
    """Put the flag on a rung: its level, the deadline and the remedy of that rung. Returns the fields."""
    flag.level = level
    flag.deadline = rung_deadline(level, as_of=as_of, rule=rule)
    flag.remedy = rule.remedy if level == rule.level else RUNG_REMEDIES[Level(level)]
    return ["level", "deadline", "remedy"]


def rung_label(level: int) -> str:
    return Level(level).label.lower()


def rung_consequence(level: int, autonomies: list[str]) -> str:
    """What taking a rung does to the named autonomies, in a sentence ("" below the at-risk rung)."""
    if level not in GRANT_ACTIONS or not autonomies:
        return ""
    names = ", ".join(f"“{name}”" for name in autonomies)
    if level == Level.AT_RISK:
        return _("%(names)s will be at risk for a cure period of %(days)s days.") % {
            "names": names,
            "days": settings.CURE_PERIOD_DAYS,
        }
    return _("%(names)s will be %(status)s.") % {
        "names": names,
        "status": GrantStatus(GRANT_TARGET[level][0]).label.lower(),
    }


def flags_escalate_overdue(live, holding, *, as_of, now, skip=()) -> list[InterventionFlag]:
    """A flag whose deadline passed while its condition still holds climbs one rung, once per deadline:
    below the at-risk rung if no plan was submitted, from it and above whatever the school answered
    (a cure period ends on its date).

    `live` maps a school's condition to its live flag, `holding` to the rule that holds and its evidence;
    flags in `skip` were moved already in this run.
    """
    due = [
        (flag, holding[key][0])
        for key, flag in live.items()
        if key in holding
        and flag.pk not in skip
        and flag.deadline < as_of
        and (flag.status in (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED) or flag.level >= Level.AT_RISK)
        and not rung_is_top(flag.level)
    ]
    for flag, rule in due:
        rung_take(flag, flag.level + 1, as_of=as_of, rule=rule)
    raised = [(flag, f"The deadline passed without a remedy: now {rung_label(flag.level)}.") for flag, _ in due]
    return flags_raised_write(raised, fields=["level", "deadline", "remedy"], now=now)


def flags_raised_write(raised: list[tuple[InterventionFlag, str]], *, fields: list[str], now) -> list[InterventionFlag]:
    """Write flags raised by the nightly run, each with its reason: the changed fields in one update, an
    "escalate" event each (the case stays in its state). Returns the flags."""
    flags = [flag for flag, _ in raised]
    InterventionFlag.objects.bulk_update(flags, fields)
    FlagEvent.objects.bulk_create(
        FlagEvent(flag=flag, at=now, action="escalate", from_status=flag.status, to_status=flag.status, reason=reason)
        for flag, reason in raised
    )
    return flags


@dataclass(frozen=True)
class Consequence:
    """What a rung did to one grant, as the notice states it."""

    grant_id: int
    autonomy: str
    status: str

    def sentence(self) -> str:
        return _("“%(autonomy)s” is now %(status)s.") % {
            "autonomy": self.autonomy,
            "status": GrantStatus(self.status).label.lower(),
        }


def bound_grants(flag: InterventionFlag, *, live_only: bool = True) -> list[AutonomyGrant]:
    """The grants a flag's rule binds: those of the benchmarks its condition is about that keep an
    autonomy; where none of them does, every autonomy the contract gives (its rungs 4 to 6 are about the
    contract's autonomy as a whole). Live grants only, unless `live_only` is False (a page showing what
    is at stake): a grant already ended has nothing to lose."""
    bound, grants = _binding([flag])
    return _chosen(bound[flag.pk], grants, lambda grant: not live_only or grant.status in LIVE_STATUSES)


def _binding(flags: list[InterventionFlag]) -> tuple[dict[int, tuple[list[int], list[int]]], dict]:
    """Per flag, the grants (ids, in id order) of the benchmarks its condition is about and those its
    contract gives, and the grants themselves with their autonomies: three queries for any number of flags."""
    about = {}
    for flag in flags:
        why = flag.evidence.get("why", {})
        keys = why.get("missed_binding") or why.get("missed") or why.get("missing") or [why.get("benchmark")]
        about[flag.pk] = (flag.evidence["rule"]["contract"], {key for key in keys if key})
    contract_ids = {contract_id for contract_id, _keys in about.values()}
    keeping = defaultdict(lambda: defaultdict(set))  # contract → benchmark key → the grants it keeps
    for contract_id, key, grant_id in Benchmark.objects.filter(
        contract_id__in=contract_ids, binding_grant__isnull=False
    ).values_list("contract_id", "key", "binding_grant_id"):
        keeping[contract_id][key].add(grant_id)
    given = defaultdict(set)
    for contract_id, grant_id in PerformanceContract.grants.through.objects.filter(
        performancecontract_id__in=contract_ids
    ).values_list("performancecontract_id", "autonomygrant_id"):
        given[contract_id].add(grant_id)
    bound = {
        pk: (sorted(set().union(*(keeping[contract_id][key] for key in keys))), sorted(given[contract_id]))
        for pk, (contract_id, keys) in about.items()
    }
    wanted = {grant_id for by_benchmark, by_contract in bound.values() for grant_id in by_benchmark + by_contract}
    return bound, AutonomyGrant.objects.select_related("autonomy").in_bulk(wanted)


def _chosen(bound: tuple[list[int], list[int]], grants: dict, keep) -> list[AutonomyGrant]:
    """The bound grants `keep` admits: the benchmarks' if any, else the contract's."""
    by_benchmark, by_contract = bound
    return [grants[pk] for pk in by_benchmark if keep(grants[pk])] or [
        grants[pk] for pk in by_contract if keep(grants[pk])
    ]


def grants_apply_rung(flag: InterventionFlag, *, as_of, actor=None) -> list[Consequence]:
    """One flag's rung carried out (grants_apply_rungs)."""
    return grants_apply_rungs([flag], as_of=as_of, actor=actor)[0]


def grants_apply_rungs(flags: list[InterventionFlag], *, as_of, actor=None) -> list[list[Consequence]]:
    """Carry out each flag's rung on the autonomies its rule binds, through the grants service in one batch,
    as if flag after flag: a grant an earlier flag of the batch revoked is not acted on again, and one it put
    at risk is suspended by a later one from there. The flags' notices state what changed, so the grants'
    own notices are not sent (one message per event). Returns each flag's consequences, in the flags' order.

    `actor` None is the nightly evaluation; a person raising a flag by hand is recorded as the actor.
    """
    consequences = [[] for _flag in flags]
    acting = [(place, flag) for place, flag in enumerate(flags) if flag.level in GRANT_ACTIONS]
    if not acting:
        return consequences
    bound, grants = _binding([flag for _place, flag in acting])
    status = {pk: grant.status for pk, grant in grants.items()}
    steps, owners = [], []
    for place, flag in acting:
        action = GRANT_ACTIONS[flag.level]
        for grant in _chosen(bound[flag.pk], grants, lambda grant: status[grant.pk] in LIVE_STATUSES):
            if status[grant.pk] in GRANT_TARGET[flag.level]:
                continue  # already where the rule puts it: a re-run changes nothing
            if step := GRANT_WORKFLOW.step(status[grant.pk], action):
                status[grant.pk] = step.target  # else the service refuses the step, and the batch with it
            until = f" until {flag.deadline:%B %-d, %Y}" if flag.level == Level.AT_RISK else ""
            steps.append(
                GrantStep(
                    grant.pk,
                    action,
                    f"{flag.deficiency} {flag.provision}: {rung_label(flag.level)}{until}.",
                    {"flag": flag.pk, "as_of": as_of.isoformat(), "results": flag.evidence.get("results", {})},
                    at_risk_until=flag.deadline if flag.level == Level.AT_RISK else None,
                )
            )
            owners.append(place)
    for place, (grant, event) in zip(owners, grants_change(actor=actor, steps=steps, notify_school=False), strict=True):
        consequences[place].append(Consequence(grant.pk, grant.autonomy.name, event.to_status))
    return consequences


def grants_cure(flag: InterventionFlag, *, as_of, results) -> list[Consequence]:
    """The condition of a flag in its cure period cleared before the period ended: the grants it put at
    risk return to active, recorded as cured with the results that cleared it."""
    reason = (
        f"Cured: the condition of {flag.provision} cleared before the cure period ended ({flag.deadline:%B %-d, %Y})."
    )
    evidence = {"flag": flag.pk, "as_of": as_of.isoformat(), "results": results}
    bound, grants = _binding([flag])
    at_risk = _chosen(bound[flag.pk], grants, lambda grant: grant.status in LIVE_STATUSES)
    steps = [
        GrantStep(grant.pk, "cure_by_rule", reason, evidence)
        for grant in at_risk
        if grant.status == GrantStatus.AT_RISK
    ]
    return [
        Consequence(grant.pk, grant.autonomy.name, event.to_status)
        for grant, event in grants_change(actor=None, steps=steps, notify_school=False)
    ]


def provision_quote(flag: InterventionFlag) -> str:
    """The contract provision a notice enforces, quoted: its number, the contract's heading, the rule's text."""
    from contracts.wording import rule_sentence  # contracts.wording reads the ladder's labels

    return f"{flag.provision}, “{_(PROVISION_HEADING)}”: {rule_sentence(flag.rule)}"


def in_district_language(function):
    """What is written down for a school (a notice, a flag's steps, a run's changes) is in the district's
    language (settings.LANGUAGE_CODE), whichever language the person who set it off reads the portal in."""

    @wraps(function)
    def written(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return written


def _long_date(value: datetime.date) -> str:
    return date_format(value, _("F j, Y"))


def notice_words(flag: InterventionFlag, consequences=()) -> str:
    """Every notice states the deficiency, the contract provision quoted, what happened to the school's
    autonomy, the remedy for the rung and the deadline (none on the last rung). In the active language: a
    message is written in each reader's (core.notifications); what was recorded (the deficiency, the
    remedy) reads as it was recorded."""
    lines = [flag.deficiency, _("Contract provision: %(quote)s") % {"quote": provision_quote(flag)}]
    if consequences:
        lines.append(_("What this means for your autonomy: ") + " ".join(c.sentence() for c in consequences))
    if flag.clock_paused_on:
        from accountability.services.evaluation.pauses import PAUSE_EFFECT  # pauses reads the ladder's models

        lines.append(f"{flag.clock_pause_reason} {PAUSE_EFFECT}")
    lines.append(_("Expected remedy: %(remedy)s") % {"remedy": flag.remedy})
    if flag.clock_paused_on and rung_has_deadline(flag.level):
        from accountability.services.evaluation.pauses import paused_deadline_words

        lines.append(_("Deadline: %(deadline)s") % {"deadline": paused_deadline_words(flag)})
    elif rung_has_deadline(flag.level):
        lines.append(_("Deadline: %(deadline)s") % {"deadline": _long_date(flag.deadline)})
    else:
        lines.append(_("Deadline: none; this is the last step of the contract's ladder."))
    return "\n".join(lines)


@in_district_language
def notice_text(flag: InterventionFlag, consequences=()) -> str:
    """The notice as the district keeps it (the auditor's dossier): in the district's language."""
    return notice_words(flag, consequences)


def cure_notice_words(flag: InterventionFlag, consequences) -> str:
    """A cure's notice, in the active language (as notice_words)."""
    cleared = _("The condition behind this flag cleared before the cure period ended (%(date)s).")
    return "\n".join(
        [
            cleared % {"date": _long_date(flag.deadline)},
            " ".join(c.sentence() for c in consequences),
            _("Contract provision: %(quote)s") % {"quote": provision_quote(flag)},
        ]
    )
