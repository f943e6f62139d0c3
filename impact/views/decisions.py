"""The decision log (/impact/decisions/): what the district decided about each autonomy from the
evidence, newest first, with the page it came from; the autonomy office records one (a viewer reads
the log and is refused the form's POST with a 403 naming why)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.form_pages import form_submit
from impact.forms import DecisionForm
from impact.policies import can_record_decision
from impact.selectors.decisions import decisions_list
from impact.services.decisions import decision_record
from impact.views.common import evaluation_team_only


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decisions_page(request):
    evaluation_team_only(request)
    may_record = can_record_decision(request.user)
    if request.method == "POST":
        if not may_record:
            return HttpResponseForbidden(may_record.reason)
        form = DecisionForm(request.POST)
    else:
        form = DecisionForm(
            initial={"autonomy": request.GET.get("autonomy"), "evidence_path": request.GET.get("evidence", "")}
        )
    _recorded, status = form_submit(request, form, lambda: decision_record(actor=request.user, **form.cleaned_data))
    if status is None:
        messages.success(request, f"Recorded: {form.cleaned_data['autonomy'].name}.")
        return redirect("impact:decisions")
    log = decisions_list()[:200]
    context = {"form": form, "log": log, "may_record": bool(may_record), "section": "decisions"}
    return render(request, "impact/decisions.html", context, status=status)
