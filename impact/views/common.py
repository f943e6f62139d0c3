"""What every impact page does first: refuse anybody the policy refuses with a 404 (impact.policies),
and write a CSV of the figures a page shows."""

import csv

from django.http import Http404, HttpResponse

from impact.policies import can_view_impact


def evaluation_team_only(request) -> None:
    if not can_view_impact(request.user):
        raise Http404("No such page.")


def csv_response(name: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
