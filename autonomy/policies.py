"""Who may see and act on requests, calls and grants. Views, the API and services all ask here."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from autonomy.models import AutonomyGrant, AutonomyRequest, RequestRoute, RequestStatus
from autonomy.workflows import GRANT_WORKFLOW, REQUEST_WORKFLOW
from core.policies import ALLOW, Decision, deny
from core.workflows import Actor, Transition, transition_attempt_decide, transition_decide
from schools.models import Role
from schools.policies import acts_at_school_as, autonomy_office, roles_of, schools_visible_to


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


def request_acts_as(user: AbstractBaseUser, request: AutonomyRequest, who: Actor) -> Decision:
    """Whether the user is the kind of actor a request step names, for this request."""
    if who == Actor.REVIEWER:
        # Separation of duties: nobody reviews a request of a school they lead or work in.
        if _acts_for_school(user, request.school_id):
            return deny(SEPARATION)
        roles = roles_of(user)
        routed = {route.function for route in request.routes.all()}
        if roles.is_admin or roles.functions & routed:
            return ALLOW
        return deny(_("This request is not routed to your function."))
    return acts_at_school_as(
        user,
        school_id=request.school_id,
        who=who,
        admin_refusal=_("Only the autonomy office decides requests."),
        separation_refusal=SEPARATION,
    )


SEPARATION = gettext_lazy("You work at this school, so you cannot review or decide its request.")


def can_take_request_action(user: AbstractBaseUser, request: AutonomyRequest, action: str) -> Decision:
    return transition_decide(REQUEST_WORKFLOW, user, request, action, request_acts_as)


def can_attempt_request_action(user: AbstractBaseUser, request: AutonomyRequest, action: str) -> Decision:
    """Whether the user is the kind of actor the action needs, whatever state the request is in now."""
    return transition_attempt_decide(REQUEST_WORKFLOW, user, request, action, request_acts_as)


def grant_acts_as(user: AbstractBaseUser, grant: AutonomyGrant, who: Actor) -> Decision:
    """A grant's steps are the autonomy office's (by hand, or carrying out a contract's rule)."""
    return acts_at_school_as(
        user,
        school_id=grant.school_id,
        who=who,
        admin_refusal=_("Only the autonomy office can do this."),
        separation_refusal="You work at this school, so you cannot change its autonomy.",
    )


def can_take_grant_action(user: AbstractBaseUser, grant: AutonomyGrant, action: str) -> Decision:
    return transition_decide(GRANT_WORKFLOW, user, grant, action, grant_acts_as)


def grant_steps_for(user: AbstractBaseUser, grant: AutonomyGrant) -> list[Transition]:
    """The steps a page or the API offers this person on this grant: the table's, less what they may not take."""
    return [t for t in GRANT_WORKFLOW.person_steps_from(grant.status) if can_take_grant_action(user, grant, t.action)]


def can_edit_request(user: AbstractBaseUser, request: AutonomyRequest) -> Decision:
    if not request.is_editable:
        return deny(_("The request is with the central office; it can be changed again only if it is returned."))
    return request_acts_as(user, request, Actor.SCHOOL_STAFF)


def can_start_request(user: AbstractBaseUser, school_id: int) -> Decision:
    if _acts_for_school(user, school_id):
        return ALLOW
    return deny(_("Only a school's principal or leadership team can start its request."))


def can_comment_on_request(user: AbstractBaseUser, request: AutonomyRequest) -> Decision:
    if request.status not in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
        return deny(_("Comments are taken while the request is under review."))
    return request_acts_as(user, request, Actor.REVIEWER)


def can_decide_request(user: AbstractBaseUser, request: AutonomyRequest) -> Decision:
    if request.status not in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
        return deny(_("Only a submitted request can be decided."))
    return request_acts_as(user, request, Actor.ADMIN)


def can_manage_autonomy(user: AbstractBaseUser) -> Decision:
    """Open calls, grant to cohorts, suspend, revoke and restore grants: the autonomy office."""
    return autonomy_office(user, _("Only the autonomy office can do this."))


def can_view_district_grants(user: AbstractBaseUser) -> Decision:
    roles = roles_of(user)
    if roles.is_central_office or Role.LIAISON in roles.district or roles.school_ids:
        return ALLOW
    return deny(_("Ask the autonomy office for a role."))


def can_read_internal_comments(user: AbstractBaseUser, request: AutonomyRequest) -> Decision:
    """Those who work the review (its reviewers and the autonomy office) read all of it; the school, its
    liaison and read-only viewers (board members) read what is sent to the school."""
    roles = roles_of(user)
    if not _acts_for_school(user, request.school_id) and (roles.is_admin or roles.functions):
        return ALLOW
    return deny(_("Internal review comments stay with the central office's reviewers."))


def reviewing_function(user: AbstractBaseUser, request: AutonomyRequest) -> str:
    """The function a reviewer comments for on this request ('' for the autonomy office)."""
    routed = sorted({route.function for route in request.routes.all()} & roles_of(user).functions)
    return routed[0] if routed else ""


def can_review_requests(user: AbstractBaseUser) -> Decision:
    """The review queue: reviewers of a function and the autonomy office."""
    roles = roles_of(user)
    if roles.functions or roles.is_admin:
        return ALLOW
    return deny(_("The review queue is for central-office reviewers."))


def can_edit_catalog(user: AbstractBaseUser) -> Decision:
    """The catalog's words (what a school decides, what stays with the district): the autonomy office.
    Everyone signed in reads the catalog."""
    return autonomy_office(user, _("Only the autonomy office edits the autonomy catalog."))
