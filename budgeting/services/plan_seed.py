"""Starting a school's budget plan from the released allocation, with the district's mandated rows.

Seeding rule (what the district fixes in every plan, locked for the school):
- the principal: one position of the job type coded `principal`, 1.0 FTE at its average salary, paid
  wholly from the formula;
- mandated special-education services: the formula's own amount for students counted in a need coded
  `disability` (its allocation lines), as one salary line from the formula — that money pays for the
  services the students' plans require, so the school cannot spend it elsewhere;
- Title I: for each restricted source coded `title_i`, TITLE_I_PER_STUDENT for every student counted in
  the need coded `poverty` (the allocation's basis), as one curriculum line. This is the district's whole
  restricted amount: a school never adds restricted money of its own, so "not more than the district set"
  is the seeded amount.
A seed whose job type, category, source or count does not exist in the district's data is skipped.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from budgeting.models import (
    AllocationLine,
    BudgetCategory,
    BudgetPlan,
    FundingSource,
    JobType,
    LineKind,
    PlanLine,
    Position,
    PositionFunding,
)
from budgeting.selectors_plans import allocation_current_for
from budgeting.services.plan_rows import PLAN_STEPS, cents, formula_source
from core.errors import ApplicationError, Conflict
from core.policies import require
from core.workflows import Actor
from schools.models import School, SchoolYear
from schools.policies import acts_at_school_as

TITLE_I_PER_STUDENT = Decimal("500.00")
PRINCIPAL_JOB = "principal"
SPECIAL_EDUCATION_NEED = "disability"
POVERTY_NEED = "poverty"
TITLE_I_SOURCE = "title_i"


# --- starting ----------------------------------------------------------------------------------------


def plan_start(*, actor: AbstractBaseUser, school: School, school_year: SchoolYear) -> BudgetPlan:
    """The principal starts the year's plan against the released allocation, seeded with the district's rows."""
    require(acts_at_school_as(actor, school_id=school.pk, who=Actor.PRINCIPAL))
    allocation = allocation_current_for(school=school, school_year=school_year)
    if allocation is None:
        raise ApplicationError(
            f"The district has not released {school.name}'s allocation for {school_year.label} yet.",
            fields={"allocation": ["Not released yet."]},
        )
    try:
        with transaction.atomic():
            plan = BudgetPlan.objects.create(
                school=school,
                school_year=school_year,
                allocation=allocation,
                due_on=allocation.allocation_set.plans_due_on,
            )
            seeded = _seed(plan)
            PLAN_STEPS.created(
                plan,
                actor=actor,
                action="start",
                reason=f"Started against an allocation of ${allocation.final_amount:,.2f}.",
                evidence={"allocation": allocation.pk, "seeded": seeded},
            ).save()
    except IntegrityError:
        raise Conflict(f"{school.name} already has a budget plan for {school_year.label}.") from None
    return plan


def _seed(plan: BudgetPlan) -> list[str]:
    """The district's mandated rows (see the module's docstring); returns what was seeded, in words."""
    formula = formula_source()
    seeded = []
    principal = JobType.objects.filter(code=PRINCIPAL_JOB).first()
    if principal is not None:
        position = Position.objects.create(
            plan=plan,
            job_type=principal,
            title=principal.name,
            fte=Decimal("1"),
            cost=cents(principal.average_salary),
            mandated=True,
        )
        PositionFunding.objects.create(position=position, source=formula, share=Decimal("1"), amount=position.cost)
        seeded.append(f"{principal.name}, 1 FTE")
    needs = dict(
        AllocationLine.objects.filter(
            allocation=plan.allocation, kind=LineKind.WEIGHT, category__code__in=[SPECIAL_EDUCATION_NEED, POVERTY_NEED]
        ).values_list("category__code", "amount")
    )
    bases = dict(
        AllocationLine.objects.filter(
            allocation=plan.allocation, kind=LineKind.WEIGHT, category__code=POVERTY_NEED
        ).values_list("category__code", "basis")
    )
    categories = {c.code: c for c in BudgetCategory.objects.filter(code__in=["salary", "curriculum"])}
    if needs.get(SPECIAL_EDUCATION_NEED) and "salary" in categories:
        PlanLine.objects.create(
            plan=plan,
            category=categories["salary"],
            source=formula,
            description="Mandated special-education services",
            amount=cents(needs[SPECIAL_EDUCATION_NEED]),
            mandated=True,
        )
        seeded.append("Mandated special-education services")
    title_i = FundingSource.objects.filter(code=TITLE_I_SOURCE, restricted=True).first()
    if title_i and bases.get(POVERTY_NEED) and "curriculum" in categories:
        PlanLine.objects.create(
            plan=plan,
            category=categories["curriculum"],
            source=title_i,
            description=f"{title_i.name}: supplemental instruction",
            amount=cents(bases[POVERTY_NEED] * TITLE_I_PER_STUDENT),
            mandated=True,
        )
        seeded.append(title_i.name)
    return seeded
