"""A small district's budget data for the plan tests: categories tied to the Money autonomies, a formula
source and Title I, job types, and a released allocation for a school (with poverty and disability lines
so that the plan is seeded with its mandated rows)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from autonomy.models import Autonomy
from budgeting.models import (
    AllocationLine,
    AllocationSet,
    BudgetCategory,
    CategoryKind,
    EnrollmentCategory,
    EnrollmentSnapshot,
    FormulaVersion,
    FundingSource,
    JobType,
    LineKind,
    SchoolAllocation,
    SetKind,
)
from tests.factories import SchoolYearFactory

CATEGORIES = [
    ("salary", "Salary", "money.salary"),
    ("operations", "Operations", "money.operations"),
    ("curriculum", "Curriculum", "money.curriculum_budget"),
    ("assessment", "Assessment", "money.curriculum_budget"),
    ("pd", "Professional development", "money.pd_budget"),
]


def budget_reference() -> dict:
    """Categories, sources and job types, created once per test database (get_or_create)."""
    categories = {}
    for order, (code, name, autonomy) in enumerate(CATEGORIES):
        categories[code], _ = BudgetCategory.objects.get_or_create(
            code=code,
            defaults={"name": name, "autonomy": Autonomy.objects.get(code=autonomy), "display_order": order},
        )
    formula, _ = FundingSource.objects.get_or_create(code="formula", defaults={"name": "Formula allocation"})
    title_i, _ = FundingSource.objects.get_or_create(code="title_i", defaults={"name": "Title I", "restricted": True})
    grant_source, _ = FundingSource.objects.get_or_create(code="local", defaults={"name": "Local grant"})
    jobs = {}
    for code, name, category, salary, actual in [
        ("principal", "Principal", "salary", "140000.00", False),
        ("teacher", "Teacher", "salary", "72500.00", False),
        ("coach", "Instructional coach", "pd", "80000.00", False),
        ("clerk", "School clerk", "operations", "45000.00", True),
    ]:
        jobs[code], _ = JobType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": categories[category],
                "average_salary": Decimal(salary),
                "actual_salary_allowed": actual,
            },
        )
    return {"categories": categories, "formula": formula, "title_i": title_i, "local": grant_source, "jobs": jobs}


def allocation_set(*, year=None, kind=SetKind.INITIAL, released=True, number=1) -> AllocationSet:
    year = year or SchoolYearFactory()
    formula, _ = FormulaVersion.objects.get_or_create(
        school_year=year, number=number, defaults={"status": "published", "base_per_pupil": Decimal("4000.00")}
    )
    snapshot = EnrollmentSnapshot.objects.create(
        school_year=year,
        kind="projected" if kind == SetKind.INITIAL else "official",
        as_of=datetime.date(2026, 3, 1) + datetime.timedelta(days=EnrollmentSnapshot.objects.count()),
        source="import",
    )
    return AllocationSet.objects.create(
        formula=formula,
        snapshot=snapshot,
        kind=kind,
        computed_at=timezone.now(),
        released_on=datetime.date(2026, 3, 15) + datetime.timedelta(days=AllocationSet.objects.count())
        if released
        else None,
        plans_due_on=datetime.date(2026, 5, 1),
    )


def school_allocation(school, *, final="1000000.00", poverty=100, sets=None) -> SchoolAllocation:
    """A released allocation for the school; its poverty and disability lines seed Title I and special
    education in the plan."""
    sets = sets or allocation_set()
    final = Decimal(final)
    allocation = SchoolAllocation.objects.create(
        allocation_set=sets,
        school=school,
        students=450,
        formula_amount=final,
        final_amount=final,
        per_pupil=(final / 450).quantize(Decimal("0.01")),
    )
    needs = {}
    for code, name in [("poverty", "Poverty"), ("disability", "Students with disabilities")]:
        needs[code], _ = EnrollmentCategory.objects.get_or_create(
            code=code, defaults={"name": name, "kind": CategoryKind.NEED}
        )
    AllocationLine.objects.create(
        allocation=allocation,
        position=1,
        kind=LineKind.WEIGHT,
        category=needs["poverty"],
        label="Poverty",
        basis=Decimal(poverty),
        weight=Decimal("0.12"),
        per_capita=Decimal("480.00"),
        amount=Decimal("480.00") * poverty,
    )
    AllocationLine.objects.create(
        allocation=allocation,
        position=2,
        kind=LineKind.WEIGHT,
        category=needs["disability"],
        label="Students with disabilities",
        basis=Decimal(20),
        weight=Decimal("1.5"),
        per_capita=Decimal("6000.00"),
        amount=Decimal("120000.00"),
    )
    return allocation


def plan_world(make_member, *, holds=("money.salary", "money.operations")) -> dict:
    """One school holding the given Money autonomies, its principal, team and liaison, finance, an admin,
    a second school with its own principal, and the first school's plan started against its allocation."""
    from budgeting.services.plans import plan_start
    from schools.models import Role
    from tests.factories import SchoolFactory, grant

    reference = budget_reference()
    liaison = make_member(Role.LIAISON)
    school, other = SchoolFactory(liaison=liaison), SchoolFactory()
    people = {
        "principal": make_member(Role.PRINCIPAL, school=school),
        "team": make_member(Role.SCHOOL_TEAM, school=school),
        "liaison": liaison,
        "finance": make_member(Role.REVIEWER, function="finance"),
        "hr": make_member(Role.REVIEWER, function="hr"),
        "admin": make_member(Role.ADMIN),
        "other_principal": make_member(Role.PRINCIPAL, school=other),
    }
    grants = {code: grant(school, code) for code in holds}
    sets = allocation_set()
    allocation = school_allocation(school, sets=sets)
    school_allocation(other, sets=sets)
    plan = plan_start(actor=people["principal"], school=school, school_year=sets.formula.school_year)
    return {
        **reference,
        "school": school,
        "other": other,
        "people": people,
        "grants": grants,
        "plan": plan,
        "allocation": allocation,
        "sets": sets,
    }
