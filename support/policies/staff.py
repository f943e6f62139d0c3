"""Who works in which central-office department, read once per request."""

from django.contrib.auth.models import AbstractBaseUser

from schools.policies import roles_of
from support.models import DepartmentStaff


def departments_of(user: AbstractBaseUser) -> dict[str, bool]:
    """The departments the user works in, each with whether they head it; kept on the user for the request."""
    if not user.is_authenticated:
        return {}
    departments = getattr(user, "_sgs_departments", None)
    if departments is None:
        departments = dict(DepartmentStaff.objects.filter(user=user).values_list("department", "is_head"))
        user._sgs_departments = departments
    return departments


def works_in(user: AbstractBaseUser, department: str) -> bool:
    return department in departments_of(user)


def heads(user: AbstractBaseUser, department: str) -> bool:
    """The department's head, or the autonomy office (which sees every department)."""
    return departments_of(user).get(department, False) or roles_of(user).is_admin
