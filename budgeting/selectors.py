"""Reads of allocations and scenarios, each scoped by budgeting.policies and each in a fixed number of
queries: a school's page costs the same with 1 line or 30, the district table the same with 3 schools or
2,000. (Plan reads are in budgeting.selectors_plans.)"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Prefetch, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from budgeting.formula_words import money
from budgeting.models import (
    AllocationLine,
    AllocationSet,
    EnrollmentSnapshot,
    FormulaStatus,
    FormulaVersion,
    LineKind,
    Scenario,
    SchoolAllocation,
)
from budgeting.policies import allocation_sets_visible_to, allocations_visible_to
from schools.models import School, SchoolYear


def _number(value: Decimal | None) -> str:
    """A count or a weight without trailing zeros: 412, 1.08, 0.12."""
    if value is None:
        return ""
    text = f"{value.normalize():f}" if value != value.to_integral_value() else f"{value.to_integral_value():,}"
    return text


# --- sets -------------------------------------------------------------------------------------------


def allocation_sets_for_user(*, user: AbstractBaseUser) -> QuerySet[AllocationSet]:
    return (
        allocation_sets_visible_to(user)
        .select_related("formula__school_year", "snapshot", "released_by")
        .annotate(schools=Count("allocations"))
        .order_by("-formula__school_year__start_date", "-computed_at", "-pk")
    )


def allocation_set_get(*, user: AbstractBaseUser, pk: int) -> AllocationSet:
    allocation_set = (
        allocation_sets_visible_to(user).select_related("formula__school_year", "snapshot").filter(pk=pk).first()
    )
    if allocation_set is None:
        raise Http404("No such allocation.")
    return allocation_set


def _with_snapshots(formulas: QuerySet[FormulaVersion]) -> tuple[list[FormulaVersion], list[EnrollmentSnapshot]]:
    """The formulas and the enrollment snapshots of their years: the two lists a page offers to pair."""
    formulas = list(formulas.select_related("school_year"))
    snapshots = list(
        EnrollmentSnapshot.objects.filter(school_year__in={f.school_year_id for f in formulas}).select_related(
            "school_year"
        )
    )
    return formulas, snapshots


def compute_choices() -> tuple[list[FormulaVersion], list[EnrollmentSnapshot]]:
    """What a set can be computed from: published formulas and the snapshots of their years."""
    return _with_snapshots(FormulaVersion.objects.filter(status=FormulaStatus.PUBLISHED))


@dataclass(frozen=True)
class SetTotals:
    schools: int
    students: int
    formula_amount: Decimal
    transition_adjustment: Decimal
    final_amount: Decimal


def allocation_table(*, allocation_set: AllocationSet) -> tuple[QuerySet[SchoolAllocation], SetTotals]:
    """The district table: every school's allocation (the page paginates it) and the set's totals."""
    rows = (
        SchoolAllocation.objects.filter(allocation_set=allocation_set)
        .select_related("school")
        .order_by("school__name", "school__code")
    )
    sums = rows.order_by().aggregate(
        schools=Count("pk"),
        students=Sum("students"),
        formula_amount=Sum("formula_amount"),
        transition_adjustment=Sum("transition_adjustment"),
        final_amount=Sum("final_amount"),
    )
    zero = Decimal("0")
    return rows, SetTotals(
        schools=sums["schools"] or 0,
        students=sums["students"] or 0,
        formula_amount=sums["formula_amount"] or zero,
        transition_adjustment=sums["transition_adjustment"] or zero,
        final_amount=sums["final_amount"] or zero,
    )


CSV_HEADER = (
    "school_code",
    "school_name",
    "line",
    "kind",
    "category",
    "label",
    "basis",
    "weight",
    "per_capita",
    "amount",
    "school_final_amount",
)


def allocation_csv_rows(*, allocation_set: AllocationSet) -> Iterator[tuple]:
    """One row per line of every school, read in one streamed query."""
    lines = (
        AllocationLine.objects.filter(allocation__allocation_set=allocation_set)
        .order_by("allocation__school__code", "position")
        .values_list(
            "allocation__school__code",
            "allocation__school__name",
            "position",
            "kind",
            "category__code",
            "label",
            "basis",
            "weight",
            "per_capita",
            "amount",
            "allocation__final_amount",
        )
    )
    yield from lines.iterator(chunk_size=5000)


# --- a school's allocation --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplainedLine:
    kind: str
    kind_label: str
    label: str
    explanation: str  # "412 students × 1.08 × $4,084.80 = $1,817,570.96"
    amount: Decimal


@dataclass(frozen=True)
class KindChange:
    kind: str
    label: str
    current: Decimal
    previous: Decimal

    @property
    def change(self) -> Decimal:
        return self.current - self.previous


@dataclass(frozen=True)
class SchoolAllocationPage:
    allocation: SchoolAllocation | None  # None: nothing released (or computed) for this school yet
    lines: list[ExplainedLine]
    previous: SchoolAllocation | None
    changes: list[KindChange]  # by line kind, against last year; empty without last year

    @property
    def total_change(self) -> Decimal | None:
        if self.allocation is None or self.previous is None:
            return None
        return self.allocation.final_amount - self.previous.final_amount


def _explain(line: AllocationLine, base: Decimal | None) -> str:
    total = money(line.amount)
    if line.kind in (LineKind.WEIGHT, LineKind.CONCENTRATION) and line.basis is not None:
        words = _("%(count)s student") if line.basis == 1 else _("%(count)s students")
        students = words % {"count": _number(line.basis)}
        if base is not None and line.weight is not None:
            return f"{students} × {_number(line.weight)} × {money(base)} = {total}"
        return f"{students} × {money(line.per_capita)} = {total}"
    if line.kind == LineKind.SMALL_SCHOOL and line.basis is not None and line.per_capita is not None:
        below = _("%(count)s students below the small-school size") % {"count": _number(line.basis)}
        return f"{below} × {money(line.per_capita)} = {total}"
    if line.kind == LineKind.FOUNDATION:
        return _("The fixed amount every school of its type receives before any student is counted")
    if line.kind == LineKind.TRANSITION:
        return _("What the transition rule adds or holds back, against last year's allocation")
    return total


def _previous_allocation(*, user: AbstractBaseUser, school: School, year: SchoolYear) -> SchoolAllocation | None:
    """The school's allocation in the last released set of the year before: what it is compared with."""
    previous_year = SchoolYear.objects.filter(start_date__lt=year.start_date).order_by("-start_date").values("pk")[:1]
    return (
        allocations_visible_to(user)
        .filter(
            school=school,
            allocation_set__released_on__isnull=False,
            allocation_set__formula__school_year=Subquery(previous_year),
        )
        .select_related("allocation_set__formula__school_year")
        .prefetch_related("lines")
        .order_by("-allocation_set__released_on", "-allocation_set__computed_at")
        .first()
    )


