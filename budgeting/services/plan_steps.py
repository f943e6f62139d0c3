"""The plan's workflow (budgeting.workflows.PLAN_WORKFLOW) through the transition kernel: the principal
submits (a balanced plan only; each submission kept as a version), finance returns it with a note or
approves it, and a released true-up sends back a plan that no longer fits its new allocation.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from budgeting.formula_words import money
from budgeting.models import AllocationSet, BudgetPlan, PlanEvent, PlanLine, PlanStatus, PlanVersion, PositionFunding
from budgeting.selectors_plans import plan_content, plan_figures, plan_lines, plan_positions
from budgeting.services.budget_metrics import plan_metrics_record
from budgeting.services.plan_rows import PLAN_STEPS
from core.errors import ApplicationError
from core.limits import NOTE_TEXT
from core.notifications import notify
from core.workflows import limited_text, required_text
from schools.models import ReviewFunction
from schools.selectors import principals_of, reviewers_for

TRUE_UP_DAYS = 14  # a plan sent back by a true-up is due again two weeks later


def _plan_url(plan: BudgetPlan) -> str:
    return reverse("budgeting:plan_detail", args=[plan.school.code])


def _tell_principal(plan: BudgetPlan, event: PlanEvent, title: str, body: str = "") -> None:
    """`title` is a message id (gettext_noop), written in each reader's language; `body` as written."""
    notify(
        users=principals_of(school_ids=[plan.school_id]).get(plan.school_id, []),
        key=f"plan:{plan.pk}:event:{event.pk}",
        title=lambda: gettext(title),
        body=body,
        url=_plan_url(plan),
    )


def plan_balance_check(plan: BudgetPlan, figures) -> None:
    """A plan may not spend more formula money than its allocation, nor more of a restricted source than
    the district set: refused with both figures."""
    if figures.formula_total > figures.allocation:
        over = figures.formula_total - figures.allocation
        message = _(
            "The plan spends %(spent)s of formula money but the allocation is %(allocation)s: take out %(over)s."
        ) % {"spent": money(figures.formula_total), "allocation": money(figures.allocation), "over": money(over)}
        raise ApplicationError(message, fields={"balance": [message]})
    for source, planned, limit in figures.by_source:
        if limit is not None and planned > limit:
            message = _("The plan spends %(planned)s of %(source)s; the district set %(limit)s.") % {
                "planned": money(planned),
                "source": source.name,
                "limit": money(limit),
            }
            raise ApplicationError(message, fields={"balance": [message]})


def plan_submit(*, actor: AbstractBaseUser, plan_id: int, expected_status: str | None = None) -> BudgetPlan:
    """The principal submits a balanced plan; what it holds is kept as the next version."""
    with transaction.atomic():
        plan = PLAN_STEPS.lock(plan_id)
        PLAN_STEPS.check(plan, actor=actor, action="submit", expected_status=expected_status)
        positions, lines = plan_positions(plan), plan_lines(plan)
        figures = plan_figures(plan, positions=positions, lines=lines)
        plan_balance_check(plan, figures)
        content = plan_content(plan, positions=positions, lines=lines)
        number = plan.versions.count() + 1
        plan.submitted_at = timezone.now()
        PlanVersion.objects.create(
            plan=plan,
            number=number,
            submitted_at=plan.submitted_at,
            submitted_by=actor,
            content=content,
            total=Decimal(content["total"]),
        )
        event = PLAN_STEPS.take(
            plan,
            actor=actor,
            action="submit",
            reason=f"Version {number}: {money(figures.formula_total)} of a {money(figures.allocation)} allocation.",
            evidence={"version": number, "total": content["total"], "allocation": f"{figures.allocation:.2f}"},
            fields=["submitted_at"],
        )
        _figures_record(plan, figures, first_submission=number == 1)
        notify(
            users=reviewers_for(functions=[ReviewFunction.FINANCE]),
            key=f"plan:{plan.pk}:event:{event.pk}",
            title=f"{plan.school.name}'s budget plan for {plan.school_year.label} is ready for review",
            url=reverse("budgeting:plan_version", args=[plan.pk, number]),
        )
    return plan


def plan_return(*, actor: AbstractBaseUser, plan_id: int, note: str, expected_status: str | None = None) -> BudgetPlan:
    """Finance sends the plan back with a note the principal reads."""
    note = required_text(note, field="note", message="Say what the school should change.", max_length=NOTE_TEXT)
    with transaction.atomic():
        plan = PLAN_STEPS.lock(plan_id)
        event = PLAN_STEPS.take(plan, actor=actor, action="return", reason=note, expected_status=expected_status)
        _tell_principal(plan, event, gettext_noop("Your budget plan was returned for changes"), note)
    return plan


def plan_approve(
    *, actor: AbstractBaseUser, plan_id: int, note: str = "", expected_status: str | None = None
) -> BudgetPlan:
    note = limited_text(note, field="note", max_length=NOTE_TEXT)
    with transaction.atomic():
        plan = PLAN_STEPS.lock(plan_id)
        event = PLAN_STEPS.take(
            plan, actor=actor, action="approve", reason=note or "Approved.", expected_status=expected_status
        )
        _figures_record(plan, plan_figures(plan), first_submission=False)
        _tell_principal(plan, event, gettext_noop("Your budget plan was approved"), note)
    return plan


