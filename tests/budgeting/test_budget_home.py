"""The budget's landing page sends each role where its work is, and what it lists is what the school has."""

import pytest
from django.urls import reverse

from schools.models import Role
from tests.budgeting.plan_builders import allocation_set, plan_world, school_allocation
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
URL = reverse("budgeting:budget_home")


def test_a_principal_is_sent_to_the_school_plan(client, make_member):
    world = plan_world(make_member)
    client.force_login(world["people"]["principal"])
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("budgeting:plan_detail", args=[world["school"].code])


def test_finance_sees_the_years_steps_with_the_plans_waiting(client, make_member):
    world = plan_world(make_member)
    client.force_login(world["people"]["finance"])
    page = client.get(URL).content.decode()
    assert "Funding formula" in page and "Budget plans to review" in page
    assert "0 waiting" in page  # the world's plan is a draft
    from budgeting.services.plan_steps import plan_submit

    plan_submit(actor=world["people"]["principal"], plan_id=world["plan"].pk)
    assert "1 waiting" in client.get(URL).content.decode()


def test_a_liaison_sees_the_caseload_with_allocations_and_plans_in_the_same_queries(
    client, make_member, django_assert_num_queries
):
    world = plan_world(make_member)  # its school is the liaison's, with a plan in draft
    liaison = world["people"]["liaison"]
    client.force_login(liaison)
    page = client.get(URL).content.decode()
    assert world["school"].name in page and "$1,000,000.00" in page and "Draft" in page
    assert world["other"].name not in page  # not in the caseload
    with django_assert_num_queries(3) as one:
        client.get(URL)
    sets = world["sets"]
    for _ in range(15):
        school_allocation(SchoolFactory(liaison=liaison), sets=sets)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(URL)


def test_nothing_unreleased_is_shown(client, make_member):
    liaison = make_member(Role.LIAISON)
    school_allocation(SchoolFactory(liaison=liaison, name="Quiet Hill"), sets=allocation_set(released=False))
    client.force_login(liaison)
    page = client.get(URL).content.decode()
    assert "Quiet Hill" in page and "Not released yet" in page and "$1,000,000.00" not in page