def school_allocation_page(*, user: AbstractBaseUser, school: School) -> SchoolAllocationPage:
    """The school's latest allocation it may see (finance: also one not yet released), line by line, and
    last year's beside it: four queries with last year, two without, however many lines."""
    allocation = (
        allocations_visible_to(user)
        .filter(school=school)
        .select_related("allocation_set__formula__school_year", "allocation_set__snapshot")
        .prefetch_related(Prefetch("lines", queryset=AllocationLine.objects.order_by("position")))
        .order_by(
            "-allocation_set__formula__school_year__start_date",
            F("allocation_set__released_on").desc(nulls_last=True),
            "-allocation_set__computed_at",
        )
        .first()
    )
    if allocation is None:
        return SchoolAllocationPage(None, [], None, [])
    formula = allocation.allocation_set.formula
    lines = [
        ExplainedLine(
            line.kind, line.get_kind_display(), line.label, _explain(line, formula.base_per_pupil), line.amount
        )
        for line in allocation.lines.all()
    ]
    previous = _previous_allocation(user=user, school=school, year=formula.school_year)
    return SchoolAllocationPage(allocation, lines, previous, _changes_by_kind(allocation, previous))


def _changes_by_kind(allocation: SchoolAllocation, previous: SchoolAllocation | None) -> list[KindChange]:
    if previous is None:
        return []
    current_sums, previous_sums = {}, {}
    for line in allocation.lines.all():
        current_sums[line.kind] = current_sums.get(line.kind, Decimal("0")) + line.amount
    for line in previous.lines.all():
        previous_sums[line.kind] = previous_sums.get(line.kind, Decimal("0")) + line.amount
    return [
        KindChange(kind, label, current_sums.get(kind, Decimal("0")), previous_sums.get(kind, Decimal("0")))
        for kind, label in LineKind.choices
        if kind in current_sums or kind in previous_sums
    ]


# --- scenarios --------------------------------------------------------------------------------------


def scenarios_for_finance() -> QuerySet[Scenario]:
    return Scenario.objects.select_related("formula__school_year", "snapshot", "adopted_as").order_by(
        "-created_at", "-pk"
    )


def scenario_get(*, pk: int) -> Scenario:
    scenario = scenarios_for_finance().filter(pk=pk).first()
    if scenario is None:
        raise Http404("No such scenario.")
    return scenario


def scenario_choices() -> tuple[list[FormulaVersion], list[EnrollmentSnapshot]]:
    """A scenario is run against a published or draft formula and an enrollment of the same year."""
    return _with_snapshots(FormulaVersion.objects.exclude(status=FormulaStatus.SUPERSEDED))
