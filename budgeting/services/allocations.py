"""Every school's allocation, computed from a published formula and an enrollment snapshot, and its release.

Computing is set-based: the counts of every school are read in one query, last year's finals in one, the
engine (budgeting.services.engine) runs in memory, and the allocations and their lines are written with
two bulk inserts. The number of queries is the same for 3 schools and for 2,000.

Release is the moment principals are given the number: from then on the set never changes (a later count
is a new set of kind true-up), and plans are built against it.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from budgeting.models import (
    AllocationLine,
    AllocationSet,
    EnrollmentCategory,
    EnrollmentCount,
    EnrollmentSnapshot,
    FormulaStatus,
    FormulaVersion,
    SchoolAllocation,
    SetKind,
    SnapshotKind,
)
from budgeting.policies import can_manage_budgeting
from budgeting.services import engine
from budgeting.services.budget_metrics import allocation_metrics_record
from budgeting.services.formula import formula_spec_of
from budgeting.services.plans import plans_true_up
from core.errors import ApplicationError, Conflict
from core.notifications import notify_many
from core.policies import require
from schools.models import School, SchoolYear
from schools.selectors import principals_of


def school_counts_of(*, snapshot: EnrollmentSnapshot, previous: dict[int, Decimal]) -> list[engine.SchoolCounts]:
    """Every school's counts in the snapshot, by category code: one query, whatever the number of schools."""
    rows = EnrollmentCount.objects.filter(snapshot=snapshot).values_list(
        "school_id", "school__grade_band", "category__code", "students"
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    bands: dict[int, str] = {}
    for school_id, band, code, students in rows.iterator(chunk_size=5000):
        counts[school_id][code] = students
        bands[school_id] = band
    return [
        engine.SchoolCounts(
            school_id=school_id,
            grade_band=bands[school_id],
            counts=counts[school_id],
            previous_final=previous.get(school_id),
        )
        for school_id in sorted(counts)
    ]


def previous_finals_of(*, school_year: SchoolYear) -> dict[int, Decimal]:
    """Each school's final amount in the last released set of the school year before `school_year` (a true-up
    released after the initial set replaces it): one query. Empty when that year released nothing."""
    previous_year = (
        SchoolYear.objects.filter(start_date__lt=school_year.start_date).order_by("-start_date").values("pk")[:1]
    )
    last_released = (
        AllocationSet.objects.filter(formula__school_year=Subquery(previous_year), released_on__isnull=False)
        .order_by("-released_on", "-computed_at", "-pk")
        .values("pk")[:1]
    )
    rows = SchoolAllocation.objects.filter(allocation_set=Subquery(last_released)).values_list(
        "school_id", "final_amount"
    )
    return dict(rows)


def _check_inputs(*, formula: FormulaVersion, snapshot: EnrollmentSnapshot, kind: str) -> None:
    if formula.status != FormulaStatus.PUBLISHED:
        raise ApplicationError(
            "Only a published formula can be allocated.",
            fields={
                "formula": [f"Version {formula.number} is {formula.get_status_display().lower()}; publish it first."]
            },
        )
    if snapshot.school_year_id != formula.school_year_id:
        raise ApplicationError(
            "The enrollment must be of the formula's school year.",
            fields={
                "snapshot": [
                    f"This enrollment is of {snapshot.school_year.label}, the formula of {formula.school_year.label}."
                ]
            },
        )
    if kind == SetKind.TRUE_UP and snapshot.kind != SnapshotKind.OFFICIAL:
        raise ApplicationError(
            "A true-up is computed on official counts.",
            fields={"snapshot": ["Choose an official count for a true-up, not a projection."]},
        )


def allocation_set_compute(
    *,
    actor: AbstractBaseUser | None,
    formula: FormulaVersion,
    snapshot: EnrollmentSnapshot,
    kind: str = SetKind.INITIAL,
) -> AllocationSet:
    """Compute and store every school's allocation. Computing the same (formula, snapshot) again replaces
    the set while it is unreleased; a released set is refused (a later count is a true-up, a new set).
    `actor` None is the demo's or a script's own run; a person must be finance."""
    if actor is not None:
        require(can_manage_budgeting(actor))
    _check_inputs(formula=formula, snapshot=snapshot, kind=kind)
    with transaction.atomic():
        existing = AllocationSet.objects.select_for_update().filter(formula=formula, snapshot=snapshot).first()
        if existing is not None and existing.released_on is not None:
            raise Conflict(
                f"This allocation was released on {existing.released_on:%B %-d, %Y}: it cannot be computed again. "
                "A later count is computed as a true-up on an official snapshot."
            )
        spec = formula_spec_of(formula)
        schools = school_counts_of(snapshot=snapshot, previous=previous_finals_of(school_year=formula.school_year))
        if not schools:
            raise ApplicationError(
                "This enrollment has no counts.", fields={"snapshot": ["No school has a count in this enrollment."]}
            )
        computed = engine.formula_compute(spec=spec, schools=schools)
        if existing is not None:
            SchoolAllocation.objects.filter(allocation_set=existing).delete()
            allocation_set = existing
            allocation_set.kind = kind
        else:
            allocation_set = AllocationSet(formula=formula, snapshot=snapshot, kind=kind)
        allocation_set.computed_at = timezone.now()
        allocation_set.total = computed.total
        try:
            with transaction.atomic():
                allocation_set.save()
        except IntegrityError:  # two people computed the same formula and enrollment at once: one wins
            raise Conflict(
                "Someone else computed this formula on this enrollment at the same moment: reload to see it."
            ) from None
        _allocations_store(allocation_set=allocation_set, computed=computed, schools=schools)
    return allocation_set


def _allocations_store(
    *, allocation_set: AllocationSet, computed: engine.ComputedFormula, schools: list[engine.SchoolCounts]
) -> None:
    """Two inserts: the allocations (their ids come back), then every line of every school."""
    previous = {school.school_id: school.previous_final for school in schools}
    category_ids = dict(EnrollmentCategory.objects.values_list("code", "pk"))
    allocations = [
        (
            result.school_id,
            result.students,
            result.formula_amount,
            result.transition_adjustment,
            result.final_amount,
            result.per_pupil,
            previous.get(result.school_id),
        )
        for result in computed.allocations
    ]
    lines = [
        (
            result.school_id,
            position,
            line.kind,
            category_ids.get(line.category_code) if line.category_code else None,
            line.label[:200],
            line.basis,
            line.weight,
            line.per_capita,
            line.amount,
        )
        for result in computed.allocations
        for position, line in enumerate(result.lines, start=1)
    ]
    if connection.vendor == "postgresql":
        _rows_insert_postgresql(allocation_set=allocation_set, allocations=allocations, lines=lines)
    else:
        _rows_insert(allocation_set=allocation_set, allocations=allocations, lines=lines)


ALLOCATION_COLUMNS = (
    "school_id",
    "students",
    "formula_amount",
    "transition_adjustment",
    "final_amount",
    "per_pupil",
    "previous_amount",
)
LINE_COLUMNS = ("position", "kind", "category_id", "label", "basis", "weight", "per_capita", "amount")


def _rows_insert(*, allocation_set: AllocationSet, allocations: list[tuple], lines: list[tuple]) -> None:
    """Any database: bulk_create, in batches SQLite's limit on parameters allows."""
    created = SchoolAllocation.objects.bulk_create(
        [
            SchoolAllocation(allocation_set=allocation_set, **dict(zip(ALLOCATION_COLUMNS, row, strict=True)))
            for row in allocations
        ],
        batch_size=2000,
    )
    ids = {allocation.school_id: allocation.pk for allocation in created}
    AllocationLine.objects.bulk_create(
        [AllocationLine(allocation_id=ids[row[0]], **dict(zip(LINE_COLUMNS, row[1:], strict=True))) for row in lines],
        batch_size=5000,
    )


def _rows_insert_postgresql(*, allocation_set: AllocationSet, allocations: list[tuple], lines: list[tuple]) -> None:
    """PostgreSQL: the allocations in one INSERT … SELECT FROM unnest(arrays) that hands their ids back, the
    lines in one COPY, without building a model instance per row (2,000 schools × 30 lines is 60,000 of
    them); the same rows and columns as _rows_insert."""
    allocation_table, line_table = SchoolAllocation._meta.db_table, AllocationLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {allocation_table} (allocation_set_id, {', '.join(ALLOCATION_COLUMNS)}) "
            "SELECT %s, * FROM unnest(%s::integer[], %s::integer[], %s::numeric[], %s::numeric[], "
            "%s::numeric[], %s::numeric[], %s::numeric[]) RETURNING school_id, id",
            [allocation_set.pk, *map(list, zip(*allocations, strict=True))],
        )
        ids = dict(cursor.fetchall())
        with cursor.cursor.copy(f"COPY {line_table} (allocation_id, {', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            for school_id, *row in lines:
                copy.write_row((ids[school_id], *row))


# --- release -------------------------------------------------------------------------------------------


def _check_release_dates(
    *, released_on: datetime.date, staffing_deadline: datetime.date | None, plans_due_on: datetime.date | None
) -> None:
    fields = {}
    if staffing_deadline is not None and staffing_deadline < released_on:
        fields["staffing_deadline"] = ["The staffing deadline cannot come before the release."]
    if plans_due_on is not None and plans_due_on < released_on:
        fields["plans_due_on"] = ["Plans cannot be due before the allocation is released."]
    if fields:
        raise ApplicationError("Please check the dates.", fields=fields)


def _check_release_rules(*, allocation_set: AllocationSet) -> None:
    """One released initial set per school year; a true-up only once the year's initial set is out."""
    year_sets = AllocationSet.objects.filter(
        formula__school_year_id=allocation_set.formula.school_year_id, released_on__isnull=False
    ).exclude(pk=allocation_set.pk)
    if allocation_set.kind == SetKind.INITIAL and year_sets.filter(kind=SetKind.INITIAL).exists():
        raise Conflict(
            f"The {allocation_set.formula.school_year.label} allocations were already released. "
            "A later count is released as a true-up."
        )
    if allocation_set.kind == SetKind.TRUE_UP and not year_sets.filter(kind=SetKind.INITIAL).exists():
        raise Conflict("Release the year's initial allocation before a true-up.")


def allocation_set_release(
    *,
    actor: AbstractBaseUser,
    allocation_set: AllocationSet,
    released_on: datetime.date,
    staffing_deadline: datetime.date | None = None,
    plans_due_on: datetime.date | None = None,
) -> AllocationSet:
    """Give the year's allocations to the principals, who are told (once per set and person). The school
    year's row is locked so that two people releasing two sets of the same year at once cannot both win."""
    require(can_manage_budgeting(actor))
    _check_release_dates(released_on=released_on, staffing_deadline=staffing_deadline, plans_due_on=plans_due_on)
    with transaction.atomic():
        SchoolYear.objects.select_for_update().filter(pk=allocation_set.formula.school_year_id).first()
        allocation_set = (
            AllocationSet.objects.select_for_update(of=("self",))
            .select_related("formula__school_year", "snapshot")
            .get(pk=allocation_set.pk)
        )
        if allocation_set.released_on is not None:
            raise Conflict(f"This allocation was already released on {allocation_set.released_on:%B %-d, %Y}.")
        _check_release_rules(allocation_set=allocation_set)
        allocation_set.released_on = released_on
        allocation_set.released_by = actor
        allocation_set.staffing_deadline = staffing_deadline
        allocation_set.plans_due_on = plans_due_on
        allocation_set.save(
            update_fields=["released_on", "released_by", "staffing_deadline", "plans_due_on", "updated_at"]
        )
        allocation_metrics_record(allocation_set=allocation_set)
        _notify_release(allocation_set=allocation_set)
        if allocation_set.kind == SetKind.TRUE_UP:
            plans_true_up(allocation_set=allocation_set)  # plans move onto the recounted allocation
    return allocation_set


def _notify_release(*, allocation_set: AllocationSet) -> None:
    """Each principal of a school in the set, once per set (the key), in three queries plus the outbox."""
    schools = dict(School.objects.filter(allocations__allocation_set=allocation_set).values_list("pk", "code"))
    principals = principals_of(school_ids=list(schools))
    year = allocation_set.formula.school_year.label
    true_up = allocation_set.kind == SetKind.TRUE_UP

    def title() -> str:  # in each reader's language (core.notifications)
        if true_up:
            return _("Your %(year)s allocation has been recounted (true-up)") % {"year": year}
        return _("Your %(year)s allocation is released") % {"year": year}

    def body() -> str:
        released = date_format(allocation_set.released_on, _("F j, Y"))
        text = _("The district released the %(year)s school allocations on %(date)s.") % {
            "year": year,
            "date": released,
        }
        if allocation_set.plans_due_on:
            due = date_format(allocation_set.plans_due_on, _("F j, Y"))
            text += " " + _("Budget plans are due on %(date)s.") % {"date": due}
        return text

    notify_many(
        [
            (
                users,
                f"allocation-release:{allocation_set.pk}",
                title,
                body,
                reverse("budgeting:allocation_school", args=[schools[school_id]]),
            )
            for school_id, users in principals.items()
        ]
    )


def weeks_before(*, released_on: datetime.date, deadline: datetime.date | None) -> int | None:
    """Whole weeks between the release and the staffing deadline: what the release page states."""
    if deadline is None:
        return None
    return (deadline - released_on).days // 7
