"""Who sees which schools. Every selector that lists or fetches a school goes through here."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from core.policies import ALLOW, Decision, deny
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


def roles_of(user: AbstractBaseUser) -> Roles:
    if not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, "_sgs_roles", None)
    if cached is None:
        rows = list(Membership.objects.filter(user=user).values_list("role", "school_id", "function"))
        district = {role for role, _, _ in rows if role in DISTRICT_ROLES}
        if user.is_superuser:
            district.add(Role.ADMIN)
        cached = Roles(
            district=frozenset(district),
            functions=frozenset(function for role, _, function in rows if role == Role.REVIEWER),
            school_ids=frozenset(school for role, school, _ in rows if role in SCHOOL_ROLES),
            principal_of=frozenset(school for role, school, _ in rows if role == Role.PRINCIPAL),
        )
        user._sgs_roles = cached
    return cached


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
