"""The projection by cohort survival, against figures worked out by hand (each written out beside its test)."""

import datetime
from fractions import Fraction

import pytest
from django.utils import timezone

from budgeting.models import AllocationSet, EnrollmentSnapshot, FormulaVersion, SnapshotKind, SnapshotSource
from budgeting.services.enrollment import enrollment_import, enrollment_project
from budgeting.services.enrollment_projection import school_projection, survival_ratio, whole_students
from core.errors import ApplicationError, Conflict, NotPermitted
from schools.models import Role
from tests.budgeting.enrollment_world import HEADER, categories, year
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

K5, G68, G912, POVERTY = 1, 2, 3, 10
ORDER = [K5, G68, G912]


def test_counts_round_half_up_to_whole_students():
    assert [whole_students(Fraction(n, 2)) for n in (4, 5, 7)] == [2, 3, 4]
    assert whole_students(Fraction(2935, 10)) == 294 and whole_students(Fraction(2934, 10)) == 293


def test_the_survival_ratio_is_who_moved_up_of_who_could():
    # 2024-25: 300 in K-5, 200 in 6-8; 2025-26: 270 in 6-8. Could move up: 300 (K-5); moved up: 270.
    assert survival_ratio({K5: 300, G68: 200}, {K5: 310, G68: 270}, bands=[K5, G68]) == Fraction(9, 10)
    assert survival_ratio(None, {K5: 1, G68: 1}, bands=[K5, G68]) is None  # a year not counted
    assert survival_ratio({G68: 5}, {K5: 1, G68: 1}, bands=[K5, G68]) is None  # nobody could move up
    assert survival_ratio({K5: 5}, {K5: 5}, bands=[K5]) is None  # one band: nobody moves up inside the school


def test_a_k8_school_with_three_years():
    # Ratios: 2025-26 270 / 300 = 0.9; 2026-27 290 / 310 = 0.93548…; survival (0.9 + 0.93548…) / 2 = 0.91774…
    # K-5: the average of 300, 310, 320 = 310. 6-8: 320 × 0.91774… = 293.68 → 294.
    # Poverty: 122 of 610 students now → 122 × 604 / 610 = 120.8 → 121.
    history = [{K5: 300, G68: 200}, {K5: 310, G68: 270}, {K5: 320, G68: 290, POVERTY: 122}]
    assert school_projection(history, grade_order=ORDER) == {K5: 310, G68: 294, POVERTY: 121}


def test_a_school_of_one_band_keeps_the_average_of_its_years():
    # A middle school: 6-8 is its entry band (nobody moves up into it inside the school): (100 + 110) / 2 = 105.
    # English learners … here "poverty": 11 of 110 → 11 × 105 / 110 = 10.5 → 11.
    history = [None, {G68: 100}, {G68: 110, POVERTY: 11}]
    assert school_projection(history, grade_order=ORDER) == {G68: 105, POVERTY: 11}


def test_without_a_ratio_the_students_move_up_whole():
    # One year only: ratio 1. K-5 stays 50 (its one year), 6-8 = 50 × 1, 9-12 = 40 × 1.
    assert school_projection([None, None, {K5: 50, G68: 40, G912: 30}], grade_order=ORDER) == {
        K5: 50,
        G68: 50,
        G912: 40,
    }
    # Counted two years ago and this year, not last year: no pair of years in a row, ratio 1; K-5 (100 + 80) / 2.
    assert school_projection([{K5: 100}, None, {K5: 80, G68: 60}], grade_order=ORDER) == {K5: 90, G68: 80}


def test_a_school_with_no_student_by_grade_band_is_not_projected():
    assert school_projection([None, None, {POVERTY: 3}], grade_order=ORDER) == {}


@pytest.fixture
def district(db):
    bands = categories()
    schools = [SchoolFactory(code="S0001"), SchoolFactory(code="S0002")]
    years = {label: year(label) for label in ("2024-25", "2025-26", "2026-27", "2027-28")}
    return {"categories": bands, "schools": schools, "years": years}


