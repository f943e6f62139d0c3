import pytest

from schools.models import Role
from schools.policies import can_view_district_overview, can_view_school, schools_visible_to
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_schools(make_member):
    liaison = make_member(Role.LIAISON)
    own = SchoolFactory(liaison=liaison)
    other = SchoolFactory()
    return own, other, liaison


@pytest.mark.parametrize(
    ("role", "function", "sees_own", "sees_other", "sees_overview"),
    [
        (Role.PRINCIPAL, "", True, False, False),
        (Role.SCHOOL_TEAM, "", True, False, False),
        (Role.LIAISON, "", True, False, True),
        (Role.REVIEWER, "finance", True, True, True),
        (Role.ADMIN, "", True, True, True),
        (Role.VIEWER, "", True, True, True),
    ],
)
def test_who_sees_which_school(two_schools, make_member, role, function, sees_own, sees_other, sees_overview):
    own, other, liaison = two_schools
    if role == Role.LIAISON:
        user = liaison
    else:
        user = make_member(role, school=own if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) else None, function=function)
    assert bool(can_view_school(user, own)) is sees_own
    assert bool(can_view_school(user, other)) is sees_other
    assert bool(can_view_district_overview(user)) is sees_overview
    visible = set(schools_visible_to(user))
    assert (own in visible, other in visible) == (sees_own, sees_other)


def test_a_user_without_a_role_sees_nothing(db):
    from tests.factories import UserFactory

    user = UserFactory()
    school = SchoolFactory()
    assert not schools_visible_to(user).exists()
    decision = can_view_school(user, school)
    assert not decision and decision.reason
