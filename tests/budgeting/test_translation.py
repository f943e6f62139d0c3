"""The budget pages a principal reads are in Spanish: the catalog is complete and compiled, and no English is
left on a Spanish page. Names the district typed (categories, job types, funding sources, autonomies, a
plan's lines, finance's note) are data, left out."""

import pytest
from django.urls import reverse

from autonomy.models import Autonomy
from budgeting.models import BudgetCategory, FundingSource, JobType
from budgeting.services.plans import line_add, plan_return, plan_submit
from tests.budgeting.plan_builders import plan_world
from tests.translation_kit import assert_catalog_complete, english_left

pytestmark = pytest.mark.django_db

NOTE = "Agregue materiales."


@pytest.fixture
def world(make_member):
    """A plan submitted, returned with a note, changed and submitted again: two versions and a history."""
    world = plan_world(make_member)
    principal, plan = world["people"]["principal"], world["plan"]
    plan_submit(actor=principal, plan_id=plan.pk)
    plan_return(actor=world["people"]["finance"], plan_id=plan.pk, note=NOTE)
    line_add(
        actor=principal,
        plan_id=plan.pk,
        category=world["categories"]["operations"],
        source=world["formula"],
        description="Materiales",
        amount="10.00",
    )
    plan_submit(actor=principal, plan_id=plan.pk)
    return world


def _data(world) -> tuple[str, ...]:
    names = [
        *BudgetCategory.objects.values_list("name", flat=True),
        *JobType.objects.values_list("name", flat=True),
        *FundingSource.objects.values_list("name", flat=True),
        *Autonomy.objects.values_list("name", flat=True),
    ]
    reasons = [event.reason for event in world["plan"].events.all() if event.reason]  # recorded as written
    return (world["school"].name, world["other"].name, NOTE, *names, *reasons)


def test_the_catalog_is_complete_and_compiled():
    assert_catalog_complete("budgeting", at_least=150)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("budgeting:plan_detail", lambda w: [w["school"].code]),
        ("budgeting:plan_history", lambda w: [w["plan"].pk]),
        ("budgeting:plan_version", lambda w: [w["plan"].pk, 2]),
        ("budgeting:plan_line_add", lambda w: [w["plan"].pk]),
        ("budgeting:plan_position_add", lambda w: [w["plan"].pk]),
        ("budgeting:allocation_school", lambda w: [w["school"].code]),
    ],
)
def test_the_principals_budget_pages_are_in_spanish(world, name, args):
    plan_return(actor=world["people"]["finance"], plan_id=world["plan"].pk, note=NOTE)  # open for changes again
    url = reverse(name, args=args(world))
    assert not english_left(url, as_user=world["people"]["principal"], data=_data(world))


def test_a_school_without_a_plan_is_in_spanish(world):
    url = reverse("budgeting:plan_detail", args=[world["other"].code])  # the page that offers to start one
    assert not english_left(url, as_user=world["people"]["other_principal"], data=_data(world))


def test_the_list_of_school_budgets_is_in_spanish(world):
    url = reverse("budgeting:budget_home")
    assert not english_left(url, as_user=world["people"]["liaison"], data=_data(world))


def test_the_plan_in_english_is_still_english(client, world):
    client.force_login(world["people"]["principal"])
    page = client.get(reverse("budgeting:plan_detail", args=[world["school"].code]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Allocation and plan by funding source" in page.content.decode()
