"""The demo's money, told through budgeting's services: enrollment counted for three years and projected
for the next, a formula modelled on New York City's Fair Student Funding (grade weights as multipliers, need
weights as add-ons on a $4,084.80 base) for this year and the district's own pool for next year, both
years' allocations released, a what-if in draft, and two school budget plans — S0001's in draft with a
locked and a discretionary category, and one whose Money autonomy the district revoked, its lines relocked.
"""

import random
from decimal import Decimal

from autonomy.models import Autonomy, AutonomyGrant, GrantStatus
from autonomy.services import grant_change, grants_issue
from budgeting.models import (
    BudgetCategory,
    CategoryKind,
    EnrollmentCategory,
    EnrollmentSnapshot,
    FundingSource,
    JobType,
    SnapshotKind,
)
from budgeting.services.allocations import allocation_set_compute, allocation_set_release
from budgeting.services.enrollment import enrollment_import, enrollment_project
from budgeting.services.formula import formula_draft_create, formula_publish
from budgeting.services.formula_edits import (
    formula_base_update,
    formula_concentration_update,
    formula_foundations_update,
    formula_small_school_update,
    formula_transition_update,
    formula_weights_update,
)
from budgeting.services.plan_rows import line_add, position_add
from budgeting.services.plan_seed import plan_start
from budgeting.services.scenarios import scenario_create
from demo.services.builder import DistrictBuilder, principals_of
from schools.models import GradeBand, School, SchoolYear

D = Decimal
# (code, name, kind): grade bands partition a school's students; needs overlap.
ENROLLMENT_CATEGORIES = [
    ("grades_k5", "Grades K-5", CategoryKind.GRADE),
    ("grades_6_8", "Grades 6-8", CategoryKind.GRADE),
    ("grades_9_12", "Grades 9-12", CategoryKind.GRADE),
    ("poverty", "Students in poverty", CategoryKind.NEED),
    ("english_learner", "English learners", CategoryKind.NEED),
    ("disability", "Students with disabilities", CategoryKind.NEED),
]
BANDS_OF_TYPE = {
    GradeBand.ELEMENTARY: {"grades_k5": 1},
    GradeBand.MIDDLE: {"grades_6_8": 1},
    GradeBand.HIGH: {"grades_9_12": 1},
    GradeBand.K8: {"grades_k5": 2 / 3, "grades_6_8": 1 / 3},
}
# (code, share of the school's students: low, high)
NEED_SHARES = [("poverty", (0.25, 0.85)), ("english_learner", (0.05, 0.30)), ("disability", (0.10, 0.18))]

# Fair Student Funding, FY2019: grade weights are multipliers, need weights add-ons, on a $4,084.80 base.
BASE_THIS_YEAR = D("4084.80")
WEIGHTS = {
    "grades_k5": ("multiplier", D("1.00")),
    "grades_6_8": ("multiplier", D("1.08")),
    "grades_9_12": ("multiplier", D("1.03")),
    "poverty": ("add_on", D("0.12")),
    "english_learner": ("add_on", D("0.40")),
    "disability": ("add_on", D("0.56")),
}
FOUNDATIONS = {
    GradeBand.ELEMENTARY: D("225000"),
    GradeBand.MIDDLE: D("250000"),
    GradeBand.HIGH: D("300000"),
    GradeBand.K8: D("250000"),
}
# Houston's small-school rule: below the threshold, $1,000 a missing student, at most 5% of the formula.
SMALL_SCHOOL = dict(rate=D("1000"), cap_share=D("0.05"))
SMALL_SCHOOL_THRESHOLDS = {GradeBand.ELEMENTARY: 350, GradeBand.MIDDLE: 500, GradeBand.HIGH: 900, GradeBand.K8: 400}
# Schools where most students are poor get up to 10% more for each of them.
CONCENTRATION = {"poverty": (D("0.40"), D("0.80"), D("0.10"))}
# Next year the district shares a fixed pool, 2% larger, and no school loses more than 5% of this year's amount.
POOL_GROWTH = D("1.02")
STOP_LOSS = D("0.05")

