"""The vocabulary of the authorization matrices (tests/test_authorization_matrix.py and each app's part of
it, such as tests/support/matrix.py): the roles asked, and a page's expected status per role and school."""

from dataclasses import dataclass

from schools.models import Role
from tests.world import NO_ROLE

ANON = "anonymous"
P, T, L, R, V, A = Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER, Role.ADMIN
ROLES = [ANON, NO_ROLE, P, T, L, R, V, A]
CENTRAL = {R, V, A}
SCHOOL = {P, T, L}  # who works with the "own" school
LOGIN = 302  # anonymous users are sent to the login page


def table(**by_role):
    """Expected status per role for own and other objects: role=(own, other) or role=status for both."""

    def expect(role, own):
        value = by_role.get(role, by_role.get("others"))
        if isinstance(value, tuple):
            return value[0] if own else value[1]
        return value

    return expect


def login_or(**by_role):
    return table(anonymous=LOGIN, **by_role)


@dataclass(frozen=True)
class Page:
    expect: object  # callable(role, own) -> status
    kwargs: object = None  # callable(world, own) -> URL kwargs, for pages about one school's object
    method: str = "get"
    data: dict | None = None


# The school itself: its staff and liaison for their own school, central office for all.
SCHOOL_PAGE = login_or(
    others=404, principal=(200, 404), school_team=(200, 404), liaison=(200, 404), **dict.fromkeys(CENTRAL, 200)
)
ADMIN_ONLY = login_or(others=404, admin=200)
EVERYONE = login_or(others=200)
