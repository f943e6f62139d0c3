"""Who sees and keeps the liaisons' caseloads and the partnership log.

The liaison is the school's partner, not its enforcer, so the log of their contacts is read by the people
in that partnership: the school's liaison, the school's principal and team (the log is visible to the
principal), and the autonomy office, which assigns liaisons and may stand in for one. Reviewers and
viewers see the caseloads (how many schools, when the last contact was, the time spent with principals)
but not the notes of the conversations. Anything a person may not see answers 404.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from core.policies import ALLOW, Decision, deny
from core.workflows import Actor
from schools.models import Role, School
from schools.policies import acts_at_school_as, autonomy_office, roles_of
from support.models import PartnershipEntry


def is_liaison(user: AbstractBaseUser) -> bool:
    return Role.LIAISON in roles_of(user).district


def can_view_district_caseloads(user: AbstractBaseUser) -> Decision:
    """Central office (the autonomy office, reviewers, viewers): the district's caseloads side by side."""
    if roles_of(user).is_central_office:
        return ALLOW
    return deny("The district's caseloads are for central office.")


def can_manage_caseloads(user: AbstractBaseUser) -> Decision:
    """Assigning liaisons and setting the caseload limit, hours and target: the autonomy office's."""
    return autonomy_office(user, "Only the autonomy office assigns liaisons and sets the caseload limit.")


def can_view_caseload(user: AbstractBaseUser, liaison: AbstractBaseUser) -> Decision:
    """A liaison's own caseload, or anyone's for central office."""
    if roles_of(user).is_central_office or (is_liaison(user) and user.pk == liaison.pk):
        return ALLOW
    return deny("This caseload is not yours.")


def liaisons_visible_to(user: AbstractBaseUser) -> QuerySet:
    """The people holding the liaison role whose caseload the user may see: all for central office, a
    liaison themselves, nobody for anyone else."""
    liaisons = get_user_model().objects.filter(memberships__role=Role.LIAISON, memberships__school__isnull=True)
    if roles_of(user).is_central_office:
        return liaisons
    if is_liaison(user):
        return liaisons.filter(pk=user.pk)
    return liaisons.none()


def can_view_partnership_log(user: AbstractBaseUser, school: School) -> Decision:
    roles = roles_of(user)
    if roles.is_admin or school.pk in roles.school_ids:
        return ALLOW
    if Role.LIAISON in roles.district and school.liaison_id == user.pk:
        return ALLOW
    return deny("This school's partnership log is not yours to read.")


def partnership_entries_visible_to(user: AbstractBaseUser) -> QuerySet[PartnershipEntry]:
    """The entries of the schools whose log the user reads (can_view_partnership_log, as a queryset)."""
    roles = roles_of(user)
    if roles.is_admin:
        return PartnershipEntry.objects.all()
    scope = Q(school_id__in=roles.school_ids)
    if Role.LIAISON in roles.district:
        scope |= Q(school__liaison=user)
    return PartnershipEntry.objects.filter(scope)


def can_log_contact(user: AbstractBaseUser, school: School) -> Decision:
    """The school's liaison logs a contact; the autonomy office may stand in (never at a school its member
    works at). A liaison asking for a school outside their caseload is refused too: the service names the
    field `school` for them."""
    return acts_at_school_as(user, school_id=school.pk, who=Actor.LIAISON, liaison_id=school.liaison_id)


def can_change_partnership_entry(user: AbstractBaseUser, entry: PartnershipEntry) -> Decision:
    """The liaison who wrote the entry, while the school is in their caseload; or the autonomy office."""
    decision = can_log_contact(user, entry.school)
    if not decision:
        return decision
    if roles_of(user).is_admin or entry.liaison_id == user.pk:
        return ALLOW
    return deny("Only the liaison who wrote this entry changes it.")