# (code, name, Money autonomy that lets the school decide it)
BUDGET_CATEGORIES = [
    ("salary", "Salaries and positions", "money.salary"),
    ("operations", "Operations and services", "money.operations"),
    ("curriculum", "Curriculum and materials", "money.curriculum_budget"),
    ("assessment", "Assessment", "money.curriculum_budget"),
    ("professional_development", "Professional development", "money.pd_budget"),
    ("school_directed", "School-directed funds", "money.budget"),
]
FUNDING_SOURCES = [("formula", "Formula allocation", False), ("title_i", "Title I", True)]
# (code, name, district average salary with benefits)
JOB_TYPES = [
    ("principal", "Principal", D("142000")),
    ("assistant_principal", "Assistant principal", D("118000")),
    ("teacher", "Teacher", D("86500")),
    ("counselor", "School counselor", D("89000")),
    ("paraprofessional", "Paraprofessional", D("41000")),
    ("office_manager", "Office manager", D("58000")),
]

FIRST_PLAN_SCHOOL = 0  # S0001: its principal's plan, in draft
RELOCKED_SCHOOL = 1  # S0002: held control of its salary lines until the district revoked it


def budget_scene(district: DistrictBuilder, *, seed: int) -> None:
    """Everything the budgeting pages show, from counts to plans (after the grants, before the contracts)."""
    rng = random.Random(seed * 7 + 14)  # its own stream: the rest of the demo is the same with or without it
    finance = district.staff["reviewer-finance"]
    _reference_data()
    this_year, next_year = district.years[-1], district.future_years[0]
    official = _enrollment(district, rng=rng)
    projected = enrollment_project(
        actor=None, school_year=next_year, as_of=this_year.start_date.replace(month=11, day=16)
    )
    formula = _this_years_formula(finance, this_year)
    current = allocation_set_compute(actor=finance, formula=formula, snapshot=official)
    released = this_year.start_date.replace(year=this_year.start_date.year - 1, month=3, day=2)
    current = allocation_set_release(
        actor=finance,
        allocation_set=current,
        released_on=released,
        staffing_deadline=released.replace(month=4, day=17),
        plans_due_on=released.replace(month=3, day=27),
    )
    upcoming = _next_years_formula(finance, next_year, copy_from=formula, pool=current.total * POOL_GROWTH)
    coming = allocation_set_compute(actor=finance, formula=upcoming, snapshot=projected.snapshot)
    release_day = this_year.start_date.replace(month=12, day=1)
    coming = allocation_set_release(
        actor=finance,
        allocation_set=coming,
        released_on=release_day,
        staffing_deadline=release_day.replace(year=release_day.year + 1, month=2, day=26),
        plans_due_on=release_day.replace(year=release_day.year + 1, month=2, day=5),
    )
    scenario_create(
        actor=finance,
        name="Raise the poverty weight to 0.15",
        formula=upcoming,
        snapshot=projected.snapshot,
        changes={"weights": {"poverty": "0.15"}},
        notes="Asked by the board's equity committee: who gains, who pays for it within the same pool.",
    )
    _plans(district, next_year)


def _reference_data() -> None:
    EnrollmentCategory.objects.bulk_create(
        EnrollmentCategory(code=code, name=name, kind=kind, display_order=order)
        for order, (code, name, kind) in enumerate(ENROLLMENT_CATEGORIES)
    )
    autonomies = {a.code: a for a in Autonomy.objects.filter(code__startswith="money.")}
    categories = BudgetCategory.objects.bulk_create(
        BudgetCategory(code=code, name=name, autonomy=autonomies.get(autonomy), display_order=order)
        for order, (code, name, autonomy) in enumerate(BUDGET_CATEGORIES)
    )
    FundingSource.objects.bulk_create(
        FundingSource(code=code, name=name, restricted=restricted) for code, name, restricted in FUNDING_SOURCES
    )
    salary = next(c for c in categories if c.code == "salary")
    JobType.objects.bulk_create(
        JobType(code=code, name=name, category=salary, average_salary=pay) for code, name, pay in JOB_TYPES
    )


def _counts_of(school: School, students: int, rng: random.Random) -> list[dict]:
    rows = []
    bands = BANDS_OF_TYPE[school.grade_band]
    left = students
    for position, (code, share) in enumerate(bands.items()):
        count = left if position == len(bands) - 1 else round(students * share)
        left -= count
        rows.append({"school": school.code, "category": code, "students": count})
    for code, (low, high) in NEED_SHARES:
        rows.append({"school": school.code, "category": code, "students": round(students * rng.uniform(low, high))})
    return rows


