"""What every request transition shares: the row lock, the state check, the event, the notice.

Each transition is `check → lock → validate → write status and event → notify on commit`. The row is
re-read with select_for_update, so of two people acting at once exactly one wins; the other gets a
Conflict naming what happened.
"""

from django.urls import reverse
from django.utils import timezone

from autonomy.models import (
    AutonomyRequest,
    RequestEvent,
)
from autonomy.policies import (
    can_edit_request,
    can_take_request_action,
)
from autonomy.workflows import request_transition
from core.errors import ApplicationError, Conflict
from core.notifications import notify
from core.policies import require
from schools.selectors import principals_of


def _check_action(actor, request: AutonomyRequest, action: str) -> None:
    """A step that is not open in the request's state is a conflict (somebody moved it); else ask the policy."""
    if request_transition(request.status, action) is None:
        raise Conflict(f"This request is {request.get_status_display().lower()}: that step is not open now.")
    require(can_take_request_action(actor, request, action))


def _locked(request_id: int) -> AutonomyRequest:
    try:
        return AutonomyRequest.objects.select_for_update().select_related("school", "call").get(pk=request_id)
    except AutonomyRequest.DoesNotExist:
        raise ApplicationError("No such request.") from None


def _expect(request: AutonomyRequest, expected_status: str | None) -> None:
    if expected_status and request.status != expected_status:
        raise Conflict(
            f"Somebody acted on this request first: it is now {request.get_status_display().lower()}. "
            "Reload the page to see what changed."
        )


def _move(request: AutonomyRequest, *, actor, action: str, note: str = "") -> RequestEvent:
    transition = request_transition(request.status, action)
    if transition is None:
        raise Conflict(f"This request is {request.get_status_display().lower()}: that step is not open now.")
    previous = request.status
    request.status = transition.to
    request.save(update_fields=["status", "updated_at", "submitted_at", "decided_at", "decided_by", "decision_note"])
    return RequestEvent.objects.create(
        request=request,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_status=previous,
        to_status=request.status,
        note=note,
    )


def _request_url(request: AutonomyRequest) -> str:
    return reverse("request_detail", args=[request.pk])


def _notify_school(request: AutonomyRequest, event: RequestEvent, title: str, body: str = "") -> None:
    notify(
        users=principals_of(school_ids=[request.school_id]).get(request.school_id, []),
        key=f"request:{request.pk}:event:{event.pk}",
        title=title,
        body=body,
        url=_request_url(request),
    )


def _editable(actor, request_id: int) -> AutonomyRequest:
    request = _locked(request_id)
    require(can_edit_request(actor, request))
    return request
