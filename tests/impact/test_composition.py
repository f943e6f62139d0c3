"""The composition check against a hand count: enrollment and need shares before the grant and in the
latest year held, from the official count where there is one."""

import datetime

import pytest

from budgeting.models import EnrollmentCategory, EnrollmentCount, EnrollmentSnapshot, SnapshotKind, SnapshotSource
from impact.selectors.composition import composition_check
from impact.selectors.panel import Selection
from tests.factories import SchoolFactory, SchoolYearFactory
from tests.impact.builders import granted

pytestmark = pytest.mark.django_db


def _year(start: int):
    return SchoolYearFactory(
        label=f"{start}-{(start + 1) % 100:02d}",
        start_date=datetime.date(start, 7, 1),
        end_date=datetime.date(start + 1, 6, 30),
        first_day=datetime.date(start, 8, 20),
    )


def _snapshot(year, kind, day):
    return EnrollmentSnapshot.objects.create(school_year=year, kind=kind, as_of=day, source=SnapshotSource.IMPORT)


def test_enrollment_and_need_shares_before_and_after_as_counted_by_hand(django_assert_num_queries):
    grade = EnrollmentCategory.objects.create(code="t-k5", name="K-5", kind="grade")
    poverty = EnrollmentCategory.objects.create(code="t-poverty", name="Poverty", kind="need")
    y2023, y2024, y2025 = _year(2023), _year(2024), _year(2025)
    official_2023 = _snapshot(y2023, SnapshotKind.OFFICIAL, datetime.date(2023, 10, 1))
    projected_2023 = _snapshot(y2023, SnapshotKind.PROJECTED, datetime.date(2024, 3, 1))  # later, not official
    official_2025 = _snapshot(y2025, SnapshotKind.OFFICIAL, datetime.date(2025, 10, 1))
    schools = [SchoolFactory() for _ in range(5)]
    for school in schools:
        granted(school, "program.offerings", starts_on=datetime.date(2024, 8, 1))
        for snapshot, students, poor in (
            (official_2023, 400, 100),
            (projected_2023, 999, 999),
            (official_2025, 500, 200),
        ):
            EnrollmentCount.objects.create(snapshot=snapshot, school=school, category=grade, students=students)
            EnrollmentCount.objects.create(snapshot=snapshot, school=school, category=poverty, students=poor)
    outsider = SchoolFactory()  # counted, never granted: not in the check
    EnrollmentCount.objects.create(snapshot=official_2025, school=outsider, category=grade, students=10)
    del y2024

    with django_assert_num_queries(2):
        check = composition_check(selection=Selection(autonomy="program.offerings"))
    assert check.enough and check.schools == 5
    assert (check.enrollment_before, check.enrollment_after) == (400, 500)
    assert [(n.name, n.before, n.after) for n in check.needs] == [("Poverty", 25.0, 40.0)]


def test_a_school_without_counts_before_the_grant_is_left_out():
    grade = EnrollmentCategory.objects.create(code="t-k5", name="K-5", kind="grade")
    official = _snapshot(_year(2025), SnapshotKind.OFFICIAL, datetime.date(2025, 10, 1))
    school = SchoolFactory()
    granted(school, "program.offerings", starts_on=datetime.date(2024, 8, 1))
    EnrollmentCount.objects.create(snapshot=official, school=school, category=grade, students=300)
    check = composition_check(selection=Selection(autonomy="program.offerings"))
    assert check.schools == 0 and not check.enough
