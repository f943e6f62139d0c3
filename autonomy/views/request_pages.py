"""What the request pages share: the detail page's context, and how a refusal is shown.

A refused action re-renders the page the user was on: 400 for input a rule refused (the messages
next to their fields), 403 when the user may see the request but not take this step, 409 when
somebody acted first.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from autonomy.forms.requests import ActionNoteForm, ClarifyForm, CommentForm, ExpectedStatusForm
from autonomy.models import AutonomyRequest, ItemDecision, RequestStatus
from autonomy.policies import (
    can_comment_on_request,
    can_decide_request,
    can_edit_request,
    can_take_request_action,
)
from autonomy.selectors import request_answers, request_get_for_user
from core.errors import ApplicationError, Conflict, NotPermitted
from schools.policies import autonomy_office

# The steps of the principal's form, in order: (slug, title).
STEPS = [
    ("autonomies", _("Choose autonomies")),
    ("reasons", _("Reasons and barriers")),
    ("plan", _("Plan and questions")),
    ("outcomes", _("Target outcomes")),
    ("review", _("Review and submit")),
]
STEP_SLUGS = [slug for slug, _title in STEPS]

# How the timeline says what each event did.
EVENT_VERBS = {
    "create": _("started the draft"),
    "submit": _("submitted the request"),
    "review": _("opened the review"),
    "return": _("returned it for changes"),
    "approve": _("recorded the decision"),
    "decline": _("declined it"),
    "withdraw": _("withdrew it"),
}


def step_of(field_key: str) -> str:
    """Which step holds a field a service named (for the links of the completeness list)."""
    if field_key == "autonomies":
        return "autonomies"
    if field_key.startswith("items."):
        return "reasons"
    if field_key == "plan" or field_key.startswith("answers."):
        return "plan"
    if field_key.startswith("outcomes"):
        return "outcomes"
    return "review"


def missing_rows(missing: dict[str, list[str]]) -> list[dict]:
    """The completeness list: each thing still to write, with the step to write it in."""
    titles = dict(STEPS)
    return [
        {"key": key, "message": message, "step": step_of(key), "step_title": titles[step_of(key)]}
        for key, messages_ in missing.items()
        for message in messages_
    ]


def detail_context(http_request, autonomy_request: AutonomyRequest, **forms) -> dict:
    """Everything request_detail shows; `forms` replaces a default form (one carrying errors)."""
    user = http_request.user
    status = {"expected_status": autonomy_request.status}
    comments = autonomy_request.visible_comments
    can = {
        "edit": can_edit_request(user, autonomy_request),
        "submit": can_take_request_action(user, autonomy_request, "submit"),
        "withdraw": can_take_request_action(user, autonomy_request, "withdraw"),
        "return": can_take_request_action(user, autonomy_request, "return"),
        "decline": can_take_request_action(user, autonomy_request, "decline"),
        "comment": can_comment_on_request(user, autonomy_request),
        "decide": can_decide_request(user, autonomy_request),
        # An approved request's target outcomes can be written into the school's contract: the contracts
        # app's rule (contracts.policies.can_manage_contracts) is the autonomy office's, asked here by its
        # one name because this app sits below contracts.
        "write_contract": autonomy_request.status == RequestStatus.APPROVED and autonomy_office(user),
    }
    clarify_forms = forms.pop("clarify_forms", {})
    items = list(autonomy_request.items.all())
    context = {
        "autonomy_request": autonomy_request,
        "items": items,
        "clarifiable": [
            (item, clarify_forms.get(item.pk) or ClarifyForm(prefix=f"clarify-{item.pk}"))
            for item in items
            if item.barrier and item.decision == ItemDecision.PENDING
        ],
        "answers": request_answers(request=autonomy_request),
        "outcomes": list(autonomy_request.outcomes.all()),
        "events": list(autonomy_request.events.all()),
        "event_verbs": EVENT_VERBS,
        "comments": comments,
        "recommendations": [c for c in comments if c.recommendation],
        "can": can,
        "action_form": ExpectedStatusForm(initial=status),
        "comment_form": CommentForm(),
        "return_form": ActionNoteForm(initial=status, prefix="return"),
        "decline_form": ActionNoteForm(initial=status, prefix="decline"),
    }
    context.update(forms)
    return context


def render_detail(http_request, autonomy_request: AutonomyRequest, *, status: int = 200, **forms):
    return render(
        http_request,
        "autonomy/requests/detail.html",
        detail_context(http_request, autonomy_request, **forms),
        status=status,
    )


def refused(http_request, autonomy_request: AutonomyRequest, reason: str):
    """The user may see this request but not take this step: say why, on the request's page."""
    messages.error(http_request, reason)
    return render_detail(http_request, autonomy_request, status=403)


def conflict(http_request, pk: int, message: str):
    """Somebody acted first: show the request as it is now, with what happened."""
    messages.error(http_request, message)
    fresh = request_get_for_user(user=http_request.user, pk=pk)
    return render_detail(http_request, fresh, status=409)


def step_refusal(
    http_request,
    autonomy_request: AutonomyRequest,
    step: Callable[[], object],
    *,
    form,
    draw_again: Callable[[], HttpResponse],
) -> HttpResponse | None:
    """Takes a step on the request through its service and answers a refusal as every request page does:
    somebody acted first, shown as a conflict; a prohibition, said on the request's page; any other
    refusal, each message by the field it names (when there is a `form` to show it) and the page drawn
    again. None when the step was taken."""
    try:
        step()
    except Conflict as error:
        return conflict(http_request, autonomy_request.pk, error.message)
    except NotPermitted as error:
        return refused(http_request, autonomy_request, error.message)
    except ApplicationError as error:
        if form is not None:
            form.add_field_errors(error.fields)
        messages.error(http_request, error.message)
        return draw_again()
    return None
