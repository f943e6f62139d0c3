"""Every write to the grants ledger. A grant changes only here, always with who, when, why and evidence."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from autonomy.models import (
    LIVE_STATUSES,
    AccountabilityModel,
    Autonomy,
    AutonomyGrant,
    GrantEvent,
    GrantStatus,
)
from autonomy.policies import can_manage_autonomy, grant_acts_as
from autonomy.workflows import GRANT_WORKFLOW
from core.errors import ApplicationError, NotPermitted
from core.hooks import GrantChange, announce_on_commit, grants_changed
from core.limits import BRIEF_TEXT, LONG_TEXT, NOTE_TEXT
from core.notifications import notify_many
from core.workflows import Move, Steps, limited_text, required_text
from schools.models import Cohort, School
from schools.selectors import principals_of


def grants_issue(
    *,
    schools: Iterable[School],
    autonomy: Autonomy,
    actor: AbstractBaseUser | None,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    evidence: dict | None = None,
    retention_benchmarks: str = "",
    request_item=None,
) -> list[AutonomyGrant]:
    """Grant one autonomy to many schools at once (a cohort, the district) in three queries.

    Schools that already hold a live grant of the autonomy are left as they are. Trusted: callers
    have checked the actor's right to grant.
    """
    # A caller composes the reason from its own parts (a call's title and a decision note, each held to its
    # limit where it is typed), so the grant's reason is bounded by the sum: LONG_TEXT covers it.
    reason = required_text(reason, field="reason", message="Say why the autonomy is granted.", max_length=LONG_TEXT)
    retention_benchmarks = limited_text(retention_benchmarks, field="retention_benchmarks", max_length=NOTE_TEXT)
    if ends_on is not None and ends_on <= starts_on:
        raise ApplicationError(
            "A grant must end after it starts.", fields={"ends_on": ["Must be after the start date."]}
        )
    schools = list(schools)
    now = timezone.now()
    with transaction.atomic():
        holding = set(
            AutonomyGrant.objects.filter(autonomy=autonomy, school__in=schools, status__in=LIVE_STATUSES).values_list(
                "school_id", flat=True
            )
        )
        grants = AutonomyGrant.objects.bulk_create(
            AutonomyGrant(
                school=school,
                autonomy=autonomy,
                model=autonomy.model,
                status=GrantStatus.ACTIVE,
                starts_on=starts_on,
                ends_on=ends_on,
                granted_by=actor,
                reason=reason,
                evidence=evidence or {},
                retention_benchmarks=retention_benchmarks,
                request_item=request_item,
            )
            for school in schools
            if school.pk not in holding
        )
        GrantEvent.objects.bulk_create(
            GRANT_STEPS.created(grant, actor=actor, action="issue", reason=reason, evidence=evidence, at=now)
            for grant in grants
        )
        changes = [
            GrantChange(grant.pk, grant.school_id, autonomy.pk, "", grant.status, starts_on, reason, now)
            for grant in grants
        ]
        if changes:
            announce_on_commit(grants_changed, changes=changes)
    return grants


def grants_issue_to_scope(
    *,
    actor: AbstractBaseUser,
    autonomy: Autonomy,
    cohort: Cohort | None,
    reason: str,
    retention_benchmarks: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> "ScopeGrants":
    """Full autonomy with expectations, granted up front to a pilot cohort or the whole district.

    Schools that hold it already are left as they are. A school whose grant of it was revoked is never
    granted it again by a cohort action: it is named in `revoked`, to be reinstated one by one (the
    grant's own "reinstate" step), each with its reason.
    """
    decision = can_manage_autonomy(actor)
    if not decision:
        raise NotPermitted(decision.reason)
    if autonomy.model != AccountabilityModel.FULL:
        raise ApplicationError(
            f"{autonomy.name} is offered as {autonomy.get_model_display().lower()}, not granted up front.",
            fields={"autonomy": ["Choose an autonomy offered as full autonomy with expectations."]},
        )
    reason = required_text(reason, field="reason", message="Say why the autonomy is granted.", max_length=NOTE_TEXT)
    retention_benchmarks = required_text(
        retention_benchmarks,
        field="retention_benchmarks",
        message="Name the benchmarks a school must meet to keep it.",
        max_length=NOTE_TEXT,
    )
    schools = School.objects.filter(cohort=cohort) if cohort else School.objects.all()
    scope = f"the {cohort.name} cohort" if cohort else "every school in the district"
    in_scope = schools.count()
    grants = AutonomyGrant.objects.filter(autonomy=autonomy, school__in=schools)
    live = set(grants.filter(status__in=LIVE_STATUSES).values_list("school_id", flat=True))
    latest_revoked = {}
    for grant in grants.filter(status=GrantStatus.REVOKED).select_related("school").order_by("updated_at", "pk"):
        if grant.school_id not in live:
            latest_revoked[grant.school_id] = grant
    revoked = sorted(latest_revoked.values(), key=lambda grant: grant.school.code)
    created = grants_issue(
        schools=schools.exclude(pk__in=[grant.school_id for grant in revoked]).order_by("pk"),
        autonomy=autonomy,
        actor=actor,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        evidence={"scope": scope},
        retention_benchmarks=retention_benchmarks,
    )
    return ScopeGrants(created=created, already_held=in_scope - len(created) - len(revoked), revoked=revoked)


@dataclass(frozen=True)
class ScopeGrants:
    """What a grant to a cohort or the district did: granted, left as held, and left revoked (by school)."""

    created: list[AutonomyGrant]
    already_held: int
    revoked: list[AutonomyGrant]


GRANT_STEPS = Steps(GRANT_WORKFLOW, grant_acts_as, related=("school__liaison", "autonomy"))

# What the school is told of a grant's new status, in each reader's language (core.notifications).
GRANT_NOTICES = {
    GrantStatus.AT_RISK: gettext_noop("%(school)s: “%(autonomy)s” is at risk"),
    GrantStatus.SUSPENDED: gettext_noop("%(school)s: “%(autonomy)s” has been suspended"),
    GrantStatus.REVOKED: gettext_noop("%(school)s: “%(autonomy)s” has been revoked"),
    GrantStatus.ACTIVE: gettext_noop("%(school)s: “%(autonomy)s” has been restored"),
    GrantStatus.EXPIRED: gettext_noop("%(school)s: “%(autonomy)s” has ended with its term"),
}


def grant_change(
    *,
    actor: AbstractBaseUser | None,
    grant_id: int,
    action: str,
    reason: str,
    evidence: dict | None = None,
    expected_status: str | None = None,
    notify_school: bool = True,
    at_risk_until: datetime.date | None = None,
) -> AutonomyGrant:
    """Move a grant along its table (autonomy.workflows.GRANT_WORKFLOW), recording the event and telling the school.

    `actor` None is the nightly evaluation; a person takes the table's steps for the autonomy office,
    and a contract rule's steps only while carrying out that rule (raising a flag). `expected_status`
    is the status the person saw: if the grant changed since, they are told. `notify_school` False is
    for a caller whose own notice states the change (a flag's rung), so that one event sends one message.
    `at_risk_until` is the end of the cure period of a step to at risk; any other step clears it.
    """
    reason = required_text(reason, field="reason", message="Say why.", max_length=NOTE_TEXT)
    if evidence and isinstance(evidence.get("note"), str):
        evidence = {**evidence, "note": limited_text(evidence["note"], field="evidence_note", max_length=BRIEF_TEXT)}
    grant, _ = GRANT_STEPS.apply(
        pk=grant_id,
        actor=actor,
        action=action,
        reason=reason,
        evidence=evidence,
        expected_status=expected_status,
        change=lambda grant: _cure_period_set(grant, at_risk_until),
        notify=lambda grant, event: _grant_changed(grant=grant, event=event, notify_school=notify_school),
    )
    return grant


def _grant_changed(*, grant: AutonomyGrant, event: GrantEvent, notify_school: bool) -> None:
    """After a step: tell the school (unless the caller's own notice does) and the apps that follow grants."""
    _grants_changed([(grant, event)], notify_school=notify_school)


def _grants_changed(pairs: list[tuple[AutonomyGrant, GrantEvent]], *, notify_school: bool) -> None:
    if notify_school:
        _notify_grant_changes(pairs)
    changes = [
        GrantChange(
            grant.pk,
            grant.school_id,
            grant.autonomy_id,
            event.from_status,
            event.to_status,
            timezone.localdate(event.at),
            event.reason,
            event.at,
        )
        for grant, event in pairs
    ]
    announce_on_commit(grants_changed, changes=changes)


@dataclass(frozen=True)
class GrantStep:
    """One grant's step in a batch (grants_change)."""

    grant_id: int
    action: str
    reason: str
    evidence: dict | None = None
    at_risk_until: datetime.date | None = None


def grants_change(
    *, actor: AbstractBaseUser | None, steps: list[GrantStep], notify_school: bool = True
) -> list[tuple[AutonomyGrant, GrantEvent]]:
    """Many grants' steps at once, as grant_change takes one: the same table, checks, events and notices,
    and one announcement to the apps that follow grants, in a fixed number of queries whatever the number
    of grants (the nightly run's rungs, cures and ends of term). A grant named twice takes both steps, in
    order. Returns (grant, event) per step; the event's to_status is where that step left the grant."""
    moves = []
    for step in steps:
        reason = required_text(step.reason, field="reason", message="Say why.", max_length=NOTE_TEXT)
        moves.append(
            Move(step.grant_id, step.action, reason, step.evidence, values={"at_risk_until": step.at_risk_until})
        )
    return GRANT_STEPS.apply_many(
        moves=moves, actor=actor, notify=lambda pairs: _grants_changed(pairs, notify_school=notify_school)
    )


def _cure_period_set(grant: AutonomyGrant, until: datetime.date | None) -> list[str]:
    grant.at_risk_until = until
    return ["at_risk_until"]


def grants_expire_ended(*, as_of: datetime.date) -> list[AutonomyGrant]:
    """The end of the term, reached by the nightly run: every live grant whose last day (ends_on) is
    before the date expires, each through the table as the system's step, with its event and notice."""
    ended = AutonomyGrant.objects.filter(status__in=LIVE_STATUSES, ends_on__lt=as_of).order_by("pk")
    steps = [
        GrantStep(
            pk,
            "expire",
            f"The grant's term ended on {ends_on:%B %-d, %Y}.",
            {"ends_on": ends_on.isoformat(), "as_of": as_of.isoformat()},
        )
        for pk, ends_on in ended.values_list("pk", "ends_on")
    ]
    return [grant for grant, _event in grants_change(actor=None, steps=steps)]


def _notify_grant_changes(pairs: list[tuple[AutonomyGrant, GrantEvent]]) -> None:
    """Each step's notice to the school's principals and liaison, in each reader's language: one write for
    all the steps (core.notifications.notify_many)."""
    noticed = [(grant, event) for grant, event in pairs if event.to_status in GRANT_NOTICES]
    if not noticed:
        return
    principals = principals_of(school_ids=list({grant.school_id for grant, _event in noticed}))
    messages = []
    for grant, event in noticed:
        school = grant.school
        users = [*principals.get(school.pk, []), *([school.liaison] if school.liaison_id else [])]
        words = {"school": school.name, "autonomy": grant.autonomy.name}
        title = partial(_grant_notice_title, GRANT_NOTICES[event.to_status], words)
        url = reverse("autonomy:school_grants", args=[school.code])
        messages.append((users, f"grant:{grant.pk}:event:{event.pk}", title, event.reason, url))
    notify_many(messages)


def _grant_notice_title(notice: str, words: dict) -> str:
    return gettext(notice) % words
