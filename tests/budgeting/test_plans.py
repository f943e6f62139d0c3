"""A school's budget plan: started from the released allocation with the district's rows, positions costed
at the average (or actual) salary and split across sources to the cent, lines by category, bad input
refused naming the field with nothing saved."""

from decimal import Decimal

import pytest

from budgeting.models import BudgetPlan, PlanLine, PlanStatus, Position, PositionFunding
from budgeting.selectors_plans import plan_figures
from budgeting.services.plans import (
    funding_split,
    line_add,
    line_change,
    line_remove,
    plan_start,
    plan_submit,
    position_add,
    position_change,
    position_remove,
)
from core.errors import ApplicationError, Conflict, NotFound, NotPermitted
from tests.budgeting.plan_builders import allocation_set, plan_world, school_allocation
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):
    return plan_world(make_member)


def test_a_started_plan_holds_the_districts_mandated_rows(world):
    plan = world["plan"]
    (principal,) = plan.positions.all()
    assert (principal.job_type.code, principal.fte, principal.cost, principal.mandated) == (
        "principal",
        Decimal("1.00"),
        Decimal("140000.00"),
        True,
    )
    assert [(f.source.code, f.share, f.amount) for f in principal.funding.all()] == [
        ("formula", Decimal("1.0000"), Decimal("140000.00"))
    ]
    lines = {line.description: line for line in plan.lines.all()}
    special = lines["Mandated special-education services"]
    assert (special.amount, special.source.code, special.category.code, special.mandated) == (
        Decimal("120000.00"),
        "formula",
        "salary",
        True,
    )
    title_i = lines["Title I: supplemental instruction"]
    assert (title_i.amount, title_i.source.restricted, title_i.mandated) == (Decimal("50000.00"), True, True)
    assert plan.status == PlanStatus.DRAFT and plan.due_on == world["sets"].plans_due_on
    assert plan.events.get().action == "start"


def test_a_plan_starts_only_from_a_released_allocation(make_member):
    from schools.models import Role

    school = SchoolFactory()
    principal = make_member(Role.PRINCIPAL, school=school)
    unreleased = allocation_set(released=False)
    school_allocation(school, sets=unreleased)
    with pytest.raises(ApplicationError) as refused:
        plan_start(actor=principal, school=school, school_year=unreleased.formula.school_year)
    assert "allocation" in refused.value.fields
    assert not BudgetPlan.objects.exists()


def test_a_plan_starts_once_and_only_by_the_principal(world):
    year = world["sets"].formula.school_year
    with pytest.raises(Conflict):
        plan_start(actor=world["people"]["principal"], school=world["school"], school_year=year)
    with pytest.raises(NotPermitted):
        plan_start(actor=world["people"]["team"], school=world["other"], school_year=year)
    with pytest.raises(NotPermitted):
        plan_start(actor=world["people"]["principal"], school=world["other"], school_year=year)
    assert BudgetPlan.objects.count() == 1


def test_the_plan_starts_on_the_latest_released_true_up(world, make_member):
    from schools.models import Role

    school = SchoolFactory()
    principal = make_member(Role.PRINCIPAL, school=school)
    school_allocation(school, sets=world["sets"], final="500000.00")
    true_up = allocation_set(year=world["sets"].formula.school_year, kind="true_up", number=1)
    later = school_allocation(school, sets=true_up, final="510000.00")
    plan = plan_start(actor=principal, school=school, school_year=true_up.formula.school_year)
    assert plan.allocation == later


def test_a_position_costs_fte_times_the_average_salary_split_to_the_cent(world):
    position = position_add(
        actor=world["people"]["principal"],
        plan_id=world["plan"].pk,
        job_type=world["jobs"]["teacher"],
        fte="0.5",
        funding=[(world["formula"], Decimal("0.3333")), (world["local"], Decimal("0.6667"))],
    )
    assert position.cost == Decimal("36250.00")
    amounts = [f.amount for f in position.funding.order_by("source__code")]
    assert amounts == [Decimal("12082.13"), Decimal("24167.87")]
    assert sum(amounts) == position.cost


