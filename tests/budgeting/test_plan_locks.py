"""Locks follow grants: derived in one selector, refused by every service that changes a row, recorded on
the plan and told to the principal once when a Money grant leaves or enters a held status."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from autonomy.services import grant_change
from budgeting.models import PlanEvent, PlanLine, Position
from budgeting.selectors_plans import plan_locks
from budgeting.services.plans import line_add, line_change, line_remove, position_add, position_change
from core.errors import ApplicationError
from core.models import Notification
from tests.budgeting.plan_builders import plan_world
from tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):
    return plan_world(make_member)


def test_a_category_is_open_while_the_school_holds_its_autonomy_and_locked_otherwise(world):
    locks = plan_locks(world["plan"])
    categories = world["categories"]
    assert not locks[categories["salary"].pk].locked
    assert not locks[categories["operations"].pk].locked
    assert locks[categories["curriculum"].pk].locked
    assert locks[categories["curriculum"].pk].reason == (
        "Locked: the school does not hold 'Control the curriculum and assessment budget'."
    )
    assert (
        locks[categories["pd"].pk].reason
        == "Locked: the school does not hold 'Control the professional-development budget'."
    )


def test_a_grant_that_has_not_started_does_not_open_its_category(world):
    grant(world["school"], "money.pd_budget", starts_on=timezone.localdate() + datetime.timedelta(days=1))
    assert plan_locks(world["plan"])[world["categories"]["pd"].pk].locked


def test_a_suspended_grant_locks_and_an_at_risk_one_does_not(world, django_capture_on_commit_callbacks):
    admin, salary = world["people"]["admin"], world["grants"]["money.salary"]
    with django_capture_on_commit_callbacks(execute=True):
        grant_change(actor=admin, grant_id=salary.pk, action="suspend", reason="Audit findings.")
    assert plan_locks(world["plan"])[world["categories"]["salary"].pk].locked
    with django_capture_on_commit_callbacks(execute=True):
        grant_change(
            actor=None,
            grant_id=world["grants"]["money.operations"].pk,
            action="put_at_risk",
            reason="Notice of concern.",
            at_risk_until=timezone.localdate() + datetime.timedelta(days=30),
        )
    assert not plan_locks(world["plan"])[world["categories"]["operations"].pk].locked
    assert list(PlanEvent.objects.filter(action__startswith="categories_").values_list("action", flat=True)) == [
        "categories_locked"
    ]


def test_rows_in_a_locked_category_are_refused_naming_the_field(world):
    principal, plan = world["people"]["principal"], world["plan"]
    curriculum, formula = world["categories"]["curriculum"], world["formula"]
    with pytest.raises(ApplicationError) as refused:
        line_add(actor=principal, plan_id=plan.pk, category=curriculum, source=formula, description="Books", amount="5")
    assert "category" in refused.value.fields and "does not hold" in refused.value.message
    with pytest.raises(ApplicationError) as refused:
        position_add(
            actor=principal,
            plan_id=plan.pk,
            job_type=world["jobs"]["coach"],
            fte="1",
            funding=[(formula, Decimal("1"))],
        )
    assert "job_type" in refused.value.fields
    assert not PlanLine.objects.filter(description="Books").exists()
    assert Position.objects.filter(plan=plan).count() == 1


def test_mandated_and_restricted_rows_are_always_locked(world):
    principal = world["people"]["principal"]
    special = PlanLine.objects.get(mandated=True, source=world["formula"])
    title_i = PlanLine.objects.get(source=world["title_i"])
    for line in (special, title_i):
        with pytest.raises(ApplicationError) as refused:
            line_remove(actor=principal, line_id=line.pk)
        assert "line" in refused.value.fields
        with pytest.raises(ApplicationError):
            line_change(
                actor=principal,
                line_id=line.pk,
                category=line.category,
                source=world["formula"],
                description="Mine now",
                amount="1",
            )
    head = Position.objects.get(mandated=True)
    with pytest.raises(ApplicationError) as refused:
        position_change(
            actor=principal,
            position_id=head.pk,
            job_type=head.job_type,
            fte="0.5",
            funding=[(world["formula"], Decimal("1"))],
        )
    assert "position" in refused.value.fields
    assert PlanLine.objects.filter(pk__in=[special.pk, title_i.pk], description__startswith="Mine").count() == 0


def test_revoking_a_money_grant_relocks_its_lines_records_it_and_tells_the_principal_once(
    world, django_capture_on_commit_callbacks
):
    principal, plan = world["people"]["principal"], world["plan"]
    line = line_add(
        actor=principal,
        plan_id=plan.pk,
        category=world["categories"]["salary"],
        source=world["formula"],
        description="Substitutes",
        amount="5000",
    )
    with django_capture_on_commit_callbacks(execute=True):
        grant_change(
            actor=world["people"]["admin"],
            grant_id=world["grants"]["money.salary"].pk,
            action="revoke",
            reason="Payroll overspent two years running.",
        )
    event = PlanEvent.objects.get(plan=plan, action="categories_locked")
    assert (event.from_status, event.to_status) == ("draft", "draft")
    assert event.evidence["categories"] == ["Salary"] and event.evidence["autonomy"] == "money.salary"
    today = timezone.localdate()
    expected = (
        f"Your budget's Salary lines are locked from {today:%B %-d, %Y}: the district revoked "
        "'Set the salary budget line' — Payroll overspent two years running."
    )
    assert event.reason == expected
    (notice,) = Notification.objects.filter(user=principal, key=f"plan:{plan.pk}:event:{event.pk}")
    assert notice.body == expected
    # the line stays as it was, but the school can no longer change it
    line.refresh_from_db()
    assert line.amount == Decimal("5000.00")
    with pytest.raises(ApplicationError) as refused:
        line_change(
            actor=principal,
            line_id=line.pk,
            category=line.category,
            source=world["formula"],
            description="Substitutes",
            amount="1",
        )
    assert "line" in refused.value.fields


def test_a_change_that_keeps_the_school_holding_writes_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grant_change(
            actor=world["people"]["admin"],
            grant_id=world["grants"]["money.salary"].pk,
            action="suspend",
            reason="Audit.",
        )
        grant_change(
            actor=world["people"]["admin"],
            grant_id=world["grants"]["money.salary"].pk,
            action="revoke",
            reason="Still.",
        )
    assert PlanEvent.objects.filter(action="categories_locked").count() == 1


def test_a_grant_issued_unlocks_its_categories(world, django_capture_on_commit_callbacks):
    principal, plan = world["people"]["principal"], world["plan"]
    with django_capture_on_commit_callbacks(execute=True):
        grant(world["school"], "money.pd_budget", starts_on=timezone.localdate())
    event = PlanEvent.objects.get(plan=plan, action="categories_unlocked")
    assert "Professional development lines are open to the school's decisions" in event.reason
    assert "the district granted 'Control the professional-development budget'" in event.reason
    assert Notification.objects.filter(user=principal, key=f"plan:{plan.pk}:event:{event.pk}").count() == 1
    line_add(
        actor=principal,
        plan_id=plan.pk,
        category=world["categories"]["pd"],
        source=world["formula"],
        description="Coaching institute",
        amount="2500",
    )


def test_a_non_money_grant_writes_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grant(world["school"], "people.hiring")
    assert not PlanEvent.objects.filter(action__startswith="categories_").exists()
