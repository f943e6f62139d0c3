"""Earned eligibility: the nightly run lists the schools that newly meet an earned autonomy's criteria, and
central office invites them to request it.

What "newly" means is told on accountability.models.EligibilityFinding. Whether a criterion holds is
judged by the one rule the request decision uses (autonomy.selectors_eligibility.criterion_check): the
school's most recent observation of the metric counts, and no observation never holds. A run reads only
the periods that had begun by its date, so that it stays a pure function of the data and the date.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accountability.models import EligibilityFinding, EvaluationRun
from accountability.policies import can_invite_eligible_school
from autonomy.evidence_words import evidence_summary
from autonomy.models import (
    HELD_STATUSES,
    LIVE_STATUSES,
    OPEN_REQUEST_STATUSES,
    AccountabilityModel,
    AutonomyGrant,
    CriterionKind,
    EligibilityCriterion,
    GrantEvent,
    GrantStatus,
    RequestItem,
)
from autonomy.selectors_eligibility import CriterionCheck, criterion_baseline_period, criterion_check, criterion_words
from autonomy.services import GrantStep, grants_change
from core.bulk import bulk_copy_values
from core.errors import ApplicationError, Conflict
from core.notifications import notify
from core.policies import require
from metrics.models import Observation
from schools.models import SchoolYear
from schools.selectors import principals_of

# (school, earned autonomy) → its criteria judged on a date (eligibility_checks).
Checks = dict[tuple[int, int], list[CriterionCheck]]


class Seen(NamedTuple):
    """An observation as a criterion is judged on it (criterion_check reads its period and value): a
    district's latest observations are read as these, not as model rows, thousands a night."""

    period: str
    value: Decimal


def eligibility_findings_record(*, run: EvaluationRun, as_of: datetime.date, checks: Checks | None = None) -> int:
    """Record a finding for each school newly eligible for an earned autonomy as of the date; end the
    findings of schools that no longer meet the criteria. Returns how many schools were newly listed.

    Runs inside the evaluation's transaction (a dry or held run rolls it back with everything else).
    The queries are fixed whatever the number of schools: the criteria, the latest observations, the
    live grants and open requests, the open findings, one insert and at most one update. `checks` are the
    date's eligibility_checks, when the caller has judged them already (the nightly run, for both of its uses).
    """
    meeting = _schools_meeting_criteria(checks if checks is not None else eligibility_checks(as_of=as_of))
    taken = _held_or_asked_for(autonomy_ids={autonomy_id for _, autonomy_id in meeting})
    open_findings = {
        (school_id, autonomy_id): (pk, found_as_of)
        for pk, school_id, autonomy_id, found_as_of in EligibilityFinding.objects.filter(
            ended_at__isnull=True
        ).values_list("pk", "school_id", "autonomy_id", "run__as_of")
    }
    now = timezone.now()
    new = [
        {
            "run_id": run.pk,
            "school_id": school_id,
            "autonomy_id": autonomy_id,
            "evidence": {"as_of": as_of.isoformat(), "criteria": [check.as_evidence() for check in checks]},
            "found_at": now,
        }
        for (school_id, autonomy_id), checks in sorted(meeting.items())
        if (school_id, autonomy_id) not in taken and (school_id, autonomy_id) not in open_findings
    ]
    bulk_copy_values(EligibilityFinding, new)  # thousands on a first run, each with its criteria as JSON evidence
    # A run for an earlier date than the one that found a school (a back-fill) does not end its episode.
    ended = [pk for key, (pk, found_as_of) in open_findings.items() if key not in meeting and found_as_of <= as_of]
    if ended:
        EligibilityFinding.objects.filter(pk__in=ended).update(ended_at=now, ended_run=run)
    return len(new)


def _schools_meeting_criteria(checks: Checks) -> Checks:
    """(school, earned autonomy) → its criterion checks, for the pairs where every criterion holds.

    An earned autonomy with no criterion has nothing to earn and is left out; so is a school with no
    observation of a criterion's metric (missing data is not meeting).
    """
    return {pair: its_checks for pair, its_checks in checks.items() if all(c.holds for c in its_checks)}


