"""What every impact page does first: refuse anybody the policy refuses with a 404 (impact.policies),
and write a CSV of the figures a page shows, each cell made safe for a spreadsheet (core.spreadsheets)."""

import csv

from django.http import Http404, HttpResponse

from core.spreadsheets import spreadsheet_cell
from impact.policies import can_view_impact


def evaluation_team_only(request) -> None:
    if not can_view_impact(request.user):
        raise Http404("No such page.")


def csv_response(name: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([spreadsheet_cell(cell) for cell in header])
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return response
