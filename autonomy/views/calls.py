"""Calls for proposals: the board every user sees, and opening a call (the autonomy office)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from autonomy.forms.calls import CallForm
from autonomy.policies import can_manage_autonomy
from autonomy.selectors import autonomies_by_domain, calls_for_board, schools_user_acts_for
from autonomy.services import call_create
from core.errors import ApplicationError, NotPermitted
from core.idempotency import create_once, once_per_form_key
from core.parsing import parse_ids


@login_required
def call_list(request):
    return render_call_list(request)


def render_call_list(request, *, status=200):
    """Also the page a refused "Start a request" comes back to, with the reason."""
    context = {
        "board": calls_for_board(user=request.user, today=timezone.localdate()),
        "schools": list(schools_user_acts_for(user=request.user)),
        "can_open_calls": can_manage_autonomy(request.user),
    }
    return render(request, "autonomy/calls/list.html", context, status=status)


@login_required
@once_per_form_key
def call_create_view(request):
    if not can_manage_autonomy(request.user):
        raise Http404("No such page.")
    groups = autonomies_by_domain()
    catalog = [autonomy for _, _, autonomies in groups for autonomy in autonomies]
    initial = {"opens_on": timezone.localdate()}
    if request.method != "POST" and "autonomy" in request.GET:
        # ?autonomy=<code>: opened from a school's eligibility, the autonomy it may now request is chosen.
        preselected = [a for a in catalog if a.code == request.GET["autonomy"]]
        if not preselected:
            refusal = "Autonomies this call offers: no autonomy in the catalog has that code. Choose them below."
            return _render_form(request, CallForm(autonomies=catalog, initial=initial), groups, 400, refusal)
        initial["autonomies"] = [preselected[0].pk]
    form = CallForm(request.POST or None, autonomies=catalog, initial=initial)
    if request.method != "POST":
        return _render_form(request, form, groups, preselected=preselected[0] if "autonomies" in initial else None)
    if not form.is_valid():
        return _render_form(request, form, groups, status=400)
    data = form.cleaned_data
    try:
        call = create_once(
            request,
            lambda: call_create(
                actor=request.user,
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                autonomies=form.chosen_autonomies(),
                guidance=data["guidance"],
                questions=data["questions"],
            ),
            result=lambda call: (reverse("autonomy:call_list"), f"the call “{call.title}”"),
        )
    except NotPermitted:
        raise Http404("No such page.") from None
    except ApplicationError as error:
        form.add_field_errors(error.fields)
        messages.error(request, error.message)
        return _render_form(request, form, groups, status=400)
    messages.success(
        request, f"The call “{call.title}” is saved. Schools can start requests from {call.opens_on:%B %-d}."
    )
    return redirect("autonomy:call_list")


def _render_form(request, form, groups, status=200, refusal="", preselected=None):
    chosen = parse_ids([str(v) for v in form["autonomies"].value() or []])
    context = {"form": form, "groups": groups, "chosen": chosen, "refusal": refusal, "preselected": preselected}
    return render(request, "autonomy/calls/create.html", context, status=status)
