"""Who works in which central-office department, read once per request.

The navigation asks on every page (a department's staff get its commitments in their tools), so the answer
is kept like the roles (schools.policies): on the user for the request and, with a shared cache
(settings.ROLES_CACHE_TIMEOUT > 0), per user across requests; a DepartmentStaff row saved or deleted clears
it (support.signals). Never in one process's memory: another worker could not clear it.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction

from schools.policies import roles_of
from support.models import DepartmentStaff


def _departments_cache_key(user_id: int) -> str:
    return f"departments:v1:{user_id}"


def departments_cache_clear(user_id: int) -> None:
    """Forget a user's departments now and again after commit (a request may re-cache the old rows meanwhile)."""
    key = _departments_cache_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _departments_read(user: AbstractBaseUser) -> dict[str, bool]:
    return dict(DepartmentStaff.objects.filter(user=user).values_list("department", "is_head"))


def departments_of(user: AbstractBaseUser) -> dict[str, bool]:
    """The departments the user works in, each with whether they head it."""
    if not user.is_authenticated:
        return {}
    departments = getattr(user, "_sgs_departments", None)
    if departments is None:
        if settings.ROLES_CACHE_TIMEOUT:
            key = _departments_cache_key(user.pk)
            departments = cache.get(key)
            if departments is None:
                departments = _departments_read(user)
                cache.set(key, departments, settings.ROLES_CACHE_TIMEOUT)
        else:
            departments = _departments_read(user)
        user._sgs_departments = departments
    return departments


def works_in(user: AbstractBaseUser, department: str) -> bool:
    return department in departments_of(user)


def heads(user: AbstractBaseUser, department: str) -> bool:
    """The department's head, or the autonomy office (which sees every department)."""
    return departments_of(user).get(department, False) or roles_of(user).is_admin
