"""The public pages: no login, nothing private, cached per version (reports.cache). Each view checks
its query string, calls one selector, and renders."""

import csv
import io
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from core.spreadsheets import spreadsheet_cell
from reports.cache import cached_public
from reports.forms_public import RegisterFilterForm
from reports.selectors import DOMAIN_WORDS, GRANT_STATUS_WORDS, MODEL_WORDS, register_read
from reports.selectors_open_data import register_rows, results_rows, results_years
from reports.selectors_pages import autonomy_page_read, school_page_read
from reports.selectors_service_scores import (
    SCORE_COLUMNS,
    network_scores_read,
    service_score_rows,
    service_scores_read,
)
from reports.services.publishing import rules_in_force
from schools.periods import school_year_problem

REGISTER_COLUMNS = [
    "school",
    "school_name",
    "network",
    "autonomy",
    "autonomy_name",
    "domain",
    "model",
    "status",
    "since",
    "benchmarks_met",
    "benchmarks_rated",
]
RESULTS_COLUMNS = ["school", "metric", "metric_name", "benchmark", "period", "value", "target", "status", "rating"]


REGISTER_PAGE_SIZE = 100


def _words():
    return {"domain_words": DOMAIN_WORDS, "model_words": MODEL_WORDS, "status_words": GRANT_STATUS_WORDS}


@require_GET
@cached_public(params=("domain", "model", "network", "page"))
def register(request):
    """The district page: the Autonomy Register, filtered by domain, model and network."""
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        data = register_read(today=today)
        page = Paginator(data.rows, REGISTER_PAGE_SIZE).get_page(1)
        context = {"form": form, "register": data, "page": page, "filtered": False, "query": "", **_words()}
        return render(request, "reports/register.html", context, status=400)
    filters = form.cleaned_data if request.GET else {}
    data = register_read(
        today=today,
        domain=filters.get("domain", ""),
        model=filters.get("model", ""),
        network=filters.get("network"),
    )
    filtered = any(filters.values()) if filters else False
    # A page of schools at a time: a district of 2,000 is not one page a phone should load. A page number
    # that is not one is the first page (the last, past the end), never an error.
    page = Paginator(data.rows, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {name: request.GET[name] for name in ("domain", "model", "network") if request.GET.get(name)}
    context = {"form": form, "register": data, "page": page, "filtered": filtered, "query": urlencode(kept)}
    # The year's results file (results_csv?year=), once a school listed has a result rated that year.
    context["results_file_year"] = data.results_year if any(row.rated for row in data.rows) else ""
    return render(request, "reports/register.html", {**context, **_words()})


@require_GET
@cached_public
def school(request, code: str):
    page = school_page_read(code=code, today=timezone.localdate())
    rules = rules_in_force()
    service = network_scores_read(network=page.school.network, rules=rules)
    context = {"page": page, "service": service, "marker": rules.marker, **_words()}
    return render(request, "reports/school.html", context)


@require_GET
@cached_public
def autonomy(request, code: str):
    page = autonomy_page_read(code=code, today=timezone.localdate())
    return render(request, "reports/autonomy.html", {"page": page, **_words()})


@require_GET
@cached_public
def central_office(request):
    """Principals' ratings of central office's service in the latest closed survey, by network."""
    return render(request, "reports/central_office.html", {"scores": service_scores_read()})


def _csv(rows: list[dict], columns: list[str], filename: str) -> HttpResponse:
    """An open-data file; its view is cached with `compress` (reports.cache): a client admitting gzip gets
    the body compressed once per version, not per request (the results file is megabytes on a district)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: spreadsheet_cell(value) for key, value in row.items()} for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@cached_public(compress=True)
def register_csv(request):
    return _csv(register_rows(today=timezone.localdate()), REGISTER_COLUMNS, "autonomy-register.csv")


@require_GET
@cached_public(params=("year",), compress=True)
def results_csv(request):
    """Every year's results, or one school year's (`?year=2026-27`, linked from the register) with the same
    suppression. A year that is not one is a 400, a year without published results a 404, each saying why:
    neither builds nor keeps a file, so made-up years cost one query at most."""
    if "year" not in request.GET:
        return _csv(results_rows(surface="csv:results"), RESULTS_COLUMNS, "results.csv")
    year = request.GET["year"].strip()
    if problem := school_year_problem(year):
        return _refusal(f"year: {problem}", status=400)
    published = results_years()
    if year not in published:
        years = ", ".join(published) or "none yet"
        return _refusal(f"year: no results are published for {year} (published: {years})", status=404)
    return _csv(results_rows(surface="csv:results", year=year), RESULTS_COLUMNS, f"results-{year}.csv")


def _refusal(message: str, *, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", content_type="text/plain; charset=utf-8", status=status)


@require_GET
@cached_public(compress=True)
def service_scores_csv(request):
    """The central-office page's figures as a file: district-wide and by network, the same suppression."""
    return _csv(service_score_rows(surface="csv:service-scores"), SCORE_COLUMNS, "service-scores.csv")


# The language switch on a cached public page carries no per-visitor token; choosing a language is all
# it can do, and Django's view only follows a `next` on this site.
language_set = csrf_exempt(require_POST(set_language))
