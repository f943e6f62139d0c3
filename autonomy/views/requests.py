"""Requests: the school's list, the principal's multi-step form, the request page and its workflow actions.

The reviewers' queue, comments and the decision live in autonomy/views/review.py, calls in
autonomy/views/calls.py; they are imported here because autonomy/urls.py routes them from this module.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from autonomy.forms.requests import (
    ActionNoteForm,
    AutonomiesForm,
    ExpectedStatusForm,
    OutcomeFormSet,
    PlanForm,
    ReasonsForm,
    RequestFilterForm,
)
from autonomy.models import ACCOUNTABILITY_MODEL_HELP
from autonomy.policies import (
    can_attempt_request_action,
    can_edit_request,
    can_start_request,
    can_take_request_action,
)
from autonomy.selectors import (
    autonomy_ids_with_live_grant,
    call_autonomies_by_domain,
    call_get,
    calls_for_board,
    calls_for_filter,
    metrics_for_outcomes,
    request_answers,
    request_get_for_user,
    requests_for_list,
    schools_user_acts_for,
)
from autonomy.selectors_eligibility import plain_number
from autonomy.services import (
    OutcomeInput,
    request_create,
    request_decline,
    request_missing,
    request_return,
    request_set_autonomies,
    request_set_outcomes,
    request_submit,
    request_update_items,
    request_update_plan,
    request_withdraw,
)
from autonomy.views.calls import render_call_list
from autonomy.views.request_pages import (
    STEP_SLUGS,
    STEPS,
    missing_rows,
    refused,
    render_detail,
    step_refusal,
)
from core.errors import ApplicationError, NotPermitted
from core.idempotency import create_once, once_per_form_key
from core.querystring import query_without
from schools.policies import roles_of

LIST_PAGE_SIZE = 25


@login_required
def request_list(request):
    form = RequestFilterForm(request.GET or None, calls=calls_for_filter())
    filters = form.cleaned_data if form.is_valid() else {}
    requests = requests_for_list(
        user=request.user,
        status=filters.get("status", ""),
        call_id=filters["call"].pk if filters.get("call") else None,
    )
    roles = roles_of(request.user)
    is_school = bool(roles.school_ids) and not roles.is_central_office
    context = {
        "form": form,
        "page": Paginator(requests, LIST_PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": query_without(request.GET, "page"),
        "is_school": is_school,
        "board": calls_for_board(user=request.user, today=timezone.localdate()) if is_school else None,
        "schools": list(schools_user_acts_for(user=request.user)) if is_school else [],
    }
    template = "autonomy/requests/list.html"
    if request.htmx:
        template += "#request-table"
    return render(request, template, context)


@login_required
@require_POST
@once_per_form_key
def request_start(request, call_id):
    call = call_get(pk=call_id)
    schools = list(schools_user_acts_for(user=request.user))
    chosen = request.POST.get("school", "")
    if chosen:
        school = next((s for s in schools if str(s.pk) == chosen), None)
    else:
        school = schools[0] if len(schools) == 1 else None
    if school is None or not can_start_request(request.user, school.pk):
        messages.error(request, _("Only a school's principal or leadership team can start its request."))
        return render_call_list(request, status=403)
    try:
        autonomy_request = create_once(
            request,
            lambda: request_create(actor=request.user, school=school, call=call),
            result=lambda created: (
                reverse("autonomy:request_edit", kwargs={"pk": created.pk, "step": STEP_SLUGS[0]}),
                _("your school's request in “%(call)s”") % {"call": call.title},
            ),
        )
    except NotPermitted as error:
        messages.error(request, error.message)
        return render_call_list(request, status=403)
    except ApplicationError as error:
        messages.error(request, error.message)
        return render_call_list(request, status=400)
    messages.success(
        request,
        _("Your draft for “%(call)s” is started. Save as you go; nothing is sent until you submit.")
        % {"call": call.title},
    )
    return redirect("autonomy:request_edit", pk=autonomy_request.pk, step=STEP_SLUGS[0])


@login_required
def request_detail(request, pk):
    autonomy_request = request_get_for_user(user=request.user, pk=pk)
    return render_detail(request, autonomy_request)


# --- the principal's steps ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """How one step builds its form from the request and saves it through its service."""

    build: Callable  # (data, autonomy_request) -> (form, extra context)
    save: Callable  # (actor, autonomy_request, form) -> None


def _autonomies_form(data, autonomy_request):
    groups = call_autonomies_by_domain(call=autonomy_request.call)
    offered = [autonomy for _, _, autonomies in groups for autonomy in autonomies]
    chosen = [item.autonomy_id for item in autonomy_request.items.all()]
    held = autonomy_ids_with_live_grant(school_id=autonomy_request.school_id)
    form = AutonomiesForm(data, offered=[a for a in offered if a.pk not in held], initial={"autonomies": chosen})
    return form, {"groups": groups, "model_help": ACCOUNTABILITY_MODEL_HELP, "held": held}


def _save_autonomies(actor, autonomy_request, form):
    request_set_autonomies(actor=actor, request_id=autonomy_request.pk, autonomy_ids=form.cleaned_data["autonomies"])


def _reasons_form(data, autonomy_request):
    return ReasonsForm(data, items=autonomy_request.items.all()), {}


def _save_reasons(actor, autonomy_request, form):
    request_update_items(actor=actor, request_id=autonomy_request.pk, items=form.values())


def _plan_form(data, autonomy_request):
    return PlanForm(
        data, answered=request_answers(request=autonomy_request), initial={"plan": autonomy_request.plan}
    ), {}


def _save_plan(actor, autonomy_request, form):
    request_update_plan(
        actor=actor, request_id=autonomy_request.pk, plan=form.cleaned_data["plan"], answers=form.answers()
    )


def _outcomes_form(data, autonomy_request):
    initial = [
        {
            "metric": o.metric.code,
            "baseline": plain_number(o.baseline) if o.baseline is not None else "",
            "target": plain_number(o.target),
            "by_period": o.by_period,
        }
        for o in autonomy_request.outcomes.all()
    ]
    formset = OutcomeFormSet(data, initial=initial, prefix="outcomes", form_kwargs={"metrics": metrics_for_outcomes()})
    return formset, {}


def _save_outcomes(actor, autonomy_request, formset):
    outcomes = [
        OutcomeInput(
            metric=form.cleaned_data["metric"],
            baseline="" if form.cleaned_data["baseline"] is None else str(form.cleaned_data["baseline"]),
            target=str(form.cleaned_data["target"]),
            by_period=form.cleaned_data["by_period"],
        )
        for form in formset.kept_forms()
    ]
    request_set_outcomes(actor=actor, request_id=autonomy_request.pk, outcomes=outcomes)


EDIT_STEPS = {
    "autonomies": Step(_autonomies_form, _save_autonomies),
    "reasons": Step(_reasons_form, _save_reasons),
    "plan": Step(_plan_form, _save_plan),
    "outcomes": Step(_outcomes_form, _save_outcomes),
}


@login_required
def request_edit(request, pk, step):
    if step not in STEP_SLUGS:
        raise Http404("No such step.")
    autonomy_request = request_get_for_user(user=request.user, pk=pk)
    decision = can_edit_request(request.user, autonomy_request)
    if not decision:
        if not autonomy_request.is_editable:
            messages.info(request, decision.reason)
            return redirect("autonomy:request_detail", pk=pk)
        return refused(request, autonomy_request, decision.reason)
    if step == "review":
        return render_review(request, autonomy_request)
    handler = EDIT_STEPS[step]
    if request.method != "POST":
        form, extra = handler.build(None, autonomy_request)
        return _render_step(request, autonomy_request, step, form, extra)
    form, extra = handler.build(request.POST, autonomy_request)
    if not form.is_valid():
        return _render_step(request, autonomy_request, step, form, extra, status=400)
    if refusal := step_refusal(
        request,
        autonomy_request,
        lambda: handler.save(request.user, autonomy_request, form),
        form=form,
        draw_again=lambda: _render_step(request, autonomy_request, step, form, extra, status=400),
    ):
        return refusal
    if request.POST.get("intent") == "draft":
        messages.success(request, _("Draft saved."))
        return redirect("autonomy:request_edit", pk=pk, step=step)
    return redirect("autonomy:request_edit", pk=pk, step=STEP_SLUGS[STEP_SLUGS.index(step) + 1])


def _step_context(autonomy_request, step: str) -> dict:
    index = STEP_SLUGS.index(step)
    return {
        "autonomy_request": autonomy_request,
        "steps": STEPS,
        "step": step,
        "step_number": index + 1,
        "step_title": STEPS[index][1],
        "previous_step": STEP_SLUGS[index - 1] if index else None,
    }


def _render_step(request, autonomy_request, step, form, extra, status=200):
    context = {**_step_context(autonomy_request, step), "form": form, **extra}
    return render(request, f"autonomy/requests/edit_{step}.html", context, status=status)


def render_review(request, autonomy_request, *, status=200):
    """The last step: everything the school wrote, what is still missing, and the submit button."""
    missing = request_missing(request=autonomy_request)
    context = {
        **_step_context(autonomy_request, "review"),
        "items": list(autonomy_request.items.all()),
        "answers": request_answers(request=autonomy_request),
        "outcomes": list(autonomy_request.outcomes.all()),
        "missing": missing_rows(missing),
        "can_submit": can_take_request_action(request.user, autonomy_request, "submit"),
        "action_form": ExpectedStatusForm(initial={"expected_status": autonomy_request.status}),
    }
    return render(request, "autonomy/requests/review.html", context, status=status)


# --- workflow actions -----------------------------------------------------------------------------

ACTION_SERVICES = {
    "submit": request_submit,
    "withdraw": request_withdraw,
    "return": request_return,
    "decline": request_decline,
}
ACTION_DONE = {
    "submit": gettext_lazy(
        "Your request is submitted. The central office will review it; you will be told of every step."
    ),
    "withdraw": gettext_lazy("The request is withdrawn."),
    "return": gettext_lazy("The request is returned to the school for changes."),
    "decline": gettext_lazy("The request is declined. The school has been told."),
}


@login_required
@require_POST
def request_action(request, pk, action):
    """Submit, withdraw, return or decline.

    Here the view asks only whether the user is the kind of actor the step needs (a principal, the
    autonomy office); whether the step is open now is asked by the service under the row lock, so the
    loser of a double click hears what happened ("somebody acted first") rather than "not open now".
    """
    if action not in ACTION_SERVICES:
        raise Http404("No such action.")
    autonomy_request = request_get_for_user(user=request.user, pk=pk)
    if not (decision := can_attempt_request_action(request.user, autonomy_request, action)):
        return refused(request, autonomy_request, decision.reason)
    with_note = action in ("return", "decline")
    form = ActionNoteForm(request.POST, prefix=action) if with_note else ExpectedStatusForm(request.POST)
    if not form.is_valid():
        if not with_note:  # only the hidden status is missing: the page is out of date
            messages.error(request, _("This page was out of date. Here is the request as it is now; try again."))
        return render_detail(request, autonomy_request, status=400, **{f"{action}_form": form})
    arguments = {"note": form.cleaned_data["note"]} if with_note else {}
    if refusal := step_refusal(
        request,
        autonomy_request,
        lambda: ACTION_SERVICES[action](
            actor=request.user, request_id=pk, expected_status=form.cleaned_data["expected_status"], **arguments
        ),
        # A step with a note shows the refusal by the note; a submission refused for what is missing goes
        # back to the review of the whole draft.
        form=form if with_note else None,
        draw_again=lambda: (
            render_review(request, autonomy_request, status=400)
            if action == "submit"
            else render_detail(request, autonomy_request, status=400, **{f"{action}_form": form})
        ),
    ):
        return refusal
    messages.success(request, ACTION_DONE[action])
    return redirect("autonomy:request_detail", pk=pk)
