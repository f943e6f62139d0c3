"""The plan workflow, walked row by row: every (state, action, actor) either takes the table's step or is
refused (a step not open now is a conflict; a person who may never take it is not permitted). Then the
rules around the steps: an unbalanced plan is not submitted, each submission is a version, and a true-up
returns a plan that no longer fits with a due date two weeks out."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from budgeting.models import BudgetPlan, PlanEvent, PlanLine, PlanStatus, PlanVersion
from budgeting.selectors_plans import plan_version_diff
from budgeting.services.plans import (
    PLAN_STEPS,
    line_add,
    plan_approve,
    plan_return,
    plan_submit,
    plans_true_up,
)
from budgeting.workflows import PLAN_WORKFLOW
from core.errors import ApplicationError, Conflict, NotPermitted
from core.models import Notification
from core.workflows import Actor
from tests.budgeting.plan_builders import allocation_set, plan_world, school_allocation

pytestmark = pytest.mark.django_db

# Who each actor kind is, among the people of plan_world (None: the nightly job).
PEOPLE = ["principal", "team", "liaison", "finance", "hr", "admin", "other_principal", None]
MAY = {
    Actor.PRINCIPAL: {"principal"},
    Actor.REVIEWER: {"finance", "admin"},
    Actor.RULE: {"admin", None},
}


@pytest.fixture
def world(make_member):
    return plan_world(make_member)


def _take(world, action, actor):
    plan = world["plan"]
    if action == "submit":
        return plan_submit(actor=actor, plan_id=plan.pk)
    if action == "return":
        return plan_return(actor=actor, plan_id=plan.pk, note="Please change it.")
    if action == "approve":
        return plan_approve(actor=actor, plan_id=plan.pk)
    return PLAN_STEPS.apply(pk=plan.pk, actor=actor, action=action, reason="By the rule.")


@pytest.mark.parametrize("state", PlanStatus.values)
@pytest.mark.parametrize("action", PLAN_WORKFLOW.actions)
def test_every_state_action_and_actor(world, state, action):
    BudgetPlan.objects.filter(pk=world["plan"].pk).update(status=state)
    step = PLAN_WORKFLOW.step(state, action)
    kinds = PLAN_WORKFLOW.actors_of(action)
    for who in PEOPLE:
        actor = world["people"][who] if who else None
        ever = any(who in MAY[kind] for kind in kinds)
        events = PlanEvent.objects.count()
        if step is not None and who in MAY[step.who]:
            _take(world, action, actor)
            world["plan"].refresh_from_db()
            assert world["plan"].status == step.target, (state, action, who)
            assert PlanEvent.objects.count() == events + 1
            BudgetPlan.objects.filter(pk=world["plan"].pk).update(status=state)
            continue
        expected = Conflict if ever and step is None else NotPermitted
        with pytest.raises(expected):
            _take(world, action, actor)
        assert PlanEvent.objects.count() == events, (state, action, who)
        world["plan"].refresh_from_db()
        assert world["plan"].status == state


def test_the_walk_covers_every_row_of_the_table():
    assert {t.who for t in PLAN_WORKFLOW.transitions} <= set(MAY)
    assert len(PLAN_WORKFLOW.transitions) == 6


def test_finance_at_the_school_cannot_review_its_plan(world, make_member):
    from schools.models import Membership, Role

    finance = world["people"]["finance"]
    Membership.objects.create(user=finance, role=Role.SCHOOL_TEAM, school=world["school"])
    plan_submit(actor=world["people"]["principal"], plan_id=world["plan"].pk)
    finance.refresh_from_db()
    with pytest.raises(NotPermitted) as refused:
        plan_approve(actor=type(finance).objects.get(pk=finance.pk), plan_id=world["plan"].pk)
    assert "You work at this school" in refused.value.message


def test_an_unbalanced_plan_is_refused_with_both_figures(world):
    principal, plan = world["people"]["principal"], world["plan"]
    line_add(
        actor=principal,
        plan_id=plan.pk,
        category=world["categories"]["operations"],
        source=world["formula"],
        description="Everything",
        amount="740000.01",
    )
    with pytest.raises(ApplicationError) as refused:
        plan_submit(actor=principal, plan_id=plan.pk)
    assert refused.value.message == (
        "The plan spends $1,000,000.01 of formula money but the allocation is $1,000,000.00: take out $0.01."
    )
    assert "balance" in refused.value.fields
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not PlanVersion.objects.exists()


def test_each_submission_is_a_version_and_the_diff_says_what_changed(world):
    principal, plan = world["people"]["principal"], world["plan"]
    plan_submit(actor=principal, plan_id=plan.pk)
    plan_return(actor=world["people"]["finance"], plan_id=plan.pk, note="Add supplies.")
    line_add(
        actor=principal,
        plan_id=plan.pk,
        category=world["categories"]["operations"],
        source=world["formula"],
        description="Supplies",
        amount="10",
    )
    plan_submit(actor=principal, plan_id=plan.pk)
    first, second = PlanVersion.objects.filter(plan=plan).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert second.total - first.total == Decimal("10.00")
    (row,) = plan_version_diff(first, second)
    assert (row.change, row.label, row.before, row.after) == ("added", "Supplies", None, Decimal("10.00"))


def test_returning_needs_a_note(world):
    plan_submit(actor=world["people"]["principal"], plan_id=world["plan"].pk)
    with pytest.raises(ApplicationError) as refused:
        plan_return(actor=world["people"]["finance"], plan_id=world["plan"].pk, note="  ")
    assert "note" in refused.value.fields


def test_acting_on_a_status_that_moved_is_a_conflict(world):
    plan_submit(actor=world["people"]["principal"], plan_id=world["plan"].pk)
    plan_approve(actor=world["people"]["finance"], plan_id=world["plan"].pk, expected_status="submitted")
    with pytest.raises(Conflict):
        plan_return(actor=world["people"]["admin"], plan_id=world["plan"].pk, note="No.", expected_status="submitted")


def _true_up(world, final):
    sets = allocation_set(year=world["sets"].formula.school_year, kind="true_up")
    new = school_allocation(world["school"], sets=sets, final=final)
    return sets, new


def test_a_true_up_returns_an_approved_plan_that_no_longer_fits(world):
    principal, plan = world["people"]["principal"], world["plan"]
    plan_submit(actor=principal, plan_id=plan.pk)
    plan_approve(actor=world["people"]["finance"], plan_id=plan.pk)
    sets, new = _true_up(world, "250000.00")  # below the plan's $260,000.00 of formula money
    today = timezone.localdate()
    assert plans_true_up(allocation_set=sets) == {"returned": 1, "moved": 0}
    plan.refresh_from_db()
    due = today + datetime.timedelta(days=14)
    assert (plan.status, plan.allocation, plan.due_on) == (PlanStatus.RETURNED, new, due)
    event = plan.events.get(action="true_up_return")
    assert "from $1,000,000.00 to $250,000.00" in event.reason and "$260,000.00" in event.reason
    assert f"Revise it by {due:%B %-d, %Y}" in event.reason
    assert Notification.objects.filter(user=principal, key=f"plan:{plan.pk}:event:{event.pk}").count() == 1
    assert plans_true_up(allocation_set=sets) == {"returned": 0, "moved": 0}  # a second run finds nothing


def test_a_true_up_moves_a_plan_that_still_fits(world):
    plan = world["plan"]
    plan_submit(actor=world["people"]["principal"], plan_id=plan.pk)
    sets, new = _true_up(world, "900000.00")
    assert plans_true_up(allocation_set=sets) == {"returned": 0, "moved": 1}
    plan.refresh_from_db()
    assert (plan.status, plan.allocation) == (PlanStatus.SUBMITTED, new)
    event = plan.events.get(action="allocation_changed")
    assert (event.from_status, event.to_status) == ("submitted", "submitted")
    assert event.reason.endswith("It still fits.")


def test_restricted_money_above_what_the_district_set_is_refused(world):
    """No school path adds restricted money (tested in test_plan_locks); a row changed behind the services'
    back (an unmandated Title I line) is still caught at submission, with both figures."""
    PlanLine.objects.create(
        plan=world["plan"],
        category=world["categories"]["curriculum"],
        source=world["title_i"],
        description="Extra tutoring",
        amount=Decimal("100.00"),
    )
    with pytest.raises(ApplicationError) as refused:
        plan_submit(actor=world["people"]["principal"], plan_id=world["plan"].pk)
    assert refused.value.message == "The plan spends $50,100.00 of Title I; the district set $50,000.00."
