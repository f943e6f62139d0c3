"""The seam between accountability and budgeting, end to end: the nightly evaluation carries out a
contract's rule that revokes the school's `money.salary` grant; the grant hook reaches budgeting after
commit; the plan's Salary category locks (the service refuses a change), the plan records it, and the
principal is told once. And the other way: a grant issued unlocks."""

import pytest
from django.utils import timezone

from accountability.services import evaluation_run
from autonomy.models import GrantStatus
from budgeting.models import PlanEvent
from budgeting.selectors_plans import plan_locks
from budgeting.services.plans import line_add, line_change
from contracts.models import Level
from contracts.services import contract_countersign, contract_create_from_template, contract_propose, contract_sign
from core.errors import ApplicationError
from core.models import Notification
from schools.models import Role
from tests.accountability.builders import AS_OF, ela_template, observe, school_years
from tests.budgeting.plan_builders import plan_world
from tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):
    """A school holding only `money.salary`, under an active contract whose one rule revokes its
    autonomy when ELA is missed, with a Salary line already in its plan; ELA is missed (40 < 50)."""
    world = plan_world(make_member, holds=("money.salary",))
    years = school_years()
    admin, principal = world["people"]["admin"], world["people"]["principal"]
    contract = contract_create_from_template(
        actor=admin,
        school=world["school"],
        template=ela_template(level=Level.REVOKED),
        term_start=years[1],
        term_end=years[2],
    )
    contract_propose(actor=admin, contract_id=contract.pk)
    contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
    contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery")
    observe(world["school"], "2025-26", 45)
    observe(world["school"], "2026-27", 40)
    world["line"] = line_add(
        actor=principal,
        plan_id=world["plan"].pk,
        category=world["categories"]["salary"],
        source=world["formula"],
        description="Substitute teachers",
        amount="12000",
    )
    return world


def _lock_notices(world):
    plan = world["plan"]
    return Notification.objects.filter(user=world["people"]["principal"], key__startswith=f"plan:{plan.pk}:event:")


def test_the_nightly_run_revokes_salary_and_the_plan_relocks(world, django_capture_on_commit_callbacks):
    salary, plan, principal = world["grants"]["money.salary"], world["plan"], world["people"]["principal"]
    assert not plan_locks(plan)[world["categories"]["salary"].pk].locked

    with django_capture_on_commit_callbacks(execute=True):
        evaluation_run(as_of=AS_OF)

    salary.refresh_from_db()
    assert salary.status == GrantStatus.REVOKED
    lock = plan_locks(plan)[world["categories"]["salary"].pk]
    assert lock.locked and lock.reason == "Locked: the school does not hold 'Set the salary budget line'."
    with pytest.raises(ApplicationError) as refused:
        line_change(
            actor=principal,
            line_id=world["line"].pk,
            category=world["categories"]["salary"],
            source=world["formula"],
            description="Substitute teachers",
            amount="1",
        )
    assert "line" in refused.value.fields
    (event,) = PlanEvent.objects.filter(plan=plan, action="categories_locked")
    assert event.evidence["autonomy"] == "money.salary" and event.evidence["grant"] == salary.pk
    assert event.reason.startswith(
        f"Your budget's Salary lines are locked from {timezone.localdate():%B %-d, %Y}: "
        "the district revoked 'Set the salary budget line'"
    )
    (notice,) = _lock_notices(world)
    assert notice.key == f"plan:{plan.pk}:event:{event.pk}" and notice.body == event.reason

    # The nightly run again the same day changes nothing: no second event, no second notice.
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_run(as_of=AS_OF)
    assert PlanEvent.objects.filter(plan=plan, action="categories_locked").count() == 1
    assert _lock_notices(world).count() == 1


def test_a_grant_issued_again_unlocks(world, django_capture_on_commit_callbacks, make_member):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_run(as_of=AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        grant(world["school"], "money.salary", actor=make_member(Role.ADMIN), starts_on=timezone.localdate())
    assert not plan_locks(world["plan"])[world["categories"]["salary"].pk].locked
    assert PlanEvent.objects.filter(plan=world["plan"], action="categories_unlocked").count() == 1
    assert _lock_notices(world).count() == 2
    line_change(
        actor=world["people"]["principal"],
        line_id=world["line"].pk,
        category=world["categories"]["salary"],
        source=world["formula"],
        description="Substitute teachers",
        amount="11000",
    )
