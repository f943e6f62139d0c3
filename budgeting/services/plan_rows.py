"""A school's budget plan: positions and lines added, changed and removed by the principal while the plan
is open and the row's category is the school's to decide (starting a plan: budgeting.services.plan_seed).

Every write locks the plan row (select_for_update), asks the policy (budgeting.policies.can_edit_plan) and
the locks (budgeting.selectors_plans.plan_locks, derived from grants) under that lock, so the form and the
API are refused alike, naming the field.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from budgeting.models import (
    BudgetCategory,
    BudgetPlan,
    FundingSource,
    JobType,
    PlanLine,
    Position,
    PositionFunding,
)
from budgeting.policies import can_edit_plan, plan_acts_as, plans_visible_to
from budgeting.selectors_plans import Lock, plan_locks, row_lock
from budgeting.workflows import PLAN_WORKFLOW
from core.errors import ApplicationError, NotFound
from core.limits import SHORT_TEXT
from core.policies import require
from core.workflows import Steps

CENT = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")
MAX_AMOUNT = Decimal("999999999999.99")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


PLAN_STEPS = Steps(PLAN_WORKFLOW, plan_acts_as, related=("school", "school_year", "allocation"))


def formula_source() -> FundingSource:
    """The unrestricted source the allocation pays for (`formula` when there are several)."""
    sources = list(FundingSource.objects.filter(restricted=False).order_by("code"))
    if not sources:
        raise ApplicationError("The district has no unrestricted funding source.", fields={"source": ["None yet."]})
    return next((s for s in sources if s.code == "formula"), sources[0])


# --- checks ------------------------------------------------------------------------------------------


def _plan_open(actor, plan_id) -> tuple[BudgetPlan, dict[int, Lock]]:
    """Lock the plan, check the principal may change it now, and read its locks. Call inside a transaction."""
    if not plans_visible_to(actor).filter(pk=plan_id).exists():
        raise NotFound("No such budget plan.")  # another school's plan is not named, let alone changed
    plan = PLAN_STEPS.lock(plan_id)
    require(can_edit_plan(actor, plan))
    return plan, plan_locks(plan)


def _refuse_locked(lock: Lock, *, field: str) -> None:
    if lock.locked:
        message = _("%(reason)s The school cannot change it.") % {"reason": lock.reason}
        raise ApplicationError(message, fields={field: [lock.reason]})


def _money(value, *, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        message = _("Enter %(label)s as an amount.") % {"label": label}
        raise ApplicationError(message, fields={field: [_("Enter an amount.")]}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(CENT):
        raise ApplicationError(
            _("Enter %(label)s in dollars and cents, not negative.") % {"label": label},
            fields={field: [_("Enter an amount to the cent.")]},
        )
    return amount


def _text(value: str | None, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(_("Describe the line."), fields={field: [_("This field is required.")]})
    if len(value) > SHORT_TEXT:
        raise ApplicationError(
            f"The text in {field} is too long.", fields={field: [f"At most {SHORT_TEXT} characters."]}
        )
    return value


def _restricted(source: FundingSource, *, field: str) -> None:
    if source.restricted:
        raise ApplicationError(
            _("%(source)s is restricted money the district sets; the school cannot plan with it.")
            % {"source": source.name},
            fields={field: [_("%(source)s is set by the district.") % {"source": source.name}]},
        )


# --- positions ---------------------------------------------------------------------------------------


def position_cost(*, job_type: JobType, fte: Decimal, actual_salary: Decimal | None) -> Decimal:
    """FTE × salary (the district average, or the actual one where the job type allows it), to the cent."""
    return cents(fte * (actual_salary if actual_salary is not None else job_type.average_salary))


def funding_split(
    *, cost: Decimal, funding: list[tuple[FundingSource, Decimal]]
) -> list[tuple[FundingSource, Decimal, Decimal]]:
    """Each source's share of the cost, to the cent; the last takes the cents that rounding left, so the
    amounts add up to the cost exactly. Shares must add to exactly 1."""
    if not funding:
        raise ApplicationError(_("Say which source pays for the position."), fields={"funding": [_("Add a source.")]})
    if len({source.pk for source, _ in funding}) != len(funding):
        raise ApplicationError(_("Name each source once."), fields={"funding": [_("A source is named twice.")]})
    for source, share in funding:
        if not (Decimal(0) < share <= 1) or share != share.quantize(SHARE_PLACES):
            raise ApplicationError(
                _("The share from %(source)s must be more than 0 and at most 1 (four decimal places).")
                % {"source": source.name},
                fields={
                    "funding": [
                        _("%(source)s: share %(share)s is out of range.") % {"source": source.name, "share": share}
                    ]
                },
            )
    total = sum((share for _, share in funding), Decimal(0))
    if total != 1:
        raise ApplicationError(
            _("The shares add up to %(total)s; they must add up to 1 exactly.") % {"total": f"{total.normalize():f}"},
            fields={"funding": [_("The shares add up to %(total)s, not 1.") % {"total": f"{total.normalize():f}"}]},
        )
    rows = [(source, share, cents(cost * share)) for source, share in funding[:-1]]
    last_source, last_share = funding[-1]
    rows.append((last_source, last_share, cost - sum((amount for _, _, amount in rows), Decimal(0))))
    return rows


def _position_values(locks, *, job_type, fte, actual_salary, title, funding) -> tuple[dict, list]:
    """The position's checked fields (job type, FTE, salary, title, cost) and its funding split, for adding
    and changing alike; the job type's category must be the school's to decide."""
    _refuse_locked(locks[job_type.category_id], field="job_type")
    try:
        fte = Decimal(str(fte))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("Enter the FTE as a number."), fields={"fte": [_("Enter a number.")]}) from None
    if not fte.is_finite() or not (Decimal(0) < fte <= 1) or fte != fte.quantize(CENT):
        raise ApplicationError(
            _("The FTE must be more than 0 and at most 1 (as 0.5)."), fields={"fte": [_("More than 0, at most 1.")]}
        )
    if actual_salary not in (None, ""):
        if not job_type.actual_salary_allowed:
            raise ApplicationError(
                _("%(job)s positions are costed at the district average salary.") % {"job": job_type.name},
                fields={"actual_salary": [_("The district costs this job at its average salary.")]},
            )
        actual_salary = _money(actual_salary, field="actual_salary", label=_("the actual salary"))
        if actual_salary == 0:
            raise ApplicationError(_("Enter the actual salary."), fields={"actual_salary": [_("More than 0.")]})
    else:
        actual_salary = None
    title = (title or "").strip()
    if len(title) > SHORT_TEXT:
        raise ApplicationError("The title is too long.", fields={"title": [f"At most {SHORT_TEXT} characters."]})
    for source, _share in funding:
        _restricted(source, field="funding")
    cost = position_cost(job_type=job_type, fte=fte, actual_salary=actual_salary)
    fields = {"job_type": job_type, "fte": fte, "actual_salary": actual_salary, "title": title, "cost": cost}
    return fields, funding_split(cost=cost, funding=funding)


def _position_write(position: Position, split) -> None:
    position.save()
    position.funding.all().delete()
    PositionFunding.objects.bulk_create(
        [PositionFunding(position=position, source=s, share=share, amount=amount) for s, share, amount in split]
    )


def position_add(
    *,
    actor: AbstractBaseUser,
    plan_id: int,
    job_type: JobType,
    fte,
    funding: list[tuple[FundingSource, Decimal]],
    title: str = "",
    actual_salary=None,
) -> Position:
    with transaction.atomic():
        plan, locks = _plan_open(actor, plan_id)
        fields, split = _position_values(
            locks, job_type=job_type, fte=fte, actual_salary=actual_salary, title=title, funding=funding
        )
        position = Position(plan=plan, **fields)
        _position_write(position, split)
    return position


def _position_locked(actor, position_id) -> tuple[Position, dict[int, Lock]]:
    position = Position.objects.select_related("job_type").filter(pk=position_id).first()
    if position is None:
        raise NotFound("No such position.")
    plan, locks = _plan_open(actor, position.plan_id)
    restricted = position.funding.filter(source__restricted=True).select_related("source").first()
    lock = row_lock(
        mandated=position.mandated,
        restricted_source=restricted.source if restricted else None,
        category_lock=locks[position.job_type.category_id],
    )
    _refuse_locked(lock, field="position")
    return position, locks


def position_change(
    *,
    actor: AbstractBaseUser,
    position_id: int,
    job_type: JobType,
    fte,
    funding: list[tuple[FundingSource, Decimal]],
    title: str = "",
    actual_salary=None,
) -> Position:
    with transaction.atomic():
        position, locks = _position_locked(actor, position_id)
        fields, split = _position_values(
            locks, job_type=job_type, fte=fte, actual_salary=actual_salary, title=title, funding=funding
        )
        for name, value in fields.items():
            setattr(position, name, value)
        _position_write(position, split)
    return position


def position_remove(*, actor: AbstractBaseUser, position_id: int) -> None:
    with transaction.atomic():
        position, _locks = _position_locked(actor, position_id)
        position.delete()


# --- lines -------------------------------------------------------------------------------------------


def _line_values(locks, *, category: BudgetCategory, source: FundingSource, description, amount):
    _refuse_locked(locks[category.pk], field="category")
    _restricted(source, field="source")
    return _text(description, field="description"), _money(amount, field="amount", label=_("the amount"))


def line_add(
    *, actor: AbstractBaseUser, plan_id: int, category: BudgetCategory, source: FundingSource, description: str, amount
) -> PlanLine:
    with transaction.atomic():
        plan, locks = _plan_open(actor, plan_id)
        description, amount = _line_values(
            locks, category=category, source=source, description=description, amount=amount
        )
        return PlanLine.objects.create(
            plan=plan, category=category, source=source, description=description, amount=amount
        )


def _line_locked(actor, line_id) -> tuple[PlanLine, dict[int, Lock]]:
    line = PlanLine.objects.select_related("source").filter(pk=line_id).first()
    if line is None:
        raise NotFound("No such line.")
    _, locks = _plan_open(actor, line.plan_id)
    lock = row_lock(
        mandated=line.mandated,
        restricted_source=line.source if line.source.restricted else None,
        category_lock=locks[line.category_id],
    )
    _refuse_locked(lock, field="line")
    return line, locks


def line_change(
    *, actor: AbstractBaseUser, line_id: int, category: BudgetCategory, source: FundingSource, description: str, amount
) -> PlanLine:
    with transaction.atomic():
        line, locks = _line_locked(actor, line_id)
        description, amount = _line_values(
            locks, category=category, source=source, description=description, amount=amount
        )
        line.category, line.source, line.description, line.amount = category, source, description, amount
        line.save()
    return line


def line_remove(*, actor: AbstractBaseUser, line_id: int) -> None:
    with transaction.atomic():
        line, _locks = _line_locked(actor, line_id)
        line.delete()
