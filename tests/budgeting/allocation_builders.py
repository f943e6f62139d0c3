"""A small district's published formula and enrollment for the allocation, release and scenario tests,
written as rows (as the formula pages would leave them), with figures simple enough to compute by hand:

- base $4,084.80 (NYC FY2019); grades K-5 × 1.00 and 6-8 × 1.08 (multipliers); poverty + 0.12 (add-on);
- foundation $300,000 for an elementary school, $350,000 for a middle school;
- a middle school of 412 students, 200 in poverty: 350,000 + 412 × 4,411.58 + 200 × 490.18 = $2,265,606.96.
"""

import datetime
from decimal import Decimal

from budgeting.models import (
    CategoryKind,
    EnrollmentCategory,
    EnrollmentCount,
    EnrollmentSnapshot,
    FormulaVersion,
    Foundation,
    Weight,
)
from schools.models import GradeBand
from tests.factories import SchoolFactory, SchoolYearFactory

BASE = Decimal("4084.80")
MIDDLE_412 = Decimal("2265606.96")


def categories() -> dict[str, EnrollmentCategory]:
    made = {}
    for order, (code, name, kind) in enumerate(
        [
            ("k5", "Grades K-5", CategoryKind.GRADE),
            ("g68", "Grades 6-8", CategoryKind.GRADE),
            ("poverty", "Students in poverty", CategoryKind.NEED),
            ("ell", "English learners", CategoryKind.NEED),
        ]
    ):
        made[code], _ = EnrollmentCategory.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "display_order": order}
        )
    return made


def year(label: str = "2026-27"):
    start = int(label[:4])
    return SchoolYearFactory(
        label=label,
        start_date=datetime.date(start, 7, 1),
        end_date=datetime.date(start + 1, 6, 30),
        first_day=datetime.date(start, 8, 17),
    )


def published_formula(
    *, school_year=None, number: int = 1, base: Decimal = BASE, poverty: str = "0.12", ell_multiplier: str = ""
):
    """`ell_multiplier`: English learners as a Boston-style total multiplier (none by default)."""
    school_year = school_year or year()
    made = categories()
    formula = FormulaVersion.objects.create(
        school_year=school_year, number=number, status="published", base_mode="entered", base_per_pupil=base
    )
    Foundation.objects.create(formula=formula, grade_band=GradeBand.ELEMENTARY, amount=Decimal("300000.00"))
    Foundation.objects.create(formula=formula, grade_band=GradeBand.MIDDLE, amount=Decimal("350000.00"))
    for code, convention, value in [
        ("k5", "multiplier", "1.00"),
        ("g68", "multiplier", "1.08"),
        ("poverty", "add_on", poverty),
        *([("ell", "multiplier", ell_multiplier)] if ell_multiplier else []),
    ]:
        Weight.objects.create(formula=formula, category=made[code], convention=convention, value=Decimal(value))
    return formula


def snapshot(*, school_year, counts: dict, kind: str = "projected", as_of=None) -> EnrollmentSnapshot:
    """`counts`: school → {category code: students}."""
    made = categories()
    taken = EnrollmentSnapshot.objects.filter(school_year=school_year).count()
    shot = EnrollmentSnapshot.objects.create(
        school_year=school_year,
        kind=kind,
        as_of=as_of or school_year.start_date - datetime.timedelta(days=120 - taken),
        source="import",
    )
    EnrollmentCount.objects.bulk_create(
        EnrollmentCount(snapshot=shot, school=school, category=made[code], students=students)
        for school, by_code in counts.items()
        for code, students in by_code.items()
    )
    return shot


def middle_school(**fields):
    return SchoolFactory(grade_band=GradeBand.MIDDLE, **fields)


def district(*, schools: int = 3, school_year=None) -> tuple[FormulaVersion, EnrollmentSnapshot, list]:
    """`schools` middle schools of 412 + 10·i students (200 in poverty), a published formula, a projection."""
    school_year = school_year or year()
    formula = published_formula(school_year=school_year)
    made = [middle_school() for _ in range(schools)]
    shot = snapshot(
        school_year=school_year, counts={s: {"g68": 412 + 10 * i, "poverty": 200} for i, s in enumerate(made)}
    )
    return formula, shot, made
