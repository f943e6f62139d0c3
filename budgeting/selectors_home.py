"""What the budget's landing page reads: for finance, where each part of the year's work stands; for
everyone else, the schools they see with their latest released allocation and their plan."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import CharField, DecimalField, OuterRef, QuerySet, Subquery

from budgeting.models import (
    AllocationSet,
    EnrollmentSnapshot,
    FormulaStatus,
    FormulaVersion,
    Scenario,
    ScenarioStatus,
)
from budgeting.policies import allocations_visible_to, plans_visible_to
from budgeting.selectors_plans import plans_to_review
from schools.models import School
from schools.policies import schools_visible_to


@dataclass(frozen=True)
class FinanceDesk:
    formulas: list[FormulaVersion]  # the latest version of each year, newest year first
    snapshots: int
    latest_set: AllocationSet | None
    scenarios_in_draft: int
    plans_to_review: int


def finance_desk(*, user: AbstractBaseUser) -> FinanceDesk:
    """Five queries, whatever the number of years, sets, scenarios and plans."""
    latest_by_year: dict[int, FormulaVersion] = {}
    for formula in FormulaVersion.objects.select_related("school_year").order_by("school_year__start_date", "number"):
        if formula.status != FormulaStatus.SUPERSEDED or formula.school_year_id not in latest_by_year:
            latest_by_year[formula.school_year_id] = formula
    return FinanceDesk(
        formulas=sorted(latest_by_year.values(), key=lambda f: f.school_year.start_date, reverse=True),
        snapshots=EnrollmentSnapshot.objects.count(),
        latest_set=AllocationSet.objects.select_related("formula__school_year").order_by("-computed_at").first(),
        scenarios_in_draft=Scenario.objects.filter(status=ScenarioStatus.DRAFT).count(),
        plans_to_review=plans_to_review(user).count(),
    )


def school_budgets(*, user: AbstractBaseUser) -> QuerySet[School]:
    """The schools the user sees, each annotated with its latest released allocation and its latest plan's
    status: one query for a page of schools, however many there are."""
    allocations = (
        allocations_visible_to(user)
        .filter(school=OuterRef("pk"), allocation_set__released_on__isnull=False)
        .order_by("-allocation_set__formula__school_year__start_date", "-allocation_set__released_on")
    )
    plans = plans_visible_to(user).filter(school=OuterRef("pk")).order_by("-school_year__start_date")
    money = DecimalField(max_digits=14, decimal_places=2)
    return (
        schools_visible_to(user)
        .annotate(
            allocation_final=Subquery(allocations.values("final_amount")[:1], output_field=money),
            allocation_per_pupil=Subquery(allocations.values("per_pupil")[:1], output_field=money),
            allocation_year=Subquery(
                allocations.values("allocation_set__formula__school_year__label")[:1], output_field=CharField()
            ),
            plan_status=Subquery(plans.values("status")[:1], output_field=CharField()),
        )
        .order_by("name", "pk")
    )
