import pytest

from metrics.policies import can_import_observations
from schools.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN, True),
        (Role.REVIEWER, False),
        (Role.VIEWER, False),
        (Role.LIAISON, False),
        (Role.PRINCIPAL, False),
        (Role.SCHOOL_TEAM, False),
    ],
)
def test_only_the_autonomy_office_imports_observations(make_member, school, role, allowed):
    at = school if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) else None
    user = make_member(role, school=at, function="finance" if role == Role.REVIEWER else "")
    decision = can_import_observations(user)
    assert decision.allowed is allowed
    assert decision.reason == ("" if allowed else "Only the autonomy office imports observations.")


def test_a_superuser_counts_as_the_autonomy_office_and_nobody_else_does(db):
    assert can_import_observations(UserFactory(is_superuser=True))
    assert not can_import_observations(UserFactory())
