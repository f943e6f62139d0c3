"""What every request step shares: the locked row, the step through the transition kernel, the notice.

Each step is `lock → check (who may, what the person saw, whether the step is open) → validate →
write status and event → notify on commit`; see core.workflows. Of two people acting at once exactly
one wins; the other gets a Conflict naming what happened.
"""

from collections.abc import Iterable

from django.urls import reverse

from autonomy.models import AutonomyRequest, RequestEvent
from autonomy.policies import can_edit_request, request_acts_as
from autonomy.workflows import REQUEST_WORKFLOW
from core.notifications import notify
from core.policies import require
from core.workflows import transition_check, transition_lock, transition_write
from schools.selectors import principals_of


def request_lock(request_id: int) -> AutonomyRequest:
    """The request, re-read for update. Call inside a transaction."""
    return transition_lock(REQUEST_WORKFLOW, request_id, related=("school", "call"))


def request_check(request: AutonomyRequest, *, actor, action: str, expected_status: str | None = None):
    """Refuse now (before validating the rest) if the step is not this actor's or not open."""
    return transition_check(
        REQUEST_WORKFLOW, request, action=action, user=actor, acts_as=request_acts_as, expected_status=expected_status
    )


def request_step(
    request: AutonomyRequest,
    *,
    actor,
    action: str,
    reason: str = "",
    expected_status: str | None = None,
    fields: Iterable[str] = (),
) -> RequestEvent:
    """Take one step of the request table on a request the caller has locked; `fields` were changed too."""
    transition = request_check(request, actor=actor, action=action, expected_status=expected_status)
    return transition_write(REQUEST_WORKFLOW, request, transition=transition, user=actor, reason=reason, fields=fields)


def request_lock_editable(actor, request_id: int) -> AutonomyRequest:
    """The request, locked, if the actor may edit it in its state now."""
    request = request_lock(request_id)
    require(can_edit_request(actor, request))
    return request


def request_url(request: AutonomyRequest) -> str:
    return reverse("autonomy:request_detail", args=[request.pk])


def notify_school_of_step(request: AutonomyRequest, event: RequestEvent, title: str, body: str = "") -> None:
    notify(
        users=principals_of(school_ids=[request.school_id]).get(request.school_id, []),
        key=f"request:{request.pk}:event:{event.pk}",
        title=title,
        body=body,
        url=request_url(request),
    )
