"""Use (/impact/use/): whether holding an autonomy moved the measure of its use the product holds (the
discretionary share for Money, the budget plan's positions for the staffing model, a metric the district
imports for the others), grant by grant, with the grants never used listed as findings and what is not
measured said plainly (the rules in impact.selectors.use)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from impact.selectors.use import (
    FINDINGS,
    IMPORTED,
    NO_PLAN,
    NOT_USED,
    STAFFING_FTE,
    TOO_EARLY,
    USE_POINTS,
    USED,
    use_table,
)
from impact.views.common import csv_response, evaluation_team_only


@require_safe
@login_required
def use_page(request):
    evaluation_team_only(request)
    table = use_table()
    findings = [g for row in table for g in row.findings]
    return render(
        request,
        "impact/use.html",
        {
            "table": table,
            "findings": findings,
            "use_points": USE_POINTS,
            "staffing_fte": STAFFING_FTE,
            "imported": sorted(IMPORTED.items()),
            "verdicts": (USED, NOT_USED, NO_PLAN, TOO_EARLY),
            "section": "use",
            "finding_kinds": FINDINGS,
        },
    )


@require_safe
@login_required
def use_csv(request):
    evaluation_team_only(request)
    lines = []
    for row in use_table():
        for g in row.grants:
            lines.append(
                [
                    row.autonomy.code,
                    g.grant.school.code,
                    g.grant.starts_on.isoformat(),
                    g.first_year,
                    g.last_year,
                    "" if g.before is None else g.before.normalize(),
                    "" if g.best_held is None else g.best_held.normalize(),
                    g.verdict,
                    row.measure,
                ]
            )
    header = [
        "autonomy",
        "school",
        "starts_on",
        "first_year_held",
        "last_year_held",
        "value_year_before",
        "furthest_while_held",
        "verdict",
        "measure",
    ]
    return csv_response("autonomy-use.csv", header, lines)
