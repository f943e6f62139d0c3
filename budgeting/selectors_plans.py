"""Reads of school budget plans: locks derived from grants, the plan page's figures, versions and their diff,
and finance's queue.

Locks are never stored: `plan_locks` derives them from the school's Money grants each time it is asked,
so the page, the API and the services that refuse a change all answer from the same grants.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from autonomy.models import AutonomyGrant
from budgeting.models import (
    BudgetCategory,
    BudgetPlan,
    FundingSource,
    PlanLine,
    PlanStatus,
    PlanVersion,
    Position,
    PositionFunding,
    SchoolAllocation,
)
from budgeting.policies import plans_visible_to
from core.errors import NotFound
from schools.models import School, SchoolYear

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Lock:
    locked: bool
    reason: str


def plan_locks(plan: BudgetPlan, *, day=None) -> dict[int, Lock]:
    """Each category's lock for the plan's school, from the grants it holds today: two queries.

    A category is discretionary while the school holds (a held status, the grant started) the Money autonomy
    the category names; a category that names none is always the district's.
    """
    categories = list(BudgetCategory.objects.select_related("autonomy"))
    held = set(
        AutonomyGrant.objects.held_on(day or timezone.localdate())
        .filter(school_id=plan.school_id, autonomy_id__in=[c.autonomy_id for c in categories if c.autonomy_id])
        .values_list("autonomy_id", flat=True)
    )
    return {category.pk: category_lock(category, held) for category in categories}


def category_lock(category: BudgetCategory, held: set[int]) -> Lock:
    if category.autonomy_id is None:
        return Lock(True, _("Locked: the district sets this category."))
    if category.autonomy_id in held:
        return Lock(False, _("Discretionary: the school holds '%(autonomy)s'.") % {"autonomy": category.autonomy.name})
    return Lock(True, _("Locked: the school does not hold '%(autonomy)s'.") % {"autonomy": category.autonomy.name})


def row_lock(*, mandated: bool, restricted_source: FundingSource | None, category_lock: Lock) -> Lock:
    """A row's lock: mandated rows and rows paid from a restricted source are the district's whatever the
    grants say; any other row follows its category."""
    if restricted_source is not None:
        return Lock(
            True, _("Locked: %(source)s is restricted money the district sets.") % {"source": restricted_source.name}
        )
    if mandated:
        return Lock(True, _("Locked: mandated by the district."))
    return category_lock


def allocation_current_for(*, school: School, school_year: SchoolYear) -> SchoolAllocation | None:
    """The allocation a plan is built against: the latest released for the school and year (the initial
    set until a true-up is released)."""
    return (
        SchoolAllocation.objects.filter(
            school=school,
            allocation_set__formula__school_year=school_year,
            allocation_set__released_on__isnull=False,
        )
        .select_related("allocation_set")
        .order_by("-allocation_set__released_on", "-allocation_set__computed_at", "-pk")
        .first()
    )


def allocation_latest_released(*, school: School) -> SchoolAllocation | None:
    """The school's latest released allocation of any year: what a plan not yet started would be built on."""
    return (
        SchoolAllocation.objects.filter(school=school, allocation_set__released_on__isnull=False)
        .select_related("allocation_set__formula__school_year")
        .order_by("-allocation_set__formula__school_year__start_date", "-allocation_set__released_on", "-pk")
        .first()
    )


def plan_events(plan: BudgetPlan) -> list:
    return list(plan.events.select_related("actor").order_by("at", "pk"))


def plan_for_school(*, user: AbstractBaseUser, school: School) -> BudgetPlan | None:
    """The school's latest plan (by school year) the user may see, with what the page reads of it."""
    return (
        plans_visible_to(user)
        .filter(school=school)
        .select_related("school", "school_year", "allocation__allocation_set")
        .order_by("-school_year__start_date")
        .first()
    )


