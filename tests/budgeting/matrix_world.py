"""Budgeting's objects for the authorization matrix, added to its world on first use: a published formula,
an enrollment snapshot, a released allocation set with both schools' allocations, a what-if, and each
school's plan, submitted once (version 1) and returned for changes, so its principal may edit it again."""

from decimal import Decimal

from budgeting.models import Scenario
from budgeting.services.plan_rows import line_add
from budgeting.services.plans import plan_return, plan_start, plan_submit
from schools.models import Membership, Role
from tests.budgeting.plan_builders import allocation_set, budget_reference, school_allocation
from tests.factories import grant


def budget_world(world: dict) -> dict:
    if "budget" in world:
        return world["budget"]
    reference = budget_reference()
    for key in ("own", "other"):
        grant(world[key], "money.operations")  # the plan's supplies line is the school's to decide
    sets = allocation_set()
    year = sets.formula.school_year
    finance = world["users"][Role.REVIEWER]
    plans, lines = {}, {}
    for own in (True, False):
        school = world["own" if own else "other"]
        school_allocation(school, sets=sets)
        principal = Membership.objects.filter(role=Role.PRINCIPAL, school=school).first().user
        plan = plan_start(actor=principal, school=school, school_year=year)
        lines[own] = line_add(
            actor=principal,
            plan_id=plan.pk,
            category=reference["categories"]["operations"],
            source=reference["formula"],
            description="Supplies",
            amount=Decimal("1000"),
        )
        plan_submit(actor=principal, plan_id=plan.pk)
        plans[own] = plan_return(actor=finance, plan_id=plan.pk, note="Say more about the supplies.")
    scenario = Scenario.objects.create(
        name="What if", formula=sets.formula, snapshot=sets.snapshot, changes={}, created_by=finance
    )
    world["budget"] = {
        "formula": sets.formula,
        "snapshot": sets.snapshot,
        "set": sets,
        "scenario": scenario,
        "plans": plans,
        "lines": lines,
        "positions": {own: plans[own].positions.first() for own in (True, False)},
    }
    return world["budget"]
