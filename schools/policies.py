"""Who sees which schools. Every selector that lists or fetches a school goes through here."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from core.policies import ALLOW, Decision, deny
from core.workflows import Actor
from schools.models import DISTRICT_ROLES, SCHOOL_ROLES, Membership, Role, School


@dataclass(frozen=True)
class Roles:
    """A user's memberships, read once per request."""

    district: frozenset[str]
    functions: frozenset[str]
    school_ids: frozenset[int]
    principal_of: frozenset[int]

    @property
    def is_central_office(self) -> bool:
        return bool(self.district & {Role.ADMIN, Role.REVIEWER, Role.VIEWER})

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.district


NO_ROLES = Roles(frozenset(), frozenset(), frozenset(), frozenset())

# Roles are read on every logged-in page (the navigation), so they are kept on the user object for the
# request and, with a shared cache (settings.ROLES_CACHE_TIMEOUT > 0), per user across requests too. A
# membership saved or deleted clears them (schools/signals.py); is_superuser is part of the key, so
# granting or revoking it is seen at once. The timeout bounds what a change made without signals
# (bulk_create, queryset.update) could leave stale. A cache in one process's memory is never used:
# another worker could not clear it, and a removed role would keep working there until it expired.


def _roles_cache_key(user_id: int, is_superuser: bool) -> str:
    return f"roles:v1:{user_id}:{int(is_superuser)}"


def roles_cache_clear(user_id: int) -> None:
    """Forget a user's cached roles now and again after commit (a request may re-cache the old rows meanwhile)."""
    keys = [_roles_cache_key(user_id, False), _roles_cache_key(user_id, True)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _roles_read(user: AbstractBaseUser) -> Roles:
    rows = list(Membership.objects.filter(user=user).values_list("role", "school_id", "function"))
    district = {role for role, _, _ in rows if role in DISTRICT_ROLES}
    if user.is_superuser:
        district.add(Role.ADMIN)
    return Roles(
        district=frozenset(district),
        functions=frozenset(function for role, _, function in rows if role == Role.REVIEWER),
        school_ids=frozenset(school for role, school, _ in rows if role in SCHOOL_ROLES),
        principal_of=frozenset(school for role, school, _ in rows if role == Role.PRINCIPAL),
    )


def _roles_cached(user: AbstractBaseUser) -> Roles:
    key = _roles_cache_key(user.pk, user.is_superuser)
    roles = cache.get(key)
    if roles is None:
        roles = _roles_read(user)
        cache.set(key, roles, settings.ROLES_CACHE_TIMEOUT)
    return roles


def roles_of(user: AbstractBaseUser) -> Roles:
    if not user.is_authenticated:
        return NO_ROLES
    roles = getattr(user, "_sgs_roles", None)
    if roles is None:
        roles = _roles_cached(user) if settings.ROLES_CACHE_TIMEOUT else _roles_read(user)
        user._sgs_roles = roles
    return roles


def schools_visible_to(user: AbstractBaseUser) -> QuerySet[School]:
    """Central office sees the district; a liaison the caseload; school staff their own school."""
    roles = roles_of(user)
    if roles.is_central_office:
        return School.objects.all()
    if Role.LIAISON in roles.district:
        return School.objects.filter(liaison=user) | School.objects.filter(pk__in=roles.school_ids)
    return School.objects.filter(pk__in=roles.school_ids)


def can_view_school(user: AbstractBaseUser, school: School) -> Decision:
    roles = roles_of(user)
    if roles.is_central_office or school.pk in roles.school_ids:
        return ALLOW
    if Role.LIAISON in roles.district and school.liaison_id == user.pk:
        return ALLOW
    return deny("This school is not one of yours.")


def can_view_district_overview(user: AbstractBaseUser) -> Decision:
    roles = roles_of(user)
    if roles.is_central_office or Role.LIAISON in roles.district:
        return ALLOW
    return deny("The district overview is for central-office staff and liaisons.")


def autonomy_office(user: AbstractBaseUser, refusal: str = "Only the autonomy office can do this.") -> Decision:
    """The autonomy office (the district's admins): the one answer every app's "only the office may" asks."""
    return ALLOW if roles_of(user).is_admin else deny(refusal)


def acts_at_school_as(
    user: AbstractBaseUser,
    *,
    school_id: int,
    who: Actor,
    liaison_id: int | None = None,
    admin_refusal: str = "Only the autonomy office does this.",
    separation_refusal: str = "You work at this school, so you cannot act for the district on it.",
) -> Decision:
    """Whether the user is the kind of actor a workflow step names, for one school's object.

    The one meaning of each kind every workflow shares: the principal is the school's principal; the
    school's staff are its principal and team; the liaison is the school's (the autonomy office may
    stand in); the autonomy office acts for the district — never on a school its member works at.
    Kinds particular to one workflow (a request's reviewer) are answered by that app's policy.
    """
    roles = roles_of(user)
    if who == Actor.PRINCIPAL:
        return ALLOW if school_id in roles.principal_of else deny("Only the school's principal can do this.")
    if who == Actor.SCHOOL_STAFF:
        return ALLOW if school_id in roles.school_ids else deny("Only the school's staff can do this.")
    if who == Actor.LIAISON:
        if Role.LIAISON in roles.district and liaison_id == user.pk:
            return ALLOW
        if roles.is_admin and school_id not in roles.school_ids:
            return ALLOW  # the autonomy office standing in, never at a school its member works at
        return deny("Only the school's liaison can do this.")
    if who == Actor.ADMIN:
        if school_id in roles.school_ids:
            return deny(separation_refusal)
        return ALLOW if roles.is_admin else deny(admin_refusal)
    return deny("Nobody may do this by hand.")
