"""Who sees, answers and writes on support requests: role × own or other school, and each page's gate."""

import pytest

from core.workflows import Actor
from support.policies.requests import (
    can_create_support_request,
    can_manage_support_categories,
    can_view_department_queue,
    can_view_overdue,
    can_write_message,
    sees_internal_notes,
    support_categories_visible_to,
    support_request_acts_as,
    support_requests_visible_to,
)
from support.services.support_request_steps import support_request_close, support_request_resolve
from tests.support.requests_builders import raise_request, request_world

pytestmark = pytest.mark.django_db

ROLES = ["principal", "team", "liaison", "other_principal", "head", "staff", "seat", "hr", "viewer", "admin"]

# role: (sees, reads internal notes, answers for the department, acts as the school, replies, writes notes)
OWN = {
    "principal": (True, False, False, True, True, False),
    "team": (True, False, False, True, True, False),
    "liaison": (True, False, False, False, False, False),
    "other_principal": (False, False, False, False, False, False),
    "head": (True, True, True, False, True, True),
    "staff": (True, True, True, False, True, True),
    "seat": (True, True, True, False, True, True),
    "hr": (False, False, False, False, False, False),
    "viewer": (True, True, False, False, False, False),
    "admin": (True, True, True, False, True, True),
}


NOTHING = (False,) * 6
OTHER = {
    "principal": NOTHING,
    "team": NOTHING,
    "liaison": NOTHING,
    "other_principal": OWN["principal"],
}


@pytest.fixture
def world():
    return request_world()


@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_role_by_school(world, role, own):
    if own:
        request = raise_request(world)
        expected = OWN[role]
    else:  # the other school's request: its principal's, and finance's (the seat is finance staff too)
        request = raise_request(world, school=world.other, actor=world.other_principal)
        expected = OTHER.get(role, OWN[role])
    user = getattr(world, role)
    got = (
        support_requests_visible_to(user).filter(pk=request.pk).exists(),
        sees_internal_notes(user, request),
        bool(support_request_acts_as(user, request, Actor.REVIEWER)),
        bool(support_request_acts_as(user, request, Actor.SCHOOL_STAFF)),
        bool(can_write_message(user, request, internal=False)),
        bool(can_write_message(user, request, internal=True)),
    )
    assert got == expected


def test_a_closed_request_takes_no_more_messages(world):
    request = raise_request(world)
    support_request_resolve(actor=world.staff, request_id=request.pk, message="Done.")
    support_request_close(actor=world.principal, request_id=request.pk, rating=4)
    request.refresh_from_db()
    decision = can_write_message(world.principal, request, internal=False)
    assert not decision and decision.conflict
    assert not can_write_message(world.staff, request, internal=True).allowed


def test_someone_at_the_school_never_answers_for_the_department(world):
    from schools.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(role=Role.SCHOOL_TEAM, school=world.school, user=world.staff)
    request = raise_request(world)
    assert not support_request_acts_as(world.staff, request, Actor.REVIEWER)
    assert not sees_internal_notes(world.staff, request)


@pytest.mark.parametrize(
    ("role", "ask", "queue", "overdue", "categories"),
    [
        ("principal", True, False, False, False),
        ("team", True, False, False, False),
        ("liaison", False, False, False, False),
        ("other_principal", False, False, False, False),
        ("head", False, True, True, False),
        ("staff", False, True, False, False),
        ("hr", False, True, False, False),
        ("viewer", False, True, True, False),
        ("admin", False, True, True, True),
    ],
)
def test_page_gates(world, role, ask, queue, overdue, categories):
    user = getattr(world, role)
    assert bool(can_create_support_request(user, world.school)) is ask
    assert bool(can_view_department_queue(user)) is queue
    assert bool(can_view_overdue(user)) is overdue
    assert bool(can_manage_support_categories(user)) is categories


def test_finance_queue_is_not_hrs(world):
    assert can_view_department_queue(world.staff, "finance")
    assert not can_view_department_queue(world.hr, "finance")
    assert can_view_overdue(world.head, "finance") and not can_view_overdue(world.head, "hr")


def test_retired_categories_only_for_the_office(world):
    world.repair.active = False
    world.repair.save()
    assert set(support_categories_visible_to(world.principal)) == {world.budget}
    assert set(support_categories_visible_to(world.admin)) == {world.budget, world.repair}