def _enrollment(district: DistrictBuilder, *, rng: random.Random) -> EnrollmentSnapshot:
    """Official October counts of the last three years, ending with each school's enrollment this year;
    returns this year's."""
    years = district.years[-3:]
    shifts = {school.pk: rng.uniform(-0.04, 0.04) for school in district.schools}
    snapshot = None
    for back, year in enumerate(reversed(years)):
        rows = []
        for school in district.schools:
            if year.start_date.year < (school.opened_year or 0):
                continue
            students = max(40, round(school.enrollment * (1 - shifts[school.pk]) ** back))
            rows += _counts_of(school, students, rng)
        report = enrollment_import(
            actor=None,
            school_year=year,
            kind=SnapshotKind.OFFICIAL,
            as_of=year.start_date.replace(month=10, day=1),
            rows=rows,
            label=f"October count {year.label}",
        )
        if not report.ok:
            raise RuntimeError(f"The demo's enrollment was refused: {report.errors[:3]}")
        if back == 0:
            snapshot = report.snapshot
    return snapshot


def _formula_parts(finance, formula_id: int) -> None:
    formula_foundations_update(actor=finance, formula_id=formula_id, foundations=FOUNDATIONS)
    formula_weights_update(actor=finance, formula_id=formula_id, weights=WEIGHTS)
    formula_concentration_update(actor=finance, formula_id=formula_id, curves=CONCENTRATION)
    formula_small_school_update(
        actor=finance, formula_id=formula_id, thresholds=SMALL_SCHOOL_THRESHOLDS, **SMALL_SCHOOL
    )


def _this_years_formula(finance, year: SchoolYear):
    formula = formula_draft_create(actor=finance, school_year=year, name=f"Weighted student formula {year.label}")
    formula_base_update(
        actor=finance, formula_id=formula.pk, base_mode="entered", base_per_pupil=BASE_THIS_YEAR, pool=None
    )
    _formula_parts(finance, formula.pk)
    return formula_publish(actor=finance, formula_id=formula.pk, supersedes_id=None)


def _next_years_formula(finance, year: SchoolYear, *, copy_from, pool: Decimal):
    formula = formula_draft_create(
        actor=finance,
        school_year=year,
        copy_from=copy_from,
        name=f"Weighted student formula {year.label}",
        notes="The same weights as this year; the base is solved from next year's pool.",
    )
    formula_base_update(
        actor=finance, formula_id=formula.pk, base_mode="pool", base_per_pupil=None, pool=pool.quantize(D("1"))
    )
    formula_transition_update(actor=finance, formula_id=formula.pk, mode="stop_loss", stop_loss_share=STOP_LOSS)
    return formula_publish(actor=finance, formula_id=formula.pk, supersedes_id=None)


def _plans(district: DistrictBuilder, year: SchoolYear) -> None:
    """S0001 holds its PD budget but not its salary lines: one category open to it, one locked. S0002 held
    its salary lines; the district revokes them after an audit, and its plan's salary lines relock."""
    admin = district.staff["admin"]
    catalog = {a.code: a for a in Autonomy.objects.filter(code__in=["money.salary", "money.pd_budget"])}
    first, relocked = district.schools[FIRST_PLAN_SCHOOL], district.schools[RELOCKED_SCHOOL]
    for school, codes in ((first, ["money.pd_budget"]), (relocked, ["money.salary"])):
        held = set(
            AutonomyGrant.objects.filter(school=school, status__in=[GrantStatus.ACTIVE]).values_list(
                "autonomy__code", flat=True
            )
        )
        for code in codes:
            if code not in held:
                grants_issue(
                    schools=[school],
                    autonomy=catalog[code],
                    actor=admin,
                    reason="Earned in the district's budget-autonomy round.",
                    starts_on=district.years[-1].start_date,
                )
    principals = principals_of([first, relocked])
    teacher = JobType.objects.get(code="teacher")
    formula_source = FundingSource.objects.get(code="formula")
    pd = BudgetCategory.objects.get(code="professional_development")
    plan = plan_start(actor=principals[first.pk], school=first, school_year=year)
    line_add(
        actor=principals[first.pk],
        plan_id=plan.pk,
        category=pd,
        source=formula_source,
        description="Literacy coaching, two days a month",
        amount=D("24000"),
    )
    other = plan_start(actor=principals[relocked.pk], school=relocked, school_year=year)
    position_add(
        actor=principals[relocked.pk],
        plan_id=other.pk,
        job_type=teacher,
        fte=D("1"),
        title="Reading interventionist",
        funding=[(formula_source, D("1"))],
    )
    grant = AutonomyGrant.objects.get(school=relocked, autonomy=catalog["money.salary"], status=GrantStatus.ACTIVE)
    grant_change(
        actor=admin,
        grant_id=grant.pk,
        action="revoke",
        reason="The internal audit found positions moved between funding lines without the required approval.",
        evidence={"note": "Internal audit of November 2026, findings 3 and 4."},
    )
