"""Reads of enrollment for finance's pages: the snapshots of each school year, and one snapshot as a table of
schools × categories beside the snapshot before it.

A school's students are the sum of its grade band counts: grade bands partition the students, needs
overlap them (a student may be poor and an English learner), so needs are never added into a total.
The snapshot page costs the same queries for 1 school or 2,000: every figure is one grouped query.
"""

from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum

from budgeting.models import CategoryKind, EnrollmentCategory, EnrollmentCount, EnrollmentSnapshot, SnapshotKind
from schools.models import School, SchoolYear

SCHOOLS_PER_PAGE = 50
GRADE = Q(category__kind=CategoryKind.GRADE)


def snapshots_annotated() -> QuerySet[EnrollmentSnapshot]:
    """Newest first, each with its number of schools and of students."""
    return (
        EnrollmentSnapshot.objects.select_related("school_year")
        .annotate(
            school_count=Count("counts__school", distinct=True),
            student_count=Sum("counts__students", filter=Q(counts__category__kind=CategoryKind.GRADE)),
        )
        .order_by("-school_year__start_date", "-as_of", "-pk")
    )


def snapshots_by_year() -> list[tuple[SchoolYear, list[EnrollmentSnapshot]]]:
    """The snapshots grouped under their school year, newest year first (one query)."""
    return [
        (school_year, list(group)) for school_year, group in groupby(snapshots_annotated(), lambda s: s.school_year)
    ]


def snapshot_title(snapshot: EnrollmentSnapshot) -> str:
    """How the pages and their messages name a snapshot: "2027-28 projection of Mar 1, 2027"."""
    kind = "projection" if snapshot.kind == SnapshotKind.PROJECTED else "official count"
    return f"{snapshot.school_year.label} {kind} of {snapshot.as_of:%b} {snapshot.as_of.day}, {snapshot.as_of.year}"


def snapshot_get(pk: int) -> EnrollmentSnapshot | None:
    return EnrollmentSnapshot.objects.select_related("school_year").filter(pk=pk).first()


def snapshot_previous(snapshot: EnrollmentSnapshot) -> EnrollmentSnapshot | None:
    """The snapshot just before this one, in the order of school years and dates, whatever its kind: the
    spring projection is compared with last fall's official count, the fall count with the projection."""
    start = snapshot.school_year.start_date
    same_year = Q(school_year__start_date=start)
    before = (
        Q(school_year__start_date__lt=start)
        | (same_year & Q(as_of__lt=snapshot.as_of))
        | (same_year & Q(as_of=snapshot.as_of) & Q(pk__lt=snapshot.pk))
    )
    return (
        EnrollmentSnapshot.objects.select_related("school_year")
        .filter(before)
        .order_by("-school_year__start_date", "-as_of", "-pk")
        .first()
    )


@dataclass(frozen=True)
class SchoolRow:
    school: School
    cells: list[int | None]  # one per category of the table, None where the file had no row
    students: int
    previous: int | None  # the school's students in the previous snapshot; None if it was not counted there

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.students - self.previous


@dataclass(frozen=True)
class SnapshotTable:
    categories: list[EnrollmentCategory]
    page: Page
    rows: list[SchoolRow]
    totals: list[int]  # one per category, over every school of the snapshot, not only this page
    students: int
    previous: EnrollmentSnapshot | None
    previous_students: int | None

    @property
    def previous_title(self) -> str:
        return snapshot_title(self.previous) if self.previous is not None else ""

    @property
    def change(self) -> int | None:
        return None if self.previous_students is None else self.students - self.previous_students


def snapshot_table(snapshot: EnrollmentSnapshot, *, page_number, per_page: int | None = None) -> SnapshotTable:
    """One page of schools, by name, with every category the snapshot counts (grade bands first)."""
    counts = EnrollmentCount.objects.filter(snapshot=snapshot)
    categories = list(EnrollmentCategory.objects.filter(pk__in=counts.values("category")))
    by_category = dict(counts.values_list("category").annotate(total=Sum("students")).order_by())
    schools = School.objects.filter(pk__in=counts.values("school")).order_by("name", "pk")
    page = Paginator(schools, per_page or SCHOOLS_PER_PAGE).get_page(page_number)
    school_ids = [school.pk for school in page.object_list]
    cells = {
        (school_id, category_id): students
        for school_id, category_id, students in counts.filter(school_id__in=school_ids).values_list(
            "school_id", "category_id", "students"
        )
    }
    previous = snapshot_previous(snapshot)
    before, previous_students = {}, None
    if previous is not None:
        earlier = EnrollmentCount.objects.filter(GRADE, snapshot=previous)
        before = dict(
            earlier.filter(school_id__in=school_ids).values_list("school_id").annotate(n=Sum("students")).order_by()
        )
        previous_students = earlier.aggregate(n=Sum("students"))["n"] or 0
    grade_ids = [category.pk for category in categories if category.kind == CategoryKind.GRADE]
    rows = [
        SchoolRow(
            school=school,
            cells=[cells.get((school.pk, category.pk)) for category in categories],
            students=sum(cells.get((school.pk, pk), 0) for pk in grade_ids),
            previous=before.get(school.pk),
        )
        for school in page.object_list
    ]
    return SnapshotTable(
        categories=categories,
        page=page,
        rows=rows,
        totals=[by_category.get(category.pk, 0) for category in categories],
        students=sum(by_category.get(pk, 0) for pk in grade_ids),
        previous=previous,
        previous_students=previous_students,
    )


def snapshot_schools(snapshot: EnrollmentSnapshot) -> QuerySet[School]:
    """The schools a snapshot counts, for the adjustment form's choice."""
    return School.objects.filter(pk__in=EnrollmentCount.objects.filter(snapshot=snapshot).values("school"))
