"""The grants ledger: per-school history, the district matrix and its CSV, changes by the autonomy office."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from autonomy.forms.grants import (
    FlexibilityFilterForm,
    GrantChangeForm,
    GrantIssueScopeForm,
    GrantMatrixFilterForm,
)
from autonomy.policies import can_manage_autonomy, can_view_district_grants
from autonomy.selectors_grants import (
    CELL_TEXT,
    clarified_flexibilities,
    cohorts_with_sizes,
    grant_get_for_change,
    grant_history_for_school,
    matrix_autonomies,
    matrix_rows,
    matrix_rows_in_batches,
    matrix_schools,
)
from autonomy.services import grant_change, grants_issue_to_scope
from core.errors import ApplicationError, Conflict
from core.form_pages import form_submit
from core.querystring import query_without
from core.spreadsheets import spreadsheet_cell
from core.versions import fragment, fragments_shared
from schools.policies import roles_of
from schools.selectors import network_choices_for_user, school_get_for_user

MATRIX_PAGE_SIZE = 50
FLEXIBILITY_PAGE_SIZE = 20


@require_safe
@login_required
def school_grants(request, code):
    school = school_get_for_user(user=request.user, code=code)
    context = {
        "school": school,
        "records": grant_history_for_school(school=school),
        "can_manage": bool(can_manage_autonomy(request.user)),
    }
    return render(request, "autonomy/grants/school_grants.html", context)


def _matrix_query(request):
    """The filter form, the columns and the matching schools: shared by the page and its export, which
    only those who may see the whole district's grants find."""
    if not can_view_district_grants(request.user):
        raise Http404("No such page.")
    form = GrantMatrixFilterForm(request.GET or None, networks=network_choices_for_user(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    autonomies = matrix_autonomies(domain=filters.get("domain", ""), model=filters.get("model", ""))
    schools = matrix_schools(
        user=request.user,
        autonomies=autonomies,
        network_id=filters.get("network"),
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    return form, autonomies, schools


def _matrix_rows_kept(request, form, autonomies, page) -> str:
    """The matrix's rows for central office, who all see every school and the same rows: rendered once per
    filter, page and language and kept in the shared cache under the versions of what they show (the live
    grants, the catalog's columns, the schools with their networks). Empty for anyone else, whose rows
    are drawn for them, for a page with no school (the page then says that no school matches) and where
    nothing may be kept (core.versions.fragments_shared)."""
    if not (fragments_shared() and roles_of(request.user).is_central_office and page.paginator.count and autonomies):
        return ""

    def build() -> str:
        rows = matrix_rows(schools=list(page.object_list), autonomies=autonomies)
        return render_to_string("autonomy/grants/matrix.html#matrix-rows", {"rows": rows})

    filters = form.cleaned_data if form.is_valid() else {}
    network = filters.get("network") or ""
    parts = (*(filters.get(name, "") for name in ("domain", "model", "status", "q")), network, page.number)
    return mark_safe(fragment("matrix-rows", ("grants", "catalog", "schools"), parts, build))  # noqa: S308


@require_safe
@login_required
def grants_matrix(request):
    form, autonomies, schools = _matrix_query(request)
    page = Paginator(schools, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows_kept = _matrix_rows_kept(request, form, autonomies, page)
    context = {
        "form": form,
        "page": page,
        "autonomies": autonomies,
        "rows_kept": rows_kept,
        "rows": [] if rows_kept else matrix_rows(schools=list(page.object_list), autonomies=autonomies),
        "legend": [(status or "none", *text) for status, text in CELL_TEXT.items()],
        "querystring": query_without(request.GET, "page"),
        "can_manage": bool(can_manage_autonomy(request.user)),
    }
    template = "autonomy/grants/matrix.html"
    if request.htmx:
        template += "#matrix-table"
    return render(request, template, context)


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def _matrix_csv_lines(*, autonomies, rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(["school_code", "school_name", "network", *(a.code for a in autonomies)])
    for row in rows:
        school = row.school
        cells = [cell.grant.status if cell.grant else "" for cell in row.cells]
        yield writer.writerow(
            [
                spreadsheet_cell(v)
                for v in (school.code, school.name, school.network.name if school.network else "", *cells)
            ]
        )


@require_safe
@login_required
def grants_matrix_csv(request):
    _form, autonomies, schools = _matrix_query(request)
    rows = matrix_rows_in_batches(schools=schools, autonomies=autonomies)
    response = StreamingHttpResponse(
        _matrix_csv_lines(autonomies=autonomies, rows=rows), content_type="text/csv; charset=utf-8"
    )
    filename = f"decision-rights-{datetime.date.today():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def grant_change_view(request, pk):
    if not can_manage_autonomy(request.user):
        raise Http404("No such page.")
    grant = grant_get_for_change(user=request.user, pk=pk)
    form = GrantChangeForm(request.POST if request.method == "POST" else None, grant=grant)
    status, conflict = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changed = grant_change(
                    actor=request.user,
                    grant_id=grant.pk,
                    action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                    evidence=form.evidence(),
                    expected_status=form.cleaned_data["expected_status"],
                )
            except Conflict as error:
                # Show the grant as it is now and let the person decide again; keep what they wrote.
                status, conflict = 409, error.message
                form = GrantChangeForm(grant=grant, initial={"reason": form.cleaned_data["reason"]})
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                now = changed.get_status_display().lower()
                messages.success(request, f"“{changed.autonomy.name}” at {changed.school.name} is now {now}.")
                return redirect("autonomy:school_grants", changed.school.code)
    context = {"grant": grant, "form": form, "conflict": conflict}
    return render(request, "autonomy/grants/grant_change.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def grants_issue_scope(request):
    if not can_manage_autonomy(request.user):
        raise Http404("No such page.")
    form = GrantIssueScopeForm(request.POST if request.method == "POST" else None, scopes=cohorts_with_sizes())

    def issue():
        data = form.cleaned_data
        return grants_issue_to_scope(
            actor=request.user,
            autonomy=data["autonomy"],
            cohort=form.cohort,
            reason=data["reason"],
            retention_benchmarks=data["retention_benchmarks"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )

    outcome, status = form_submit(request, form, issue, hidden=True)
    if status is not None:
        return render(request, "autonomy/grants/issue_scope.html", {"form": form}, status=status)
    granted = len(outcome.created)
    messages.success(
        request, f"Granted to {granted} school{'s' if granted != 1 else ''} ({outcome.already_held} already held it)."
    )
    if outcome.revoked:
        named = "; ".join(
            f"{grant.school.code} {grant.school.name} (revoked {grant.updated_at:%B %-d, %Y})"
            for grant in outcome.revoked
        )
        messages.warning(
            request,
            f"Not granted where it was revoked: {named}. A revoked grant comes back only by reinstating "
            "it, one school at a time, from the school's grants page, with a reason.",
        )
    return redirect(f"{reverse('autonomy:grants_matrix')}?domain={form.cleaned_data['autonomy'].domain}")


@require_safe
@login_required
def flexibility_list(request):
    form = FlexibilityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    flexibilities = clarified_flexibilities(search=filters.get("q", ""), domain=filters.get("domain", ""))
    context = {
        "form": form,
        "page": Paginator(flexibilities, FLEXIBILITY_PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": query_without(request.GET, "page"),
    }
    template = "autonomy/grants/flexibility_list.html"
    if request.htmx:
        template += "#flexibility-results"
    return render(request, template, context)
