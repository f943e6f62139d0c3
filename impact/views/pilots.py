"""Pilot design (/impact/pilots/): for a cohort, the autonomy it pilots and a metric, the comparison group
the product proposes (impact.services.pilots) with its balance table, the autonomy office keeping it,
and every group kept, superseded ones included (/impact/pilots/<id>/ shows one as it was kept)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import ApplicationError
from impact.forms import PilotForm
from impact.policies import can_keep_comparison
from impact.selectors.pilots import comparison_get, comparisons_history
from impact.services.pilots import BALANCED, balance_rows, pilot_comparison_keep, pilot_comparison_propose
from impact.views.common import evaluation_team_only
from metrics.formatting import format_number, format_value

HISTORY_SHOWN = 50


def _figure(value: float, unit: str, metric) -> str:
    if unit == "metric":
        return format_value(metric, value)
    if unit == "percent":
        return f"{format_number(value, 1)}%"
    return format_number(value, 0)


def _difference(value) -> str:
    if value is None:
        return "—"
    text = format_number(abs(value), 2)
    return f"−{text}" if value < 0 and text != "0" else text


def balance_lines(rows: list[dict], metric) -> list[dict]:
    """The balance table's rows as people write the numbers: the metric in its unit, enrollment in whole
    students, shares to one decimal, standardized differences to two, and whether each reads as close."""
    return [
        {
            "feature": row["feature"],
            "pilot": _figure(row["pilot"], row["unit"], metric),
            "comparison": _figure(row["comparison"], row["unit"], metric),
            "candidates": _figure(row["candidates"], row["unit"], metric),
            "difference": _difference(row["difference"]),
            "difference_before": _difference(row["difference_before"]),
            "close": row["difference"] is not None and abs(row["difference"]) <= BALANCED,
        }
        for row in rows
    ]


def _proposal(form):
    try:
        return pilot_comparison_propose(**form.cleaned_data)
    except ApplicationError as error:
        form.add_application_error(error)
        return None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def pilots_page(request):
    evaluation_team_only(request)
    may_keep = can_keep_comparison(request.user)
    status, proposal = 200, None
    if request.method == "POST":
        if not may_keep:
            return HttpResponseForbidden(may_keep.reason)
        form = PilotForm(request.POST)
        if form.is_valid():
            try:
                kept = pilot_comparison_keep(actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, f"Kept: the comparison group for {kept.cohort.name}.")
                return redirect("impact:pilot", pk=kept.pk)
        status = 400
    else:
        form = PilotForm(request.GET or None)
        if form.is_bound:
            proposal = _proposal(form) if form.is_valid() else None
            status = 200 if proposal else 400
    context = {
        "form": form,
        "proposal": proposal,
        "balance": balance_lines(balance_rows(proposal), proposal.metric) if proposal else [],
        "history": comparisons_history()[:HISTORY_SHOWN],
        "may_keep": bool(may_keep),
        "balanced": BALANCED,
        "section": "pilots",
    }
    return render(request, "impact/pilots.html", context, status=status)


@require_safe
@login_required
def pilot_page(request, pk: int):
    evaluation_team_only(request)
    comparison = comparison_get(pk=pk)
    pilots = {s.code: s for s in comparison.pilot_schools.all()}
    schools = {s.code: s for s in comparison.schools.all()}
    matches = sorted(comparison.matches.items())
    pairs = [(pilots.get(code), [schools.get(c) for c in matched]) for code, matched in matches]
    outcomes = (
        f"{reverse('impact:outcomes')}?autonomy={comparison.autonomy.code}&metric={comparison.metric.code}"
        f"&compare_with={comparison.pk}"
    )
    context = {
        "comparison": comparison,
        "pairs": pairs,
        "balance": balance_lines(comparison.balance, comparison.metric),
        "outcomes": outcomes,
        "balanced": BALANCED,
        "section": "pilots",
    }
    return render(request, "impact/pilot.html", context)
