"""Who may see and do what with networks, their teams, the yearly opt-in and service opt-outs.

Networks and what they offer are no secret inside the district: anyone signed in with a role reads them
(a principal has to, to choose). A school's requests and memberships are the school's: its staff see
their own school's, its liaison the caseload's, central office all (schools.policies.schools_visible_to).
Only the autonomy office decides requests and keeps networks, teams, allowances and the window; only
the school's principal asks to join a network or opts the school out of a service.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from core.policies import ALLOW, Decision, deny
from core.workflows import Actor
from schools.models import School
from schools.policies import acts_at_school_as, autonomy_office, can_view_school, roles_of, schools_visible_to
from support.models import NetworkMembership, NetworkRequest, ServiceOptOut


def has_a_role(user: AbstractBaseUser) -> bool:
    roles = roles_of(user)
    return bool(roles.district or roles.school_ids)


def can_view_networks(user: AbstractBaseUser) -> Decision:
    """The networks list and each network's page, team and allowances."""
    return ALLOW if has_a_role(user) else deny("Networks are shown to the district's staff.")


def can_manage_networks(user: AbstractBaseUser) -> Decision:
    """A network's kind, offer and capacity, its team seats, its opt-out allowances and the opt-in window."""
    return autonomy_office(user, "Only the autonomy office changes networks, their teams and the opt-in window.")


def can_decide_network_requests(user: AbstractBaseUser) -> Decision:
    """The queue of pending requests: the autonomy office's."""
    return autonomy_office(user, "Only the autonomy office decides requests to join a network.")


def can_view_school_network(user: AbstractBaseUser, school: School) -> Decision:
    return can_view_school(user, school)


def can_request_network(user: AbstractBaseUser, school: School) -> Decision:
    """Asking to join a network is the principal's decision for the school."""
    return acts_at_school_as(user, school_id=school.pk, who=Actor.PRINCIPAL)


def can_record_opt_out(user: AbstractBaseUser, school: School) -> Decision:
    """Opting the school out of a central service (or taking that back) is the principal's."""
    return acts_at_school_as(user, school_id=school.pk, who=Actor.PRINCIPAL)


def network_request_acts_as(user: AbstractBaseUser, request: NetworkRequest, who: Actor) -> Decision:
    """The kernel's question for NETWORK_REQUEST_WORKFLOW: the principal withdraws; the office decides,
    never on a school its member works at."""
    return acts_at_school_as(
        user,
        school_id=request.school_id,
        who=who,
        admin_refusal="Only the autonomy office decides requests to join a network.",
    )


def network_requests_visible_to(user: AbstractBaseUser) -> QuerySet[NetworkRequest]:
    if not has_a_role(user):
        return NetworkRequest.objects.none()
    return NetworkRequest.objects.filter(school__in=schools_visible_to(user))


def network_memberships_visible_to(user: AbstractBaseUser) -> QuerySet[NetworkMembership]:
    if not has_a_role(user):
        return NetworkMembership.objects.none()
    return NetworkMembership.objects.filter(school__in=schools_visible_to(user))


def service_opt_outs_visible_to(user: AbstractBaseUser) -> QuerySet[ServiceOptOut]:
    if not has_a_role(user):
        return ServiceOptOut.objects.none()
    return ServiceOptOut.objects.filter(school__in=schools_visible_to(user))
