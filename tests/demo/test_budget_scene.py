"""The demo's money: what the budgeting pages are shown with is there, and is what it claims to be."""

import pytest
from django.core.management import call_command

from autonomy.models import AutonomyGrant, GrantStatus
from budgeting.models import (
    AllocationSet,
    BudgetCategory,
    BudgetPlan,
    FormulaStatus,
    FormulaVersion,
    PlanStatus,
    Scenario,
)
from budgeting.selectors_plans import plan_locks
from core.models import Notification
from metrics.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the seed commits; its grant hooks run after it
        call_command("seed_demo", "--schools", "12", "--years", "3", verbosity=0)


def test_both_years_have_a_published_formula_and_released_allocations_that_add_up(demo):
    assert FormulaVersion.objects.filter(status=FormulaStatus.PUBLISHED).count() == 2
    sets = list(AllocationSet.objects.order_by("formula__school_year__start_date"))
    assert [s.released_on is not None for s in sets] == [True, True]
    for allocation_set in sets:
        finals = sum(a.final_amount for a in allocation_set.allocations.all())
        assert finals == allocation_set.total and allocation_set.allocations.count() == 12
    next_year = FormulaVersion.objects.get(status=FormulaStatus.PUBLISHED, school_year=sets[1].formula.school_year)
    assert next_year.pool is not None and sets[1].total <= next_year.pool  # the base was solved from the pool
    assert Observation.objects.filter(metric__code="per_pupil_funding").count() == 24


def test_s0001s_plan_is_a_draft_with_a_locked_and_a_discretionary_category(demo):
    plan = BudgetPlan.objects.get(school__code="S0001")
    assert plan.status == PlanStatus.DRAFT
    locks = plan_locks(plan).values()
    assert any(lock.locked for lock in locks) and any(not lock.locked for lock in locks)
    assert Scenario.objects.filter(status="draft").count() == 1


def test_the_school_whose_salary_autonomy_was_revoked_has_its_salary_lines_relocked_and_was_told(demo):
    grant = AutonomyGrant.objects.get(school__code="S0002", autonomy__code="money.salary")
    assert grant.status == GrantStatus.REVOKED
    plan = BudgetPlan.objects.get(school__code="S0002")
    assert plan.events.filter(action="categories_locked", evidence__autonomy="money.salary").count() == 1
    salary = BudgetCategory.objects.get(autonomy=grant.autonomy)
    assert salary.code == "salary" and plan_locks(plan)[salary.pk].locked
    assert plan.positions.filter(job_type__category=salary, mandated=False).exists()  # the line it had added
    assert Notification.objects.filter(user__username="principal-s0002", title__contains="locked").count() == 1