def plan_get_for_user(*, user: AbstractBaseUser, pk) -> BudgetPlan:
    try:
        return plans_visible_to(user).select_related("school", "school_year", "allocation__allocation_set").get(pk=pk)
    except (BudgetPlan.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such budget plan.") from None


def plan_positions(plan: BudgetPlan) -> list[Position]:
    funding = PositionFunding.objects.select_related("source").order_by("source__restricted", "source__code")
    return list(
        plan.positions.select_related("job_type__category").prefetch_related(Prefetch("funding", queryset=funding))
    )


def plan_lines(plan: BudgetPlan) -> list[PlanLine]:
    return list(plan.lines.select_related("category", "source"))


@dataclass
class CategoryGroup:
    category: BudgetCategory
    lock: Lock
    positions: list = field(default_factory=list)  # (position, lock)
    lines: list = field(default_factory=list)  # (line, lock)
    total: Decimal = ZERO


@dataclass
class PlanFigures:
    allocation: Decimal
    formula_total: Decimal
    remaining: Decimal
    total: Decimal
    by_source: list  # (source, planned, district_set or None)
    groups: list[CategoryGroup]

    @property
    def over(self) -> Decimal:
        return max(self.formula_total - self.allocation, ZERO)

    @property
    def balanced(self) -> bool:
        return self.formula_total <= self.allocation and all(
            limit is None or planned <= limit for _, planned, limit in self.by_source
        )


def plan_figures(plan: BudgetPlan, *, positions=None, lines=None, locks=None) -> PlanFigures:
    """Allocation against plan by source and category, each row with its lock. Seven queries whatever
    the number of rows (categories, grants, sources, positions, funding, lines)."""
    positions = plan_positions(plan) if positions is None else positions
    lines = plan_lines(plan) if lines is None else lines
    locks = plan_locks(plan) if locks is None else locks
    categories = list(BudgetCategory.objects.select_related("autonomy"))
    groups = {c.pk: CategoryGroup(c, locks.get(c.pk, Lock(True, "Locked."))) for c in categories}
    by_source: dict[int, Decimal] = defaultdict(lambda: ZERO)
    district_set: dict[int, Decimal] = defaultdict(lambda: ZERO)
    sources = {s.pk: s for s in FundingSource.objects.all()}
    for position in positions:
        group = groups[position.job_type.category_id]
        restricted = next((f.source for f in position.funding.all() if f.source.restricted), None)
        group.positions.append(
            (position, row_lock(mandated=position.mandated, restricted_source=restricted, category_lock=group.lock))
        )
        group.total += position.cost
        for funding in position.funding.all():
            by_source[funding.source_id] += funding.amount
    for line in lines:
        group = groups[line.category_id]
        restricted = line.source if line.source.restricted else None
        group.lines.append(
            (line, row_lock(mandated=line.mandated, restricted_source=restricted, category_lock=group.lock))
        )
        group.total += line.amount
        by_source[line.source_id] += line.amount
        if line.source.restricted and line.mandated:
            district_set[line.source_id] += line.amount
    formula_total = sum((amount for pk, amount in by_source.items() if not sources[pk].restricted), ZERO)
    allocation = plan.allocation.final_amount
    rows = [
        (source, by_source.get(pk, ZERO), district_set.get(pk, ZERO) if source.restricted else None)
        for pk, source in sources.items()
        if pk in by_source or not source.restricted
    ]
    return PlanFigures(
        allocation=allocation,
        formula_total=formula_total,
        remaining=allocation - formula_total,
        total=sum(by_source.values(), ZERO),
        by_source=rows,
        groups=list(groups.values()),
    )


def plan_content(plan: BudgetPlan, *, positions=None, lines=None) -> dict:
    """What a version keeps: every position and line as plain data, keyed so that two versions compare
    row by row (money as strings to the cent)."""
    positions = plan_positions(plan) if positions is None else positions
    lines = plan_lines(plan) if lines is None else lines
    rows = [
        {
            "key": f"position:{p.pk}",
            "kind": "position",
            "label": f"{p.title or p.job_type.name} ({p.fte.normalize():f} FTE)",
            "category": p.job_type.category.name,
            "amount": f"{p.cost:.2f}",
            "detail": ", ".join(f"{f.source.name} {f.share * 100:.2f}% = {f.amount:.2f}" for f in p.funding.all()),
        }
        for p in positions
    ] + [
        {
            "key": f"line:{line.pk}",
            "kind": "line",
            "label": line.description,
            "category": line.category.name,
            "amount": f"{line.amount:.2f}",
            "detail": line.source.name,
        }
        for line in lines
    ]
    total = sum((Decimal(row["amount"]) for row in rows), ZERO)
    return {"rows": rows, "total": f"{total:.2f}"}


@dataclass(frozen=True)
class DiffRow:
    change: str  # added, removed, changed
    label: str
    category: str
    before: Decimal | None
    after: Decimal | None
    before_detail: str = ""
    after_detail: str = ""


def plan_version_diff(older: PlanVersion, newer: PlanVersion) -> list[DiffRow]:
    """Added, removed and changed rows between two versions, in the newer version's order."""
    before = {row["key"]: row for row in older.content.get("rows", [])}
    after = {row["key"]: row for row in newer.content.get("rows", [])}
    diff = []
    for key, row in after.items():
        old = before.get(key)
        if old is None:
            diff.append(
                DiffRow("added", row["label"], row["category"], None, Decimal(row["amount"]), "", row["detail"])
            )
        elif (old["label"], old["amount"], old["detail"], old["category"]) != (
            row["label"],
            row["amount"],
            row["detail"],
            row["category"],
        ):
            diff.append(
                DiffRow(
                    "changed",
                    row["label"],
                    row["category"],
                    Decimal(old["amount"]),
                    Decimal(row["amount"]),
                    old["detail"],
                    row["detail"],
                )
            )
    for key, row in before.items():
        if key not in after:
            diff.append(DiffRow("removed", row["label"], row["category"], Decimal(row["amount"]), None, row["detail"]))
    return diff


def plans_to_review(user: AbstractBaseUser) -> QuerySet[BudgetPlan]:
    """Finance's queue: submitted plans, oldest submission first, with what the queue shows."""
    return (
        plans_visible_to(user)
        .filter(status=PlanStatus.SUBMITTED)
        .select_related("school", "school_year", "allocation")
        .order_by("submitted_at", "pk")
    )
