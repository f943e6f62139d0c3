"""What every request step shares: the locked row, the step through the transition kernel, the notice.

Each step is `lock → check (who may, what the person saw, whether the step is open) → validate →
write status and event → notify on commit`; see core.workflows. Of two people acting at once exactly
one wins; the other gets a Conflict naming what happened.
"""

from django.urls import reverse

from autonomy.models import AutonomyRequest, RequestEvent
from autonomy.policies import can_edit_request, request_acts_as
from autonomy.workflows import REQUEST_WORKFLOW
from core.notifications import Text, notify
from core.policies import require
from core.workflows import Steps
from schools.selectors import principals_of

REQUEST_STEPS = Steps(REQUEST_WORKFLOW, request_acts_as, related=("school", "call"))
request_lock = REQUEST_STEPS.lock
request_check = REQUEST_STEPS.check
request_step = REQUEST_STEPS.take


def request_lock_editable(actor, request_id: int) -> AutonomyRequest:
    """The request, locked, if the actor may edit it in its state now."""
    request = request_lock(request_id)
    require(can_edit_request(actor, request))
    return request


def request_url(request: AutonomyRequest) -> str:
    return reverse("autonomy:request_detail", args=[request.pk])


def notify_school_of_step(request: AutonomyRequest, event: RequestEvent, title: Text, body: Text = "") -> None:
    notify(
        users=principals_of(school_ids=[request.school_id]).get(request.school_id, []),
        key=f"request:{request.pk}:event:{event.pk}",
        title=title,
        body=body,
        url=request_url(request),
    )
