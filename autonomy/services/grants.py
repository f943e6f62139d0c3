"""Every write to the grants ledger. A grant changes only here, always with who, when, why and evidence."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from autonomy.models import (
    LIVE_STATUSES,
    AccountabilityModel,
    Autonomy,
    AutonomyGrant,
    GrantEvent,
    GrantStatus,
)
from autonomy.policies import can_manage_autonomy
from autonomy.workflows import SYSTEM, grant_transition
from core.errors import ApplicationError, Conflict, NotPermitted
from core.notifications import notify
from schools.models import Cohort, School
from schools.selectors import principals_of


def _required(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ApplicationError(message, fields={field: ["This field is required."]})
    return value.strip()


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
    reason = _required(reason, "reason", "Say why the autonomy is granted.")
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
            GrantEvent(
                grant=grant,
                actor=actor,
                at=now,
                from_status="",
                to_status=GrantStatus.ACTIVE,
                reason=reason,
                evidence=evidence or {},
            )
            for grant in grants
        )
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
) -> list[AutonomyGrant]:
    """Full autonomy with expectations, granted up front to a pilot cohort or the whole district."""
    decision = can_manage_autonomy(actor)
    if not decision:
        raise NotPermitted(decision.reason)
    if autonomy.model != AccountabilityModel.FULL:
        raise ApplicationError(
            f"{autonomy.name} is offered as {autonomy.get_model_display().lower()}, not granted up front.",
            fields={"autonomy": ["Choose an autonomy offered as full autonomy with expectations."]},
        )
    retention_benchmarks = _required(
        retention_benchmarks, "retention_benchmarks", "Name the benchmarks a school must meet to keep it."
    )
    schools = School.objects.filter(cohort=cohort) if cohort else School.objects.all()
    scope = f"the {cohort.name} cohort" if cohort else "every school in the district"
    return grants_issue(
        schools=schools.order_by("pk"),
        autonomy=autonomy,
        actor=actor,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        evidence={"scope": scope},
        retention_benchmarks=retention_benchmarks,
    )


GRANT_NOTICES = {
    GrantStatus.AT_RISK: "is at risk",
    GrantStatus.SUSPENDED: "has been suspended",
    GrantStatus.REVOKED: "has been revoked",
    GrantStatus.ACTIVE: "has been restored",
}


def grant_change(
    *,
    actor: AbstractBaseUser | None,
    grant_id: int,
    action: str,
    reason: str,
    evidence: dict | None = None,
    expected_status: str | None = None,
) -> AutonomyGrant:
    """Move a grant along its table (GRANT_TRANSITIONS), recording the event and notifying the school.

    `actor` None means the nightly evaluation acting on a contract rule; a person must be an admin.
    `expected_status` is the status the person saw: if the grant changed since, they are told.
    """
    reason = _required(reason, "reason", "Say why.")
    with transaction.atomic():
        grant = AutonomyGrant.objects.select_for_update().select_related("school", "autonomy").get(pk=grant_id)
        if expected_status and grant.status != expected_status:
            raise Conflict(f"Somebody else changed this grant first: it is now {grant.get_status_display().lower()}.")
        transition = grant_transition(grant.status, action)
        if transition is None:
            raise ApplicationError(
                f"A grant that is {grant.get_status_display().lower()} cannot be changed that way.",
                fields={"action": ["Choose one of the steps open from the grant's current status."]},
            )
        if actor is None:
            if transition.who != SYSTEM:
                raise NotPermitted("A person from the autonomy office must do this.")
        elif not (decision := can_manage_autonomy(actor)):
            raise NotPermitted(decision.reason)
        previous = grant.status
        grant.status = transition.to
        grant.save(update_fields=["status", "updated_at"])
        GrantEvent.objects.create(
            grant=grant,
            actor=actor,
            at=timezone.now(),
            from_status=previous,
            to_status=grant.status,
            reason=reason,
            evidence=evidence or {},
        )
        _notify_grant_change(grant=grant, reason=reason)
    return grant


def _notify_grant_change(*, grant: AutonomyGrant, reason: str) -> None:
    notice = GRANT_NOTICES.get(grant.status)
    if notice is None:
        return
    school = grant.school
    users = principals_of(school_ids=[school.pk]).get(school.pk, [])
    if school.liaison_id:
        users.append(school.liaison)
    notify(
        users=users,
        key=f"grant:{grant.pk}:{grant.status}:{grant.events.count()}",
        title=f"{school.name}: “{grant.autonomy.name}” {notice}",
        body=reason,
        url=reverse("school_grants", args=[school.code]),
    )