def eligibility_checks(*, as_of: datetime.date) -> Checks:
    """(school, earned autonomy) → its criterion checks, for every school with an observation of one of
    the criteria's metrics by the date: the latest of each, in three queries. Each criterion's words are
    drawn once for every school."""
    criteria = list(
        EligibilityCriterion.objects.filter(autonomy__model=AccountabilityModel.EARNED)
        .select_related("metric")
        .order_by("autonomy_id", "pk")
    )
    if not criteria:
        return {}
    # The latest period begun by the date; periods sort as text (2025-26 after 2024-25).
    begun = SchoolYear.objects.filter(start_date__lte=as_of).order_by("-start_date").values("label")[:1]
    # Each (school, metric)'s observations numbered from the latest: one sort of the criteria's observations
    # (a correlated subquery per row took four times as long on 2,000 schools, and set off JIT compilation).
    newest_first = Window(RowNumber(), partition_by=[F("school_id"), F("metric_id")], order_by=F("period").desc())
    latest = {
        (school_id, metric_id): Seen(period, value)
        for school_id, metric_id, period, value in Observation.objects.filter(
            metric_id__in={c.metric_id for c in criteria}, period__lte=Subquery(begun)
        )
        .annotate(newest=newest_first)
        .filter(newest=1)
        .order_by()
        .values_list("school_id", "metric_id", "period", "value")
    }
    earlier = _improvement_baselines(criteria, latest)
    by_autonomy: dict[int, list[EligibilityCriterion]] = defaultdict(list)
    for criterion in criteria:
        by_autonomy[criterion.autonomy_id].append(criterion)
    schools = {school_id for school_id, _ in latest}
    words = {c.pk: criterion_words(c) for c in criteria}
    return {
        (school_id, autonomy_id): [
            criterion_check(c, latest.get((school_id, c.metric_id)), earlier.get((school_id, c.pk)), words=words[c.pk])
            for c in its_criteria
        ]
        for autonomy_id, its_criteria in by_autonomy.items()
        for school_id in schools
    }


def _improvement_baselines(criteria, latest) -> dict[tuple[int, int], Seen]:
    """(school, improvement criterion) → the observation its years before the school's latest: one query,
    made only where a criterion is an improvement."""
    wanted: dict[tuple[int, int, str], list[tuple[int, int]]] = defaultdict(list)
    for criterion in (c for c in criteria if c.kind == CriterionKind.IMPROVEMENT):
        for (school_id, metric_id), observation in latest.items():
            if metric_id == criterion.metric_id:
                period = criterion_baseline_period(criterion, observation.period)
                wanted[(school_id, metric_id, period)].append((school_id, criterion.pk))
    if not wanted:
        return {}
    found = Observation.objects.filter(
        metric_id__in={metric for _, metric, _ in wanted},
        period__in={period for _, _, period in wanted},
        school_id__in={school for school, _, _ in wanted},
    ).values_list("school_id", "metric_id", "period", "value")
    return {
        pair: Seen(period, value)
        for school_id, metric_id, period, value in found
        for pair in wanted.get((school_id, metric_id, period), [])
    }


