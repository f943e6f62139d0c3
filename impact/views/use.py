"""Use (/impact/use/): whether holding a Money autonomy moved the school's discretionary share, grant by
grant, with the grants never used listed as findings (the rules in impact.selectors.use)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from impact.selectors.use import FINDINGS, NO_PLAN, NOT_USED, TOO_EARLY, USE_POINTS, USED, use_table
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
                ]
            )
    header = [
        "autonomy",
        "school",
        "starts_on",
        "first_year_held",
        "last_year_held",
        "discretionary_share_year_before",
        "highest_share_while_held",
        "verdict",
    ]
    return csv_response("autonomy-use.csv", header, lines)