def test_three_way_split_adds_to_the_cost_exactly():
    class Source:
        def __init__(self, pk):
            self.pk, self.name = pk, f"S{pk}"

    rows = funding_split(
        cost=Decimal("36250.00"),
        funding=[(Source(1), Decimal("0.3333")), (Source(2), Decimal("0.3333")), (Source(3), Decimal("0.3334"))],
    )
    assert [amount for _, _, amount in rows] == [Decimal("12082.13"), Decimal("12082.13"), Decimal("12085.74")]
    assert sum(amount for _, _, amount in rows) == Decimal("36250.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fte": "0"}, "fte"),
        ({"fte": "1.5"}, "fte"),
        ({"fte": "lots"}, "fte"),
        ({"fte": "0.333"}, "fte"),
        ({"actual_salary": "90000"}, "actual_salary"),
        ({"funding_shares": ("0.5", "0.4")}, "funding"),
        ({"funding_shares": ("1.2", "-0.2")}, "funding"),
        ({"title_i": True}, "funding"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_a_bad_position_is_refused_naming_the_field(world, changes, field):
    shares = changes.pop("funding_shares", ("0.5", "0.5"))
    second = world["title_i"] if changes.pop("title_i", False) else world["local"]
    arguments = {
        "actor": world["people"]["principal"],
        "plan_id": world["plan"].pk,
        "job_type": world["jobs"]["teacher"],
        "fte": "0.5",
        "funding": [(world["formula"], Decimal(shares[0])), (second, Decimal(shares[1]))],
        **changes,
    }
    before = Position.objects.count(), PositionFunding.objects.count()
    with pytest.raises(ApplicationError) as refused:
        position_add(**arguments)
    assert field in refused.value.fields
    assert (Position.objects.count(), PositionFunding.objects.count()) == before


def test_an_actual_salary_is_used_where_the_job_type_allows_it(world):
    world["grants"]  # the school holds money.operations: the clerk's category is open
    position = position_add(
        actor=world["people"]["principal"],
        plan_id=world["plan"].pk,
        job_type=world["jobs"]["clerk"],
        fte="0.5",
        actual_salary="50000.01",
        funding=[(world["formula"], Decimal("1"))],
    )
    assert position.cost == Decimal("25000.01")  # 25,000.005 rounded half up


def test_a_position_is_changed_and_removed(world):
    principal = world["people"]["principal"]
    position = position_add(
        actor=principal,
        plan_id=world["plan"].pk,
        job_type=world["jobs"]["teacher"],
        fte="1",
        funding=[(world["formula"], Decimal("1"))],
    )
    position_change(
        actor=principal,
        position_id=position.pk,
        job_type=world["jobs"]["teacher"],
        fte="0.8",
        title="Grade 3 teacher",
        funding=[(world["formula"], Decimal("0.5")), (world["local"], Decimal("0.5"))],
    )
    position.refresh_from_db()
    assert (position.cost, position.title, position.funding.count()) == (Decimal("58000.00"), "Grade 3 teacher", 2)
    position_remove(actor=principal, position_id=position.pk)
    assert not Position.objects.filter(pk=position.pk).exists()


def test_lines_are_added_changed_and_removed_with_bad_input_refused(world):
    principal, plan = world["people"]["principal"], world["plan"]
    salary, operations, formula = world["categories"]["salary"], world["categories"]["operations"], world["formula"]
    line = line_add(
        actor=principal, plan_id=plan.pk, category=operations, source=formula, description="Copier", amount="1200.50"
    )
    for bad, field in [
        ({"amount": "-1"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": "many"}, "amount"),
        ({"description": "  "}, "description"),
        ({"source": world["title_i"]}, "source"),
    ]:
        arguments = {"category": operations, "source": formula, "description": "Copier", "amount": "10", **bad}
        with pytest.raises(ApplicationError) as refused:
            line_change(actor=principal, line_id=line.pk, **arguments)
        assert field in refused.value.fields
    line.refresh_from_db()
    assert (line.amount, line.description) == (Decimal("1200.50"), "Copier")
    line_change(
        actor=principal, line_id=line.pk, category=salary, source=formula, description="Substitutes", amount="900"
    )
    line.refresh_from_db()
    assert (line.category, line.amount) == (salary, Decimal("900.00"))
    line_remove(actor=principal, line_id=line.pk)
    assert not PlanLine.objects.filter(pk=line.pk).exists()


def test_another_schools_principal_is_told_the_plan_does_not_exist(world):
    line = line_add(
        actor=world["people"]["principal"],
        plan_id=world["plan"].pk,
        category=world["categories"]["operations"],
        source=world["formula"],
        description="Paper",
        amount="100",
    )
    other = world["people"]["other_principal"]
    with pytest.raises(NotFound):
        line_remove(actor=other, line_id=line.pk)
    with pytest.raises(NotFound):
        line_add(
            actor=other,
            plan_id=world["plan"].pk,
            category=world["categories"]["operations"],
            source=world["formula"],
            description="Paper",
            amount="1",
        )
    assert PlanLine.objects.filter(pk=line.pk).exists()


def test_a_submitted_plan_is_not_open_for_changes_and_the_team_never_writes(world):
    plan = world["plan"]
    arguments = {
        "plan_id": plan.pk,
        "category": world["categories"]["operations"],
        "source": world["formula"],
        "description": "Paper",
        "amount": "1",
    }
    with pytest.raises(NotPermitted):
        line_add(actor=world["people"]["team"], **arguments)
    plan_submit(actor=world["people"]["principal"], plan_id=plan.pk)
    with pytest.raises(Conflict) as refused:  # the principal's to change, but not now: 409, reload
        line_add(actor=world["people"]["principal"], **arguments)
    assert "submitted" in refused.value.message


def test_the_figures_add_up_by_source_and_category(world):
    line_add(
        actor=world["people"]["principal"],
        plan_id=world["plan"].pk,
        category=world["categories"]["operations"],
        source=world["formula"],
        description="Paper",
        amount="999.99",
    )
    figures = plan_figures(world["plan"])
    assert figures.formula_total == Decimal("140000.00") + Decimal("120000.00") + Decimal("999.99")
    assert figures.remaining == Decimal("1000000.00") - figures.formula_total
    assert sum(group.total for group in figures.groups) == figures.total == figures.formula_total + Decimal("50000.00")
    assert figures.balanced