def _figures_record(plan: BudgetPlan, figures, *, first_submission: bool) -> None:
    """What the plan tells accountability (budgeting.services.budget_metrics): the share of its spending on
    rows the school decides (not locked by a grant it lacks, a mandate or a restricted source) and, at the
    first submission, how many days after its due date it came."""
    discretionary = sum(
        (row.cost if hasattr(row, "cost") else row.amount)
        for group in figures.groups
        for row, lock in (*group.positions, *group.lines)
        if not lock.locked
    )
    days_late = None
    if first_submission and plan.due_on is not None:
        days_late = (timezone.localdate(plan.submitted_at) - plan.due_on).days
    plan_metrics_record(plan=plan, discretionary=Decimal(discretionary), total=figures.total, days_late=days_late)


# --- true-ups ----------------------------------------------------------------------------------------


def _formula_totals(plan_ids: list[int]) -> dict[int, Decimal]:
    """Each plan's formula-money total in two queries (lines, and positions' funding)."""
    totals: dict[int, Decimal] = dict.fromkeys(plan_ids, Decimal("0.00"))
    lines = (
        PlanLine.objects.filter(plan_id__in=plan_ids, source__restricted=False)
        .values("plan_id")
        .annotate(total=Sum("amount"))
    )
    funding = (
        PositionFunding.objects.filter(position__plan_id__in=plan_ids, source__restricted=False)
        .values("position__plan_id")
        .annotate(total=Sum("amount"))
    )
    for row in lines:
        totals[row["plan_id"]] += row["total"]
    for row in funding:
        totals[row["position__plan_id"]] += row["total"]
    return totals


def plans_true_up(*, allocation_set: AllocationSet, today: datetime.date | None = None) -> dict[str, int]:
    """After a true-up is released: every plan of the year moves onto its school's new allocation. A
    submitted or approved plan that no longer fits (formula money above the new final amount) is returned
    with a due date two weeks out; the others record the move and, if over, are told so. Idempotent: a
    plan already on this set's allocation is left alone."""
    today = today or timezone.localdate()
    allocations = {a.school_id: a for a in allocation_set.allocations.all()}
    plans = list(
        BudgetPlan.objects.filter(
            school_id__in=allocations, school_year_id=allocation_set.formula.school_year_id
        ).exclude(allocation__allocation_set=allocation_set)
    )
    totals = _formula_totals([plan.pk for plan in plans])
    counts = {"returned": 0, "moved": 0}
    for plan in plans:
        new = allocations[plan.school_id]
        fits = totals[plan.pk] <= new.final_amount
        if not fits and plan.status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
            _true_up_return(plan, new, totals[plan.pk], today + datetime.timedelta(days=TRUE_UP_DAYS))
            counts["returned"] += 1
        else:
            _true_up_move(plan, new, totals[plan.pk], fits)
            counts["moved"] += 1
    return counts


def _figures_said(old: Decimal, new: Decimal, planned: Decimal) -> str:
    return (
        f"The allocation changed from {money(old)} to {money(new)} after the true-up; "
        f"the plan spends {money(planned)} of formula money."
    )


def _true_up_return(plan: BudgetPlan, allocation, planned: Decimal, due_on: datetime.date) -> None:
    with transaction.atomic():
        locked = PLAN_STEPS.lock(plan.pk)
        said = _figures_said(locked.allocation.final_amount, allocation.final_amount, planned)
        reason = f"{said} Revise it by {due_on:%B %-d, %Y}."
        locked.allocation, locked.due_on = allocation, due_on
        event = PLAN_STEPS.take(
            locked,
            actor=None,
            action="true_up_return",
            reason=reason,
            evidence={"allocation": allocation.pk, "planned": f"{planned:.2f}", "due_on": due_on.isoformat()},
            fields=["allocation", "due_on"],
        )
        _tell_principal(
            locked, event, gettext_noop("Your budget plan no longer fits its allocation: please revise it"), reason
        )


def _true_up_move(plan: BudgetPlan, allocation, planned: Decimal, fits: bool) -> None:
    with transaction.atomic():
        locked = PLAN_STEPS.lock(plan.pk)
        said = _figures_said(locked.allocation.final_amount, allocation.final_amount, planned)
        reason = f"{said} It still fits." if fits else f"{said} Bring it within the allocation before submitting."
        locked.allocation = allocation
        locked.save(update_fields=["allocation", "updated_at"])
        event = PlanEvent.objects.create(
            plan=locked,
            actor=None,
            at=timezone.now(),
            action="allocation_changed",
            from_status=locked.status,
            to_status=locked.status,
            reason=reason,
            evidence={"allocation": allocation.pk, "planned": f"{planned:.2f}", "fits": fits},
        )
        _tell_principal(locked, event, gettext_noop("Your budget plan's allocation changed after a true-up"), reason)
