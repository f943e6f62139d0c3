"""Enrollment imports and hand adjustments: all or nothing, every bad row named, re-imports change nothing,
and counts an allocation was computed on never move."""

import datetime

import pytest
from django.utils import timezone

from budgeting.models import AllocationSet, EnrollmentCount, EnrollmentSnapshot, FormulaVersion, SnapshotKind
from budgeting.services.enrollment import MAX_STUDENTS, enrollment_count_set, enrollment_import
from core.errors import ApplicationError, Conflict, NotPermitted
from schools.models import Role
from tests.budgeting.enrollment_world import HEADER, district

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 1)
GOOD = HEADER + "S0001,k5,300\nS0001,poverty,120\nS0002,k5,200\nS0002,g68,150\nS0002,ell,40\n"


@pytest.fixture
def world(db):
    return district()


@pytest.fixture
def finance(make_member):
    return make_member(Role.REVIEWER, function="finance")


def _import(world, text, *, actor=None, kind=SnapshotKind.PROJECTED, as_of=DAY, label="enrollment.csv"):
    return enrollment_import(actor=actor, school_year=world["year"], kind=kind, as_of=as_of, text=text, label=label)


def _counts(snapshot):
    return {
        (school, category): students
        for school, category, students in snapshot.counts.values_list("school__code", "category__code", "students")
    }


def test_an_import_creates_the_snapshot_with_its_counts(world, finance):
    report = _import(world, GOOD, actor=finance)
    assert report.ok and report.outcome == "created"
    assert (report.rows, report.created, report.schools, report.students) == (5, 5, 2, 650)
    snapshot = EnrollmentSnapshot.objects.get()
    assert (snapshot.kind, snapshot.source, snapshot.as_of, snapshot.label) == (
        "projected",
        "import",
        DAY,
        "enrollment.csv",
    )
    assert snapshot.created_by == finance
    assert _counts(snapshot) == {
        ("S0001", "k5"): 300,
        ("S0001", "poverty"): 120,
        ("S0002", "k5"): 200,
        ("S0002", "g68"): 150,
        ("S0002", "ell"): 40,
    }


def test_the_same_file_again_changes_nothing(world):
    first = _import(world, GOOD)
    before = list(EnrollmentCount.objects.order_by("pk").values_list("pk", "students"))
    again = _import(world, GOOD, label="again.csv")
    assert again.ok and again.no_changes and again.snapshot == first.snapshot
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert list(EnrollmentCount.objects.order_by("pk").values_list("pk", "students")) == before
    assert EnrollmentSnapshot.objects.get().label == "enrollment.csv"


def test_a_different_file_for_the_same_day_replaces_the_counts(world):
    first = _import(world, GOOD)
    text = HEADER + "S0001,k5,310\nS0002,k5,200\nS0002,g68,150\nS0002,ell,40\nS0002,poverty,90\n"
    report = _import(world, text, label="second.csv")
    assert report.ok and report.outcome == "replaced" and report.snapshot == first.snapshot
    assert (report.created, report.updated, report.removed, report.unchanged) == (1, 1, 1, 3)
    assert EnrollmentSnapshot.objects.count() == 1
    assert _counts(first.snapshot)[("S0001", "k5")] == 310
    assert ("S0001", "poverty") not in _counts(first.snapshot)


def test_another_kind_or_day_is_another_snapshot(world):
    _import(world, GOOD)
    _import(world, GOOD, kind=SnapshotKind.OFFICIAL)
    _import(world, GOOD, as_of=DAY + datetime.timedelta(days=1))
    assert EnrollmentSnapshot.objects.count() == 3 and EnrollmentCount.objects.count() == 15


def _allocate_on(snapshot):
    formula = FormulaVersion.objects.create(school_year=snapshot.school_year, number=1)
    return AllocationSet.objects.create(formula=formula, snapshot=snapshot, computed_at=timezone.now())


