"""Who may do what with the district's money: one place, asked by pages, the API and the services.

Finance is the district's finance office: a reviewer whose function is finance, or the autonomy office
(admins). Finance writes the formula, imports enrollment, runs scenarios, releases allocations and
reviews plans. A principal builds their own school's plan; the school team and the liaison read it.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from budgeting.models import AllocationSet, BudgetPlan, PlanStatus, SchoolAllocation
from core.policies import ALLOW, Decision, conflict, deny
from core.workflows import Actor
from schools.models import ReviewFunction, Role
from schools.policies import acts_at_school_as, roles_of, schools_visible_to


def is_finance(user: AbstractBaseUser) -> bool:
    roles = roles_of(user)
    return roles.is_admin or (Role.REVIEWER in roles.district and ReviewFunction.FINANCE in roles.functions)


def can_manage_budgeting(user: AbstractBaseUser) -> Decision:
    """Formulas, enrollment, scenarios, allocations and their release."""
    return ALLOW if is_finance(user) else deny("Only the finance office manages the funding formula.")


def allocation_sets_visible_to(user: AbstractBaseUser) -> QuerySet[AllocationSet]:
    """Finance sees every set, computed or released; everyone else only what has been released."""
    sets = AllocationSet.objects.all()
    return sets if is_finance(user) else sets.filter(released_on__isnull=False)


def allocations_visible_to(user: AbstractBaseUser) -> QuerySet[SchoolAllocation]:
    """A school's allocation is seen by whoever sees the school, once released (finance: always)."""
    allocations = SchoolAllocation.objects.filter(school__in=schools_visible_to(user))
    if is_finance(user):
        return allocations
    return allocations.filter(allocation_set__released_on__isnull=False)


def plans_visible_to(user: AbstractBaseUser) -> QuerySet[BudgetPlan]:
    """Whoever sees a school sees its plan; central office sees a draft only once it has been submitted."""
    plans = BudgetPlan.objects.filter(school__in=schools_visible_to(user))
    roles = roles_of(user)
    if roles.is_central_office and not is_finance(user):
        return plans.exclude(status=PlanStatus.DRAFT, submitted_at__isnull=True)
    return plans


def plan_acts_as(user: AbstractBaseUser, plan: BudgetPlan, who: Actor) -> Decision:
    """The kernel's question for the plan workflow: the principal builds and submits; finance reviews."""
    if who == Actor.REVIEWER:
        if plan.school_id in roles_of(user).school_ids:
            return deny("You work at this school, so you cannot review its budget plan.")
        return ALLOW if is_finance(user) else deny("Only the finance office reviews budget plans.")
    return acts_at_school_as(user, school_id=plan.school_id, who=who)


def can_edit_plan(user: AbstractBaseUser, plan: BudgetPlan) -> Decision:
    """Only the school's principal changes its plan (else 403), and only while it is open (else 409)."""
    if not (decision := acts_at_school_as(user, school_id=plan.school_id, who=Actor.PRINCIPAL)):
        return decision
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        return conflict(f"This plan is {plan.get_status_display().lower()}: it is not open for changes.")
    return ALLOW
