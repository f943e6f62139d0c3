"""A school asks central office for help: the request is routed, given its service deadline, and the people
who answer it are told. Replies and internal notes are written here too; the workflow's steps are in
support.services.support_request_steps.

Routing: the school's network support team member for the category's department (TeamSeat; with several,
the first by username), else the department's queue, unassigned, where any of its staff may take it up.
"""

import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from core.errors import ApplicationError, NotFound, NotPermitted
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.notifications import notify
from core.policies import require
from core.workflows import Steps, required_text
from schools.models import School
from schools.policies import can_view_school, roles_of
from schools.selectors import principals_of
from support.models import DepartmentStaff, SupportCategory, SupportMessage, SupportRequest, TeamSeat
from support.policies.requests import (
    can_create_support_request,
    can_write_message,
    support_request_acts_as,
    support_requests_visible_to,
)
from support.services.business_days import due_date
from support.workflows import SUPPORT_REQUEST_WORKFLOW

# The reasons the product writes on a request's record (where it was routed, the rating it was closed with):
# stored in the site's language as written, and put in the reader's language where the record is shown
# (reason_words).
ASSIGNED_TO = gettext_noop("Assigned to %(name)s.")
IN_QUEUE = gettext_noop("In the %(department)s queue.")
RATED = gettext_noop("Rated %(rating)s of 5.")
_ASSIGNED = re.compile(r"Assigned to (?P<name>.+)\.", re.S)
_QUEUED = re.compile(r"In the .+ queue\.", re.S)
_RATED = re.compile(r"Rated (?P<rating>[1-5]) of 5\.(?P<comment> .*)?", re.S)


def reason_words(reason: str, *, action: str, department: str) -> str:
    """A reason the product wrote on the record of `action`, in the active language (`department`, the
    request's department as the reader names it); what a person wrote, as they wrote it."""
    if action in ("create", "reassign") and (match := _ASSIGNED.fullmatch(reason)):
        return gettext(ASSIGNED_TO) % {"name": match["name"]}
    if action == "create" and _QUEUED.fullmatch(reason):
        return gettext(IN_QUEUE) % {"department": department}
    if action == "close" and (match := _RATED.fullmatch(reason)):
        return gettext(RATED) % {"rating": match["rating"]} + (match["comment"] or "")
    return reason


SUPPORT_REQUEST_STEPS = Steps(SUPPORT_REQUEST_WORKFLOW, support_request_acts_as, related=("school", "category"))


def support_request_url(request: SupportRequest) -> str:
    return reverse("support:request_detail", args=[request.pk])


def school_side(request: SupportRequest) -> list:
    """Who hears of the department's steps: whoever asked, and the school's principal(s)."""
    users = {request.requested_by_id: request.requested_by}
    for principal in principals_of(school_ids=[request.school_id]).get(request.school_id, []):
        users.setdefault(principal.pk, principal)
    return list(users.values())


def department_side(request: SupportRequest) -> list:
    """Who hears of the school's steps: the assignee, else every staff member of the department."""
    if request.assignee_id:
        return [request.assignee]
    staff = DepartmentStaff.objects.filter(department=request.department).select_related("user")
    return [row.user for row in staff]


def route_to(*, school: School, department: str):
    """The school's network team member for the department (the first by username), or None: the queue."""
    if school.network_id is None:
        return None
    seat = (
        TeamSeat.objects.filter(network_id=school.network_id, department=department)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return seat.user if seat else None


def support_request_create(
    *, actor: AbstractBaseUser, school: School, category: SupportCategory, subject: str, body: str
) -> SupportRequest:
    """The school's principal or team ask for help; anyone else is refused (404 for a school they do not see)."""
    if not can_create_support_request(actor, school):
        if not can_view_school(actor, school):
            raise NotFound("No such school.")
        raise NotPermitted("Only the school's principal or leadership team ask for help in its name.")
    subject = required_text(
        subject, field="subject", message="Say in a few words what you need.", max_length=SHORT_TEXT
    )
    body = required_text(body, field="body", message="Describe what you need help with.", max_length=NOTE_TEXT)
    with transaction.atomic():
        category = SupportCategory.objects.filter(pk=getattr(category, "pk", None), active=True).first()
        if category is None:
            raise ApplicationError(
                gettext("Choose what you need help with."),
                fields={"category": [gettext("Choose one of the categories the district offers.")]},
            )
        assignee = route_to(school=school, department=category.department)
        request = SupportRequest.objects.create(
            school=school,
            category=category,
            department=category.department,
            network_id=school.network_id,
            subject=subject,
            body=body,
            requested_by=actor,
            assignee=assignee,
            due_on=due_date(timezone.localdate(), category.deadline_business_days),
        )
        with translation.override(settings.LANGUAGE_CODE):
            routed = (
                ASSIGNED_TO % {"name": _name(assignee)}
                if assignee
                else IN_QUEUE % {"department": category.get_department_display()}
            )
        event = SUPPORT_REQUEST_STEPS.created(request, actor=actor, action="create", reason=routed)
        event.save()
        notify(
            users=department_side(request),
            key=f"support_request:{request.pk}:event:{event.pk}",
            title=f"{school.name} asks for help: {subject}",
            body=f"{category.name}. Due {request.due_on:%B %-d, %Y}.",
            url=support_request_url(request),
        )
    return request


def _name(user) -> str:
    return user.get_full_name() or user.username


def support_request_message(
    *, actor: AbstractBaseUser, request_id: int, body: str, internal: bool = False
) -> SupportMessage:
    """A reply the school reads (the other side is told), or an internal note only central office reads."""
    if not support_requests_visible_to(actor).filter(pk=request_id).exists():
        raise NotFound("No such support request.")
    body = required_text(body, field="body", message="Write the message.", max_length=NOTE_TEXT)
    with transaction.atomic():
        request = SUPPORT_REQUEST_STEPS.lock(request_id)
        require(can_write_message(actor, request, internal=internal))
        message = SupportMessage.objects.create(support_request=request, author=actor, body=body, internal=internal)
        if not internal:
            from_school = request.school_id in roles_of(actor).school_ids
            notify(
                users=department_side(request) if from_school else school_side(request),
                key=f"support_request:{request.pk}:message:{message.pk}",
                title=lambda: gettext("New reply on “%(subject)s”") % {"subject": request.subject},
                body=body,
                url=support_request_url(request),
            )
    return message
