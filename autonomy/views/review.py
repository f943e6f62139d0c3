"""The central office's side of a request: the review queue, comments, clarifications and the decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from autonomy.forms.requests import ClarifyForm, CommentForm, DecideForm
from autonomy.models import AccountabilityModel, ItemDecision
from autonomy.policies import (
    can_comment_on_request,
    can_decide_request,
    can_review_requests,
    reviewing_function,
)
from autonomy.selectors import request_get_for_user, requests_for_queue
from autonomy.selectors_eligibility import eligibility_for
from autonomy.services import request_comment, request_decide, request_item_clarify
from autonomy.views.request_pages import refused, render_detail, step_refusal
from core.errors import ApplicationError, NotPermitted

QUEUE_PAGE_SIZE = 25


@login_required
def review_queue(request):
    if not can_review_requests(request.user):
        raise Http404("No such page.")
    page = Paginator(requests_for_queue(user=request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "autonomy/requests/queue.html", {"page": page})


@login_required
@require_POST
def request_comment_view(request, pk):
    autonomy_request = request_get_for_user(user=request.user, pk=pk)
    if not (decision := can_comment_on_request(request.user, autonomy_request)):
        return refused(request, autonomy_request, decision.reason)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_detail(request, autonomy_request, status=400, comment_form=form)
    try:
        request_comment(
            actor=request.user,
            request_id=pk,
            body=form.cleaned_data["body"],
            to_school=form.cleaned_data["to_school"],
            recommendation=form.cleaned_data["recommendation"],
            function=reviewing_function(request.user, autonomy_request),
        )
    except NotPermitted as error:
        return refused(request, autonomy_request, error.message)
    except ApplicationError as error:
        form.add_field_errors(error.fields)
        messages.error(request, error.message)
        return render_detail(request, autonomy_request, status=400, comment_form=form)
    messages.success(
        request, "Comment sent to the school." if form.cleaned_data["to_school"] else "Internal comment saved."
    )
    return redirect("autonomy:request_detail", pk=pk)


@login_required
@require_POST
def request_item_clarify_view(request, pk, item_pk):
    """A reviewer answers a barrier the school named: no rule prevents this; the school already may."""
    autonomy_request = request_get_for_user(user=request.user, pk=pk)
    item = next((i for i in autonomy_request.items.all() if i.pk == item_pk), None)
    if item is None:
        raise Http404("No such item.")
    if not (decision := can_comment_on_request(request.user, autonomy_request)):
        return refused(request, autonomy_request, decision.reason)
    form = ClarifyForm(request.POST, prefix=f"clarify-{item.pk}")
    if not form.is_valid():
        messages.error(request, f"“{item.autonomy.name}”: explain what schools may already do.")
        return render_detail(request, autonomy_request, status=400, clarify_forms={item.pk: form})
    if refusal := step_refusal(
        request,
        autonomy_request,
        lambda: request_item_clarify(actor=request.user, item_id=item.pk, explanation=form.cleaned_data["explanation"]),
        form=form,
        draw_again=lambda: render_detail(request, autonomy_request, status=400, clarify_forms={item.pk: form}),
    ):
        return refusal
    messages.success(request, f"“{item.autonomy.name}” is marked as already allowed; every school can see why.")
    return redirect("autonomy:request_detail", pk=pk)


@login_required
def request_decide_view(request, pk):
    autonomy_request = request_get_for_user(user=request.user, pk=pk)
    if not (decision := can_decide_request(request.user, autonomy_request)):
        return refused(request, autonomy_request, decision.reason)
    items = [i for i in autonomy_request.items.all()]
    if request.method != "POST":
        form = DecideForm(items=items, initial=_decide_initial(autonomy_request, items))
        return _render_decide(request, autonomy_request, form)
    form = DecideForm(request.POST, items=items)
    if not form.is_valid():
        return _render_decide(request, autonomy_request, form, status=400)
    if refusal := step_refusal(
        request,
        autonomy_request,
        lambda: request_decide(
            actor=request.user,
            request_id=pk,
            choices=form.choices(),
            note=form.cleaned_data["note"],
            expected_status=form.cleaned_data["expected_status"],
        ),
        form=form,
        draw_again=lambda: _render_decide(request, autonomy_request, form, status=400),
    ):
        return refusal
    messages.success(request, "The decision is recorded and the school has been told.")
    return redirect("autonomy:request_detail", pk=pk)


def _decide_initial(autonomy_request, items) -> dict:
    """Items a reviewer already clarified stay clarified, with their explanation."""
    initial = {"expected_status": autonomy_request.status}
    for item in items:
        if item.decision == ItemDecision.CLARIFIED:
            initial[f"items-{item.pk}-decision"] = ItemDecision.CLARIFIED
            initial[f"items-{item.pk}-note"] = item.decision_note
    return initial


def _unmet(checks) -> bool:
    return bool(checks) and not all(check.holds for check in checks)


def _render_decide(request, autonomy_request, form, status=200):
    items = form.items
    checks = eligibility_for(
        school=autonomy_request.school,
        autonomies=[i.autonomy for i in items if i.autonomy.model == AccountabilityModel.EARNED],
    )
    context = {
        "autonomy_request": autonomy_request,
        "form": form,
        "rows": [
            (item, form.item_fields(item), checks.get(item.autonomy_id), _unmet(checks.get(item.autonomy_id)))
            for item in items
        ],
        "recommendations": [c for c in autonomy_request.visible_comments if c.recommendation],
    }
    return render(request, "autonomy/requests/decide.html", context, status=status)