def test_a_snapshot_allocations_were_computed_on_is_not_replaced(world):
    first = _import(world, GOOD)
    _allocate_on(first.snapshot)
    with pytest.raises(Conflict, match="Allocations were computed on this snapshot"):
        _import(world, GOOD.replace("300", "301"))
    assert _counts(first.snapshot)[("S0001", "k5")] == 300
    assert _import(world, GOOD).no_changes  # the same counts again are still no change


BAD_ROWS = {
    "unknown school": ("S9999,k5,10", "unknown school 'S9999'"),
    "unknown category": ("S0001,g13,10", "unknown category 'g13'; the categories are"),
    "not a whole number": ("S0001,g68,12.5", "students '12.5' is not a whole number"),
    "non-ASCII digits": ("S0001,g68,٣", "students '٣' is not a whole number"),
    "full-width digits": ("S0001,g68,３", "students '３' is not a whole number"),
    "a sign": ("S0001,g68,+3", "students '+3' is not a whole number"),
    "negative": ("S0001,g68,-3", "students -3 is negative; a count is 0 or more"),
    "empty": ("S0001,g68,", "students is empty"),
    "absurd": ("S0001,g68,1000001", f"students 1000001 is more than {MAX_STUDENTS:,}"),
    "duplicate": ("S0001,k5,300", "duplicate of row 2 (S0001, k5)"),
    "empty school": (",k5,3", "school is empty"),
}


@pytest.mark.parametrize("row, reason", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_is_named_and_nothing_is_saved(world, row, reason):
    report = _import(world, GOOD + row + "\n")
    assert not report.ok and report.error_count == 1
    assert report.errors[0].row == 7 and reason in report.errors[0].reason
    assert not EnrollmentSnapshot.objects.exists() and not EnrollmentCount.objects.exists()


def test_every_bad_row_is_named_in_row_order(world):
    text = HEADER + "S9999,k5,1\nS0001,k5,x\n\nS0001,nope,-1\n"
    report = _import(world, text)
    assert [(error.row, error.reason) for error in report.errors] == [
        (2, "unknown school 'S9999'"),
        (3, "students 'x' is not a whole number"),
        (
            5,
            "unknown category 'nope'; the categories are k5, g68, g912, poverty, ell; students -1 is negative; a "
            "count is 0 or more",
        ),
    ]


def test_a_school_without_grade_band_rows_is_refused_at_its_first_row(world):
    report = _import(world, HEADER + "S0001,k5,10\nS0002,ell,4\nS0002,poverty,5\n")
    assert [(error.row, error.reason) for error in report.errors] == [
        (3, "school S0002 has no grade band rows (k5, g68, g912): every school's students are counted by grade band")
    ]
    assert not EnrollmentSnapshot.objects.exists()


def test_a_need_cannot_count_more_students_than_the_school_has(world):
    report = _import(world, HEADER + "S0001,k5,10\nS0001,g68,5\nS0001,poverty,16\n")
    assert [(error.row, error.reason) for error in report.errors] == [
        (4, "16 students in poverty but the school has 15 by grade band")
    ]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "the file is empty"),
        ("school,category\nS0001,k5\n", "missing column(s) students"),
        ("school,category,students,extra\n", "unknown column(s) extra; the columns are school, category, students"),
        (HEADER, "the file has no data rows"),
        (HEADER.replace("\n", "\r") + "S0001,k5,3\r", "holds a carriage return (CR) outside quotes"),
        (HEADER + "S0001,k5,3\n" + "S0002," + "k" * 131_073 + ",3\n", "has a field longer than 131,072 characters"),
        (HEADER + "S0001,k5\x00,3\n", "contains a NUL character"),
    ],
    ids=["empty", "missing column", "unknown column", "no rows", "bare CR", "over-long field", "NUL"],
)
def test_a_file_the_reader_refuses_imports_nothing(world, text, reason):
    report = _import(world, text)
    assert not report.ok and reason in report.errors[0].reason
    assert not EnrollmentSnapshot.objects.exists()