def _official(district, label, text, *, day=None):
    report = enrollment_import(
        actor=None,
        school_year=district["years"][label],
        kind=SnapshotKind.OFFICIAL,
        as_of=day or datetime.date(int(label[:4]), 10, 1),
        text=HEADER + text,
    )
    assert report.ok, report.errors
    return report.snapshot


def _counts(snapshot):
    return {
        (school, category): students
        for school, category, students in snapshot.counts.values_list("school__code", "category__code", "students")
    }


SPRING = datetime.date(2027, 3, 1)


def test_the_projection_is_written_as_a_projected_snapshot(district, make_member):
    _official(district, "2024-25", "S0001,k5,300\nS0001,g68,200\n")
    _official(district, "2025-26", "S0001,k5,310\nS0001,g68,270\nS0002,g68,100\n")
    # A first count of 2026-27 that a later one of the same year replaces as the one projected from.
    _official(district, "2026-27", "S0001,k5,1\nS0002,g68,1\n", day=datetime.date(2026, 9, 1))
    _official(district, "2026-27", "S0001,k5,320\nS0001,g68,290\nS0001,poverty,122\nS0002,g68,110\nS0002,ell,11\n")
    finance = make_member(Role.REVIEWER, function="finance")
    report = enrollment_project(actor=finance, school_year=district["years"]["2027-28"], as_of=SPRING)
    snapshot = report.snapshot
    assert report.ok and report.outcome == "created" and (report.schools, report.students) == (2, 709)
    assert (snapshot.kind, snapshot.source, snapshot.as_of) == (
        SnapshotKind.PROJECTED,
        SnapshotSource.PROJECTION,
        SPRING,
    )
    assert snapshot.label == "Projected from official counts of 2026-27, 2025-26, 2024-25"
    assert _counts(snapshot) == {
        ("S0001", "k5"): 310,
        ("S0001", "g68"): 294,
        ("S0001", "poverty"): 121,
        ("S0002", "g68"): 105,
        ("S0002", "ell"): 11,
    }
    again = enrollment_project(actor=finance, school_year=district["years"]["2027-28"], as_of=SPRING)
    assert again.no_changes and again.snapshot == snapshot and EnrollmentSnapshot.objects.count() == 5


def test_a_projection_needs_the_year_before_counted(district):
    _official(district, "2025-26", "S0001,k5,310\n")
    with pytest.raises(ApplicationError, match="no official count of 2026-27 to project 2027-28 from") as refused:
        enrollment_project(actor=None, school_year=district["years"]["2027-28"], as_of=SPRING)
    assert "school_year" in refused.value.fields
    with pytest.raises(ApplicationError, match="There is no school year before 2024-25 to project it from"):
        enrollment_project(actor=None, school_year=district["years"]["2024-25"], as_of=SPRING)
    assert not EnrollmentSnapshot.objects.filter(kind=SnapshotKind.PROJECTED).exists()


def test_a_projection_allocations_use_is_not_replaced(district, make_member):
    _official(district, "2026-27", "S0001,k5,320\n")
    projected = enrollment_project(actor=None, school_year=district["years"]["2027-28"], as_of=SPRING).snapshot
    formula = FormulaVersion.objects.create(school_year=district["years"]["2027-28"], number=1)
    AllocationSet.objects.create(formula=formula, snapshot=projected, computed_at=timezone.now())
    _official(district, "2026-27", "S0001,k5,330\n", day=datetime.date(2026, 11, 1))
    with pytest.raises(Conflict):
        enrollment_project(actor=None, school_year=district["years"]["2027-28"], as_of=SPRING)
    assert _counts(projected) == {("S0001", "k5"): 320}
    with pytest.raises(NotPermitted):
        enrollment_project(
            actor=make_member(Role.PRINCIPAL, school=district["schools"][0]),
            school_year=district["years"]["2027-28"],
            as_of=SPRING,
        )
