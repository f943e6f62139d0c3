"""Who may read and change the district planning calendar.

The calendar is the district's, not a school's: everyone who holds a role reads all of it, and only the
autonomy office types its milestones in. A private feed address works for as long as its owner could read
the calendar signed in: a removed role or a deactivated account stops the feed on its next fetch.
"""

from django.contrib.auth.models import AbstractBaseUser

from core.policies import ALLOW, Decision, deny
from schools.policies import autonomy_office, roles_of


def can_view_calendar(user: AbstractBaseUser) -> Decision:
    roles = roles_of(user)
    if roles.district or roles.school_ids:
        return ALLOW
    return deny("The planning calendar is for people who hold a role in the district.")


def can_manage_milestones(user: AbstractBaseUser) -> Decision:
    """Create, change and delete milestones."""
    return autonomy_office(user, "Only the autonomy office changes the planning calendar.")


def can_subscribe_calendar(user: AbstractBaseUser) -> Decision:
    """Make or replace one's own private feed address: whoever reads the calendar may."""
    if not getattr(user, "is_active", False):
        return deny("This account is not active.")
    return can_view_calendar(user)
