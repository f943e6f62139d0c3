"""Budget categories relock and unlock as the school's Money grants change (core.hooks.grants_changed,
heard by budgeting.receivers). Locks themselves are derived from grants (budgeting.selectors_plans.
plan_locks); what this writes is the record on the plan and the word to the principal, so that a lock the
page shows is also a lock the principal was told about, on the date it took effect.
"""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from autonomy.models import HELD_STATUSES, Autonomy, GrantStatus
from budgeting.models import BudgetCategory, BudgetPlan, PlanEvent
from core.hooks import GrantChange
from core.notifications import notify
from schools.selectors import principals_of

# How the grant's new status reads in the message to the principal.
LOST_WORDS = {
    GrantStatus.REVOKED: "the district revoked",
    GrantStatus.SUSPENDED: "the district suspended",
    GrantStatus.EXPIRED: "the term ended for",
}
GAINED_WORDS = {"": "the district granted", GrantStatus.ACTIVE: "the district restored"}


def _held(change: GrantChange, status: str) -> bool:
    return status in HELD_STATUSES and change.on <= timezone.localdate()


def _names(categories: list[BudgetCategory]) -> str:
    names = [c.name for c in categories]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def plan_locks_follow_grants(*, changes: Iterable[GrantChange]) -> list[PlanEvent]:
    """For each grant change that moves a Money autonomy in or out of a held status, one event on the
    school's current plan (the latest year's) and one notice to its principal. A change that keeps the
    school holding (active → at risk) or not holding (suspended → revoked) changes no lock and writes
    nothing; a grant issued to start later is not held yet and writes nothing either."""
    changes = [c for c in changes if (c.from_status in HELD_STATUSES) != _held(c, c.to_status)]
    if not changes:
        return []
    autonomies = {a.pk: a for a in Autonomy.objects.filter(pk__in={c.autonomy_id for c in changes}, domain="money")}
    changes = [c for c in changes if c.autonomy_id in autonomies]
    categories: dict[int, list[BudgetCategory]] = {}
    for category in BudgetCategory.objects.filter(autonomy_id__in=autonomies):
        categories.setdefault(category.autonomy_id, []).append(category)
    plans: dict[int, BudgetPlan] = {}
    for plan in (
        BudgetPlan.objects.filter(school_id__in={c.school_id for c in changes})
        .select_related("school", "school_year")
        .order_by("school_year__start_date")
    ):
        plans[plan.school_id] = plan  # the latest year's plan wins
    principals = principals_of(school_ids=list(plans))
    events = []
    with transaction.atomic():
        for change in changes:
            plan, covered = plans.get(change.school_id), categories.get(change.autonomy_id)
            if plan is None or not covered or (change.at is not None and plan.created_at > change.at):
                continue  # a plan started after the change was started with its locks as they now are
            event = _record(plan, covered, autonomies[change.autonomy_id], change)
            notify(
                users=principals.get(plan.school_id, []),
                key=f"plan:{plan.pk}:event:{event.pk}",
                title=event.reason.split(":", 1)[0],
                body=event.reason,
                url=reverse("budgeting:plan_detail", args=[plan.school.code]),
            )
            events.append(event)
    return events


def _record(plan: BudgetPlan, covered: list[BudgetCategory], autonomy: Autonomy, change: GrantChange) -> PlanEvent:
    locked = not _held(change, change.to_status)
    words = (LOST_WORDS if locked else GAINED_WORDS).get(change.to_status if locked else change.from_status)
    words = words or ("the district withdrew" if locked else "the district granted")
    state = "locked" if locked else "open to the school's decisions"
    grant_reason = change.reason.strip().rstrip(".")
    reason = (
        f"Your budget's {_names(covered)} lines are {state} from {change.on:%B %-d, %Y}: "
        f"{words} '{autonomy.name}'" + (f" — {grant_reason}." if grant_reason else ".")
    )
    return PlanEvent.objects.create(
        plan=plan,
        actor=None,
        at=timezone.now(),
        action="categories_locked" if locked else "categories_unlocked",
        from_status=plan.status,
        to_status=plan.status,
        reason=reason,
        evidence={
            "categories": [c.name for c in covered],
            "autonomy": autonomy.code,
            "autonomy_name": autonomy.name,
            "grant": change.grant_id,
            "grant_status": change.to_status,
            "grant_reason": change.reason,
            "on": change.on.isoformat(),
        },
    )
