"""Uptake (/impact/): requested, granted, at risk, suspended, revoked and reinstated by autonomy and
school year, the median wait for a decision and the barriers named against those clarified."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from impact.forms import UptakeFilterForm
from impact.selectors.uptake import COUNT_LABELS, COUNTS, uptake_table, uptake_totals
from impact.views.common import csv_response, evaluation_team_only


def _rows(request):
    form = UptakeFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    return form, uptake_table(domain=data.get("domain", ""), start_year=form.start_year() if form.is_bound else None)


@require_safe
@login_required
def uptake_page(request):
    evaluation_team_only(request)
    form, rows = _rows(request)
    context = {"form": form, "rows": rows, "labels": [COUNT_LABELS[c] for c in COUNTS], "section": "uptake"}
    if rows is None:
        return render(request, "impact/uptake.html", context, status=400)
    context["totals"] = [uptake_totals(rows)[c] for c in COUNTS]
    return render(request, "impact/uptake.html", context)


@require_safe
@login_required
def uptake_csv(request):
    evaluation_team_only(request)
    form, rows = _rows(request)
    if rows is None:
        return render(request, "impact/uptake.html", {"form": form, "rows": None, "section": "uptake"}, status=400)
    header = ["autonomy", "model", "school_year", *COUNTS, "median_days_to_decision", "barriers_named", "clarified"]
    lines = []
    for row in rows:
        median = "" if row.median_days is None else round(row.median_days, 1)
        for year in row.years or [None]:
            cells = year.cells if year else [0] * len(COUNTS)
            lines.append(
                [
                    row.autonomy.code,
                    row.autonomy.model,
                    year.label if year else "",
                    *cells,
                    median,
                    row.barriers_named,
                    row.clarified,
                ]
            )
    return csv_response("autonomy-uptake.csv", header, lines)
