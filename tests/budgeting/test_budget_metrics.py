"""The figures budgeting writes for accountability arrive as observations a benchmark can read."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from budgeting.services.budget_metrics import allocation_metrics_record
from budgeting.services.plan_rows import line_add
from budgeting.services.plan_steps import plan_approve, plan_submit
from metrics.models import Observation
from tests.budgeting.plan_builders import plan_world

pytestmark = pytest.mark.django_db


def _value(school, code):
    return Observation.objects.get(school=school, metric__code=code).value


def test_a_submitted_plan_records_its_discretionary_share_and_days_late(make_member):
    world = plan_world(make_member)  # holds salary and operations; seeded with three locked rows
    principal, plan = world["people"]["principal"], world["plan"]
    line_add(
        actor=principal,
        plan_id=plan.pk,
        category=world["categories"]["operations"],
        source=world["formula"],
        description="Custodial supplies",
        amount=Decimal("30000"),
    )
    plan_submit(actor=principal, plan_id=plan.pk)
    plan.refresh_from_db()
    # Seeded: the principal ($140,000), special education ($120,000), Title I (100 × $500): all locked.
    assert _value(world["school"], "discretionary_share") == Decimal("8.8")  # 30,000 of 340,000
    late = (timezone.localdate() - datetime.date(2026, 5, 1)).days
    assert _value(world["school"], "budget_plan_days_late") == max(late, 0)
    assert Observation.objects.get(school=world["school"], metric__code="discretionary_share").period == (
        plan.school_year.label
    )
    plan_approve(actor=world["people"]["finance"], plan_id=plan.pk)
    assert _value(world["school"], "discretionary_share") == Decimal("8.8")


def test_a_released_allocation_records_funding_per_pupil_and_percent_of_formula(make_member):
    world = plan_world(make_member)
    allocation = world["allocation"]
    allocation.formula_amount = Decimal("1250000.00")  # a stop-loss school funded at 80% of its formula
    allocation.save()
    allocation_metrics_record(allocation_set=world["sets"])
    assert _value(world["school"], "per_pupil_funding") == allocation.per_pupil
    assert _value(world["school"], "percent_of_formula") == Decimal("80.0")
    assert _value(world["other"], "percent_of_formula") == Decimal("100.0")