def earned_grants_recheck(
    *, as_of: datetime.date, checks: Checks | None = None
) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Earned autonomy is kept, not just won: every earned grant held on the date is judged against its
    criteria by the same rule as the request decision. A lapse (a criterion observed and not met; missing
    data is no lapse for a grant already earned) puts an active grant at risk for the district's cure
    period; met again within it, the grant is cured; still unmet once the period has ended, suspended.
    Each is a step of the grant's table as the system's, with the criteria as evidence, and tells the
    school. Returns the counts (grants at risk, suspended, cured) and the changes, by school.

    A grant put at risk by a contract's flag is the ladder's (accountability.services.evaluation.ladder):
    only a grant this check put at risk is cured or suspended here.
    """
    counts = {"grants_at_risk": 0, "grants_suspended": 0, "grants_cured": 0}
    held = list(
        AutonomyGrant.objects.filter(
            model=AccountabilityModel.EARNED, status__in=HELD_STATUSES, starts_on__lte=as_of
        ).values_list("pk", "school_id", "autonomy_id", "autonomy__name", "status", "at_risk_until")
    )
    if not held:
        return counts, []
    checks = checks if checks is not None else eligibility_checks(as_of=as_of)
    at_risk = [pk for pk, *_, status, _ in held if status == GrantStatus.AT_RISK]
    latest_step = {}
    for grant_id, action in (
        GrantEvent.objects.filter(grant_id__in=at_risk)
        .order_by("grant_id", "-at", "-pk")
        .values_list("grant_id", "action")
    ):
        latest_step.setdefault(grant_id, action)
    put_at_risk_here = {pk for pk, action in latest_step.items() if action == "criteria_lapse"}
    changes, steps = [], []
    for pk, school_id, autonomy_id, name, status, until in held:
        its_checks = checks.get((school_id, autonomy_id), [])
        unmet = [c for c in its_checks if c.value is not None and not c.holds]
        evidence = {"as_of": as_of.isoformat(), "criteria": [c.as_evidence() for c in its_checks]}
        if status == GrantStatus.ACTIVE and unmet:
            until = as_of + datetime.timedelta(days=settings.CURE_PERIOD_DAYS)
            reason = (
                f"The criteria of this earned autonomy are no longer met: {_unmet_words(unmet)}. It is at risk "
                f"until {until:%B %-d, %Y}; if they are still unmet then, it is suspended."
            )
            step, key, words = "criteria_lapse", "grants_at_risk", "at risk: criteria no longer met"
        elif pk in put_at_risk_here and its_checks and all(c.holds for c in its_checks):
            until, step, key, words = None, "criteria_cure", "grants_cured", "cured: criteria met again"
            reason = f"The criteria of this earned autonomy are met again: {_met_words(its_checks)}."
        elif pk in put_at_risk_here and unmet and until is not None and until < as_of:
            until, step, key, words = None, "criteria_suspend", "grants_suspended", "suspended: criteria still unmet"
            reason = f"The cure period ended with the criteria still unmet: {_unmet_words(unmet)}."
        else:
            continue
        steps.append(GrantStep(pk, step, reason, evidence, at_risk_until=until))
        counts[key] += 1
        changes.append((school_id, f"{name}: {words}"))
    grants_change(actor=None, steps=steps)
    return counts, changes


def _unmet_words(unmet: list[CriterionCheck]) -> str:
    return "; ".join(f"{c.criterion}, but {c.value} in {c.period}" for c in unmet)


def _met_words(checks: list[CriterionCheck]) -> str:
    return "; ".join(f"{c.criterion}: {c.value} in {c.period}" for c in checks)


def _held_or_asked_for(*, autonomy_ids: set[int]) -> set[tuple[int, int]]:
    """(school, autonomy) pairs with a live grant or an open request that asks for the autonomy: one query."""
    if not autonomy_ids:
        return set()
    grants = (
        AutonomyGrant.objects.filter(autonomy_id__in=autonomy_ids, status__in=LIVE_STATUSES)
        .order_by()
        .values_list("school_id", "autonomy_id")
    )
    asked = (
        RequestItem.objects.filter(autonomy_id__in=autonomy_ids, request__status__in=OPEN_REQUEST_STATUSES)
        .order_by()
        .values_list("request__school_id", "autonomy_id")
    )
    return set(grants.union(asked))


def eligibility_invite(*, actor, finding_id: int) -> EligibilityFinding:
    """Invite the school of a finding to request the autonomy: its principal is told once, and the
    finding records who invited and when. A second invitation, or one for a school that has since
    asked for or been granted the autonomy, is refused with a Conflict that says why; so is one no call
    open today offers, since the invitation would lead nowhere: the principal is invited through that call.
    """
    # Here, not at the top: accountability.selectors reads the evaluation's measures from this package.
    from accountability.selectors import calls_open_offering

    require(can_invite_eligible_school(actor))
    with transaction.atomic():
        finding = (
            EligibilityFinding.objects.select_related("school", "autonomy", "invited_by")
            .select_for_update(of=("self",))
            .filter(pk=finding_id)
            .first()
        )
        if finding is None:
            raise ApplicationError("There is no such finding.", fields={"finding": ["No such finding."]})
        school, autonomy = finding.school, finding.autonomy
        if finding.invited_at is not None:
            who = finding.invited_by.get_full_name() or finding.invited_by.get_username()
            raise Conflict(
                f"{school.name} was already invited to request “{autonomy.name}” on "
                f"{timezone.localtime(finding.invited_at):%B %-d, %Y at %-I:%M %p} by {who}."
            )
        if finding.ended_at is not None:
            raise Conflict(f"{school.name} no longer meets the criteria for “{autonomy.name}”.")
        if (school.pk, autonomy.pk) in _held_or_asked_for(autonomy_ids={autonomy.pk}):
            raise Conflict(f"{school.name} already holds or has asked for “{autonomy.name}”.")
        call = calls_open_offering(autonomy_ids=[autonomy.pk], today=timezone.localdate()).get(autonomy.pk)
        if call is None:
            raise Conflict(f"No open call offers “{autonomy.name}” yet: open one first, then invite {school.name}.")
        principals = principals_of(school_ids=[school.pk]).get(school.pk, [])
        if not principals:
            raise ApplicationError(
                f"{school.name} has no principal on record to invite.", fields={"school": ["No principal."]}
            )
        finding.invited_at, finding.invited_by = timezone.now(), actor
        finding.save(update_fields=["invited_at", "invited_by"])
        notify(
            users=principals,
            key=f"eligibility:{finding.pk}:invite",
            title=lambda: _("Your school now meets the criteria for “%(autonomy)s”") % {"autonomy": autonomy.name},
            body=lambda: _invitation_text(finding, call),
            url=f"{reverse('autonomy:call_list')}#call-{call.pk}",
        )
    return finding


def _invitation_text(finding: EligibilityFinding, call) -> str:
    met = " ".join(evidence_summary({"criteria": finding.evidence.get("criteria", [])}))
    invited = _(
        "%(school)s now meets the criteria for “%(autonomy)s”. %(met)s You are invited to request it in the call "
        "“%(call)s”, open until %(date)s: start a request from the call on the calls for proposals page."
    )
    return invited % {
        "school": finding.school.name,
        "autonomy": finding.autonomy.name,
        "met": met,
        "call": call.title,
        "date": date_format(call.closes_on, _("F j, Y")),
    }