def test_rows_already_split_are_checked_the_same_way(world):
    rows = [
        {"school": "S0001", "category": "k5", "students": 300},
        {"school": "S0002", "category": "k5", "students": "x"},
    ]
    report = enrollment_import(actor=None, school_year=world["year"], kind="official", as_of=DAY, rows=rows)
    assert [(error.row, error.reason) for error in report.errors] == [(3, "students 'x' is not a whole number")]
    report = enrollment_import(actor=None, school_year=world["year"], kind="official", as_of=DAY, rows=rows[:1])
    assert report.ok and report.created == 1


def test_only_finance_imports(world, make_member):
    principal = make_member(Role.PRINCIPAL, school=world["schools"][0])
    with pytest.raises(NotPermitted):
        _import(world, GOOD, actor=principal)
    assert not EnrollmentSnapshot.objects.exists()


def test_an_unknown_kind_is_refused_naming_the_field(world):
    with pytest.raises(ApplicationError) as refused:
        _import(world, GOOD, kind="guessed")
    assert "kind" in refused.value.fields


def test_finance_adjusts_one_projected_count(world, finance):
    snapshot = _import(world, GOOD).snapshot
    school, categories = world["schools"][0], world["categories"]
    enrollment_count_set(actor=finance, snapshot=snapshot, school=school, category=categories["k5"], students=320)
    enrollment_count_set(actor=finance, snapshot=snapshot, school=school, category=categories["g68"], students=12)
    counts = _counts(snapshot)
    assert counts[("S0001", "k5")] == 320 and counts[("S0001", "g68")] == 12 and len(counts) == 6


@pytest.mark.parametrize("students", [-1, MAX_STUDENTS + 1, 2.5, "3", True])
def test_an_adjustment_out_of_range_names_the_field(world, finance, students):
    snapshot = _import(world, GOOD).snapshot
    with pytest.raises(ApplicationError) as refused:
        enrollment_count_set(
            actor=finance,
            snapshot=snapshot,
            school=world["schools"][0],
            category=world["categories"]["k5"],
            students=students,
        )
    assert list(refused.value.fields) == ["students"]
    assert _counts(snapshot)[("S0001", "k5")] == 300


def test_an_official_count_or_one_allocations_use_is_not_adjusted(world, finance, make_member):
    official = _import(world, GOOD, kind=SnapshotKind.OFFICIAL).snapshot
    projected = _import(world, GOOD).snapshot
    _allocate_on(projected)
    args = dict(school=world["schools"][0], category=world["categories"]["k5"], students=1)
    with pytest.raises(ApplicationError, match="official count is not changed by hand"):
        enrollment_count_set(actor=finance, snapshot=official, **args)
    with pytest.raises(Conflict, match="Allocations were computed on this snapshot"):
        enrollment_count_set(actor=finance, snapshot=projected, **args)
    with pytest.raises(NotPermitted):
        enrollment_count_set(actor=make_member(Role.VIEWER), snapshot=projected, **args)
    assert _counts(official)[("S0001", "k5")] == 300 and _counts(projected)[("S0001", "k5")] == 300


def test_a_file_past_the_row_limit_is_refused_at_the_first_row_too_many(world, monkeypatch):
    from metrics.services import import_rows

    monkeypatch.setattr(import_rows, "MAX_ROWS", 3)
    report = _import(world, GOOD)
    assert [(error.row, error.reason) for error in report.errors] == [
        (5, "there are more than 3 rows; split them into smaller imports")
    ]
    assert not EnrollmentSnapshot.objects.exists()


def test_an_import_costs_the_same_queries_for_2_or_40_schools(world, django_assert_num_queries):
    from tests.factories import SchoolFactory

    many = "".join(f"{SchoolFactory(code=f'M{n:03d}').code},k5,{n}\n" for n in range(40))
    with django_assert_num_queries(12) as few:  # schools, categories; the snapshot (created, locked); its counts
        assert _import(world, GOOD).ok
    with django_assert_num_queries(len(few.captured_queries)):
        assert _import(world, HEADER + many, as_of=DAY + datetime.timedelta(days=1)).ok
