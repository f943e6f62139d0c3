"""Who may read and change the planning calendar, role by role: every role reads, only the office writes."""

import pytest
from django.contrib.auth.models import AnonymousUser

from schools.models import Role
from support.policies.calendar import can_manage_milestones, can_subscribe_calendar, can_view_calendar
from tests.support import calendar_world

# The shared fixtures (tests/support/calendar_world.py), by name.
people = calendar_world.people


ROLES = [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER, Role.ADMIN, "no_role"]
READERS = {Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER, Role.ADMIN}

CASES = [
    (policy, role, role in allowed)
    for policy, allowed in (
        (can_view_calendar, READERS),
        (can_subscribe_calendar, READERS),
        (can_manage_milestones, {Role.ADMIN}),
    )
    for role in ROLES
]


@pytest.mark.parametrize(("policy", "role", "allowed"), CASES, ids=[f"{p.__name__}-{r}" for p, r, _ in CASES])
def test_role_by_action(people, policy, role, allowed):
    decision = policy(people[role])
    assert bool(decision) is allowed
    assert bool(decision.reason) is not allowed  # a refusal always says why


@pytest.mark.parametrize("policy", [can_view_calendar, can_subscribe_calendar, can_manage_milestones])
def test_anonymous_is_refused(policy):
    assert not policy(AnonymousUser())


def test_a_superuser_without_a_membership_is_the_office(db):
    from tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True)
    assert can_view_calendar(superuser) and can_manage_milestones(superuser)


def test_an_inactive_account_cannot_subscribe(people):
    principal = people[Role.PRINCIPAL]
    principal.is_active = False
    assert not can_subscribe_calendar(principal)
    assert can_subscribe_calendar(people[Role.VIEWER])
