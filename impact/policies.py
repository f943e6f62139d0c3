"""Who sees the evaluation of autonomy: the autonomy office (admins) and the district's viewers (the board
and the evaluation team, read-only). Everybody else gets a 404 on every page of the app, never a 403: the
pages compare schools with one another, which a principal, a school team, a liaison or a reviewer has no
business reading, and they need not learn that the pages exist.
"""

from django.contrib.auth.models import AbstractBaseUser

from core.policies import ALLOW, Decision, deny
from schools.models import Role
from schools.policies import roles_of


def can_view_impact(user: AbstractBaseUser) -> Decision:
    roles = roles_of(user)
    if roles.is_admin or Role.VIEWER in roles.district:
        return ALLOW
    return deny("The evaluation of autonomy is for the autonomy office and the district's viewers.")


def can_record_decision(user: AbstractBaseUser) -> Decision:
    """The district's decisions are the autonomy office's; viewers read them."""
    return ALLOW if roles_of(user).is_admin else deny("Only the autonomy office records the district's decisions.")


def can_keep_comparison(user: AbstractBaseUser) -> Decision:
    """A pilot's comparison group is kept by the autonomy office; viewers read the proposals and what was kept."""
    return ALLOW if roles_of(user).is_admin else deny("Only the autonomy office keeps a pilot's comparison group.")
