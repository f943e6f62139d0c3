"""Who may see and act on requests, calls and grants. Views, the API and services all ask here."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from autonomy.models import AutonomyGrant, AutonomyRequest, RequestRoute, RequestStatus
from autonomy.workflows import ADMIN, PRINCIPAL, REQUEST_TRANSITIONS, REVIEWER, SCHOOL_STAFF, request_transition
from core.policies import ALLOW, Decision, deny
from schools.models import Role
from schools.policies import roles_of, schools_visible_to


def requests_visible_to(user: AbstractBaseUser) -> QuerySet[AutonomyRequest]:
    """A school sees its own requests, drafts included; others see them once submitted.

    Reviewers see only requests routed to their function; admins and viewers see all; a liaison
    sees the caseload's.
    """
    roles = roles_of(user)
    requests = AutonomyRequest.objects.all()
    own = requests.filter(school_id__in=roles.school_ids)
    if roles.is_admin or Role.VIEWER in roles.district:
        return own | requests.exclude(status=RequestStatus.DRAFT)
    submitted = requests.exclude(status=RequestStatus.DRAFT)
    visible = own
    if roles.functions:
        routed = RequestRoute.objects.filter(request=OuterRef("pk"), function__in=roles.functions)
        visible = visible | submitted.filter(Exists(routed))
    if Role.LIAISON in roles.district:
        visible = visible | submitted.filter(school__liaison=user)
    return visible


def grants_visible_to(user: AbstractBaseUser) -> QuerySet[AutonomyGrant]:
    return AutonomyGrant.objects.filter(school__in=schools_visible_to(user))


def _acts_for_school(user, school_id) -> bool:
    return school_id in roles_of(user).school_ids


def can_actor(user: AbstractBaseUser, request: AutonomyRequest, who: str) -> Decision:
    """Whether the user is the kind of actor a transition names, for this request."""
    roles = roles_of(user)
    if who == PRINCIPAL:
        if request.school_id in roles.principal_of:
            return ALLOW
        return deny("Only the school's principal can do this.")
    if who == SCHOOL_STAFF:
        return (
            ALLOW
            if _acts_for_school(user, request.school_id)
            else deny("Only the school's staff can do this.")
        )
    # Separation of duties: nobody reviews or decides a request of a school they lead or work in.
    if _acts_for_school(user, request.school_id):
        return deny("You work at this school, so you cannot review or decide its request.")
    if who == REVIEWER:
        routed = {route.function for route in request.routes.all()}
        if roles.is_admin or roles.functions & routed:
            return ALLOW
        return deny("This request is not routed to your function.")
    if who == ADMIN:
        return ALLOW if roles.is_admin else deny("Only the autonomy office decides requests.")
    return deny("Nobody may do this by hand.")


def can_take_request_action(user: AbstractBaseUser, request: AutonomyRequest, action: str) -> Decision:
    transition = request_transition(request.status, action)
    if transition is None:
        return deny(f"This request is {request.get_status_display().lower()}: that step is not open now.")
    return can_actor(user, request, transition.who)


def can_attempt_request_action(user: AbstractBaseUser, request: AutonomyRequest, action: str) -> Decision:
    """Whether the user is the kind of actor the action needs, whatever state the request is in now.

    Views ask this before validating a form, so that a role that may never take the step is refused
    outright; whether the step is open in the current state is for the service to say under its lock.
    """
    actors = {transition.who for (_, name), transition in REQUEST_TRANSITIONS.items() if name == action}
    if not actors:
        return deny("No such step.")
    for who in actors:
        if decision := can_actor(user, request, who):
            return decision
    return decision


def can_edit_request(user: AbstractBaseUser, request: AutonomyRequest) -> Decision:
    if not request.is_editable:
        return deny("The request is with the central office; it can be changed again only if it is returned.")
    return can_actor(user, request, SCHOOL_STAFF)


def can_start_request(user: AbstractBaseUser, school_id: int) -> Decision:
    if _acts_for_school(user, school_id):
        return ALLOW
    return deny("Only a school's principal or leadership team can start its request.")


def can_comment_on_request(user: AbstractBaseUser, request: AutonomyRequest) -> Decision:
    if request.status not in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
        return deny("Comments are taken while the request is under review.")
    return can_actor(user, request, REVIEWER)


def can_decide_request(user: AbstractBaseUser, request: AutonomyRequest) -> Decision:
    if request.status not in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
        return deny("Only a submitted request can be decided.")
    return can_actor(user, request, ADMIN)


def can_manage_autonomy(user: AbstractBaseUser) -> Decision:
    """Open calls, grant to cohorts, suspend, revoke and restore grants: the autonomy office."""
    return ALLOW if roles_of(user).is_admin else deny("Only the autonomy office can do this.")


def can_view_district_grants(user: AbstractBaseUser) -> Decision:
    roles = roles_of(user)
    if roles.is_central_office or Role.LIAISON in roles.district or roles.school_ids:
        return ALLOW
    return deny("Ask the autonomy office for a role.")


def can_read_internal_comments(user: AbstractBaseUser, request: AutonomyRequest) -> Decision:
    """Central office reads the whole review; the school (and anyone acting for it) reads what is sent to it."""
    if _acts_for_school(user, request.school_id):
        return deny("Internal review comments stay with the central office.")
    if roles_of(user).is_central_office:
        return ALLOW
    return deny("Internal review comments stay with the central office.")


def reviewing_function(user: AbstractBaseUser, request: AutonomyRequest) -> str:
    """The function a reviewer comments for on this request ('' for the autonomy office)."""
    routed = sorted({route.function for route in request.routes.all()} & roles_of(user).functions)
    return routed[0] if routed else ""


def can_review_requests(user: AbstractBaseUser) -> Decision:
    """The review queue: reviewers of a function and the autonomy office."""
    roles = roles_of(user)
    if roles.functions or roles.is_admin:
        return ALLOW
    return deny("The review queue is for central-office reviewers.")
