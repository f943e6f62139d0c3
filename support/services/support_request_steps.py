"""The support request's workflow (support.workflows.SUPPORT_REQUEST_WORKFLOW) through the transition kernel.

The department asks the school for something (wait), reassigns, or resolves; the school answers, reopens a
resolution it is not satisfied with, or closes the case with a rating. What a step says (what the school should send,
its answer, what was done, why it reopened) is the step's reason on the request's record, which the school
reads; the other side is told. Only a reassignment's note is internal: an internal message, not its reason.

The deadline clock pauses while a request waits on the school: when it stops waiting (the school answers,
or the department resolves it anyway) the due date moves on by the business days it waited. A reopened
request gets a fresh deadline: the category's business days from the day it was reopened. A request still in
the department's queue is taken up by whoever of its staff first asks the school for more or resolves it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import ApplicationError, NotFound
from core.limits import NOTE_TEXT
from core.notifications import notify
from core.workflows import limited_text, required_text
from support.models import DepartmentStaff, SupportMessage, SupportRequest, SupportStatus
from support.policies.requests import support_requests_visible_to
from support.policies.staff import works_in
from support.services.business_days import due_date, due_date_after_waiting
from support.services.support_requests import (
    ASSIGNED_TO,
    RATED,
    SUPPORT_REQUEST_STEPS,
    department_side,
    school_side,
    support_request_url,
)

RATINGS = range(1, 6)


def _visible(actor, request_id) -> None:
    if not support_requests_visible_to(actor).filter(pk=request_id).exists():
        raise NotFound("No such support request.")


def _tell(users, request, event, title, body="") -> None:
    notify(
        users=users,
        key=f"support_request:{request.pk}:event:{event.pk}",
        title=title,
        body=body,
        url=support_request_url(request),
    )


def _tell_school(request, event, title: Callable[[], str], body: str) -> None:
    """Tell whoever asked and the principal(s), each reading `title` (with the request's subject) in their language."""
    _tell(school_side(request), request, event, lambda: title() % {"subject": request.subject}, body)


@contextmanager
def _locked_for(actor, request_id: int, action: str, expected_status: str | None) -> Iterator[SupportRequest]:
    """The request locked in a transaction, refused before anything changes if the step is not the actor's
    to take or not open from the status they saw."""
    with transaction.atomic():
        request = SUPPORT_REQUEST_STEPS.lock(request_id)
        SUPPORT_REQUEST_STEPS.check(request, actor=actor, action=action, expected_status=expected_status)
        yield request


def _take_up(request: SupportRequest, actor) -> list[str]:
    """An unassigned request becomes the request of the department's staff member who acts on it first."""
    if request.assignee_id is None and works_in(actor, request.department):
        request.assignee = actor
        return ["assignee"]
    return []


def _stop_waiting(request: SupportRequest) -> dict:
    """Move the due date on by the business days the request waited on the school; returns the evidence."""
    asked = request.events.filter(action="wait").order_by("-at", "-pk").first()
    waited_from = timezone.localdate(asked.at) if asked else timezone.localdate()
    before = request.due_on
    request.due_on, waited = due_date_after_waiting(before, waited_from=waited_from, waited_until=timezone.localdate())
    return {"waited_business_days": waited, "due_before": before.isoformat(), "due_on": request.due_on.isoformat()}


def support_request_wait(
    *, actor: AbstractBaseUser, request_id: int, message: str, expected_status: str | None = None
) -> SupportRequest:
    """The department asks the school for something; the deadline clock pauses until the school answers."""
    _visible(actor, request_id)
    message = required_text(message, field="message", message="Say what the school should send.", max_length=NOTE_TEXT)
    with _locked_for(actor, request_id, "wait", expected_status) as request:
        event = SUPPORT_REQUEST_STEPS.take(
            request, actor=actor, action="wait", reason=message, fields=_take_up(request, actor)
        )
        _tell_school(request, event, lambda: gettext("Central office needs something from you: %(subject)s"), message)
    return request


def support_request_answer(
    *, actor: AbstractBaseUser, request_id: int, message: str, expected_status: str | None = None
) -> SupportRequest:
    """The school answers; the deadline moves on by the business days the request waited."""
    _visible(actor, request_id)
    message = required_text(message, field="message", message="Write your answer.", max_length=NOTE_TEXT)
    with _locked_for(actor, request_id, "answer", expected_status) as request:
        evidence = _stop_waiting(request)
        event = SUPPORT_REQUEST_STEPS.take(
            request, actor=actor, action="answer", reason=message, evidence=evidence, fields=["due_on"]
        )
        _tell(department_side(request), request, event, f"{request.school.name} answered: {request.subject}", message)
    return request


def support_request_reassign(
    *, actor: AbstractBaseUser, request_id: int, assignee, note: str = "", expected_status: str | None = None
) -> SupportRequest:
    """Hand the request to another staff member of its department (an internal note may say why)."""
    _visible(actor, request_id)
    note = limited_text(note, field="note", max_length=NOTE_TEXT)
    with _locked_for(actor, request_id, "reassign", expected_status) as request:
        department = request.get_department_display()
        staff = assignee and DepartmentStaff.objects.filter(user_id=assignee.pk, department=request.department)
        if not staff or not staff.exists():
            raise ApplicationError(
                f"Assign the request to someone in {department}.",
                fields={"assignee": [f"Choose a member of {department}'s staff."]},
            )
        if assignee.pk == request.assignee_id:
            raise ApplicationError(
                "The request is assigned to them already.", fields={"assignee": ["Choose someone else."]}
            )
        request.assignee = assignee
        name = assignee.get_full_name() or assignee.username
        event = SUPPORT_REQUEST_STEPS.take(
            request,
            actor=actor,
            action="reassign",
            reason=ASSIGNED_TO % {"name": name},  # the note, if any, is internal: the school reads the reason
            evidence={"assignee": assignee.username},
            fields=["assignee"],
        )
        if note:
            SupportMessage.objects.create(support_request=request, author=actor, body=note, internal=True)
        _tell([assignee], request, event, f"A support request is assigned to you: {request.subject}", note)
    return request


def support_request_resolve(
    *, actor: AbstractBaseUser, request_id: int, message: str, expected_status: str | None = None
) -> SupportRequest:
    """The department says what it did; the school may then close it with a rating, or reopen it."""
    _visible(actor, request_id)
    message = required_text(
        message, field="message", message="Say what was done: the school reads this.", max_length=NOTE_TEXT
    )
    with _locked_for(actor, request_id, "resolve", expected_status) as request:
        evidence = _stop_waiting(request) if request.status == SupportStatus.WAITING else {}
        request.resolved_at = timezone.now()
        evidence["on_time"] = timezone.localdate(request.resolved_at) <= request.due_on
        event = SUPPORT_REQUEST_STEPS.take(
            request,
            actor=actor,
            action="resolve",
            reason=message,
            evidence=evidence,
            fields=["due_on", "resolved_at", *_take_up(request, actor)],
        )
        _tell_school(request, event, lambda: gettext("Your support request is resolved: %(subject)s"), message)
    return request


def support_request_reopen(
    *, actor: AbstractBaseUser, request_id: int, reason: str, expected_status: str | None = None
) -> SupportRequest:
    """The school is not satisfied: the request opens again with a fresh deadline."""
    _visible(actor, request_id)
    reason = required_text(reason, field="reason", message="Say what is still not right.", max_length=NOTE_TEXT)
    with _locked_for(actor, request_id, "reopen", expected_status) as request:
        request.due_on = due_date(timezone.localdate(), request.category.deadline_business_days)
        request.resolved_at = None
        event = SUPPORT_REQUEST_STEPS.take(
            request,
            actor=actor,
            action="reopen",
            reason=reason,
            evidence={"due_on": request.due_on.isoformat()},
            fields=["due_on", "resolved_at"],
        )
        _tell(department_side(request), request, event, f"{request.school.name} reopened: {request.subject}", reason)
    return request


def support_request_close(
    *, actor: AbstractBaseUser, request_id: int, rating, comment: str = "", expected_status: str | None = None
) -> SupportRequest:
    """The school closes the case and rates the service from 1 (poor) to 5 (excellent)."""
    _visible(actor, request_id)
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise ApplicationError("Rate the service from 1 to 5.", fields={"rating": ["Choose a rating from 1 to 5."]})
    comment = limited_text(comment, field="comment", max_length=NOTE_TEXT)
    with _locked_for(actor, request_id, "close", expected_status) as request:
        request.rating, request.rating_comment = rating, comment
        event = SUPPORT_REQUEST_STEPS.take(
            request,
            actor=actor,
            action="close",
            reason=RATED % {"rating": rating} + (f" {comment}" if comment else ""),
            evidence={"rating": rating},
            fields=["rating", "rating_comment"],
        )
        _tell(department_side(request), request, event, f"{request.school.name} closed and rated: {request.subject}")
    return request


STEP_SERVICES = {
    "wait": support_request_wait,
    "answer": support_request_answer,
    "reassign": support_request_reassign,
    "resolve": support_request_resolve,
    "reopen": support_request_reopen,
    "close": support_request_close,
}
