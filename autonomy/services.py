"""Every write to the grants ledger. A grant changes only here, always with who, when, why and evidence."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from autonomy.models import LIVE_STATUSES, Autonomy, AutonomyGrant, GrantEvent, GrantStatus
from core.errors import ApplicationError
from schools.models import School


def grants_issue(
    *,
    schools: Iterable[School],
    autonomy: Autonomy,
    actor: AbstractBaseUser | None,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    evidence: dict | None = None,
) -> list[AutonomyGrant]:
    """Grant one autonomy to many schools at once (a cohort, the district) in three queries.

    Schools that already hold a live grant of the autonomy are left as they are.
    """
    if not reason.strip():
        raise ApplicationError(
            "Say why the autonomy is granted.", fields={"reason": ["This field is required."]}
        )
    if ends_on is not None and ends_on <= starts_on:
        raise ApplicationError(
            "A grant must end after it starts.", fields={"ends_on": ["Must be after the start date."]}
        )
    schools = list(schools)
    now = timezone.now()
    with transaction.atomic():
        holding = set(
            AutonomyGrant.objects.filter(
                autonomy=autonomy, school__in=schools, status__in=LIVE_STATUSES
            ).values_list("school_id", flat=True)
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
