"""Allocation pages: finance computes and releases the year's allocations and reads the district table;
whoever sees a school reads its allocation line by line. Each view asks budgeting.policies, calls one
service or selector and renders; a refusal re-renders the page (fields 400, conflict 409)."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budgeting.allocation_charts import change_chart
from budgeting.forms.allocations import AllocationComputeForm, AllocationReleaseForm
from budgeting.models import SetKind
from budgeting.policies import can_manage_budgeting
from budgeting.selectors import (
    CSV_HEADER,
    allocation_csv_rows,
    allocation_set_get,
    allocation_sets_for_user,
    allocation_table,
    compute_choices,
    school_allocation_page,
)
from budgeting.services.allocations import allocation_set_compute, allocation_set_release, weeks_before
from budgeting.views.finance_pages import finance_only
from core.form_pages import form_submit
from core.spreadsheets import spreadsheet_cell
from schools.selectors import school_get_for_user

TABLE_PAGE_SIZE = 50


def _render_sets(request, form=None, *, status=200):
    formulas, snapshots = compute_choices()
    form = form or AllocationComputeForm(formulas=formulas, snapshots=snapshots)
    context = {"sets": allocation_sets_for_user(user=request.user), "form": form}
    return render(request, "budgeting/allocation_sets.html", context, status=status)


@require_safe
@login_required
def allocation_set_list(request):
    finance_only(request)
    return _render_sets(request)


@require_POST
@login_required
def allocation_set_compute_view(request):
    finance_only(request)
    formulas, snapshots = compute_choices()
    form = AllocationComputeForm(request.POST, formulas=formulas, snapshots=snapshots)

    def compute():
        formula, snapshot, kind = form.chosen()
        return allocation_set_compute(actor=request.user, formula=formula, snapshot=snapshot, kind=kind)

    allocation_set, status = form_submit(request, form, compute, hidden=True)
    if status is not None:
        return _render_sets(request, form, status=status)
    messages.success(request, f"Computed: {allocation_set.allocations.count():,} schools. Check it, then release it.")
    return redirect("budgeting:allocation_set_detail", pk=allocation_set.pk)


@require_safe
@login_required
def allocation_set_detail(request, pk):
    finance_only(request)
    allocation_set = allocation_set_get(user=request.user, pk=pk)
    rows, totals = allocation_table(allocation_set=allocation_set)
    page = Paginator(rows, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "set": allocation_set,
        "page": page,
        "totals": totals,
        "weeks": weeks_before(released_on=allocation_set.released_on, deadline=allocation_set.staffing_deadline)
        if allocation_set.released_on
        else None,
    }
    return render(request, "budgeting/allocation_set_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def allocation_set_release_view(request, pk):
    finance_only(request)
    allocation_set = allocation_set_get(user=request.user, pk=pk)
    if allocation_set.released_on is not None:
        return redirect("budgeting:allocation_set_detail", pk=pk)
    form = AllocationReleaseForm(
        request.POST if request.method == "POST" else None, initial={"released_on": datetime.date.today()}
    )
    _released, status = form_submit(
        request,
        form,
        lambda: allocation_set_release(actor=request.user, allocation_set=allocation_set, **form.cleaned_data),
        hidden=True,
    )
    if status is None:
        messages.success(request, "Released: the principals have been told.")
        return redirect("budgeting:allocation_set_detail", pk=pk)
    context = {"set": allocation_set, "form": form, "is_true_up": allocation_set.kind == SetKind.TRUE_UP}
    return render(request, "budgeting/allocation_release.html", context, status=status)


class _Echo:
    def write(self, value):
        return value


def _csv_lines(allocation_set):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for row in allocation_csv_rows(allocation_set=allocation_set):
        yield writer.writerow([spreadsheet_cell(value) for value in row])


@require_safe
@login_required
def allocation_set_lines_csv(request, pk):
    finance_only(request)
    allocation_set = allocation_set_get(user=request.user, pk=pk)
    response = StreamingHttpResponse(_csv_lines(allocation_set), content_type="text/csv; charset=utf-8")
    name = f"allocation-lines-{allocation_set.formula.school_year.label}-{allocation_set.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@login_required
def allocation_school(request, code):
    """The school's number, line by line, against last year; another school's answers 404."""
    school = school_get_for_user(user=request.user, code=code)
    page = school_allocation_page(user=request.user, school=school)
    context = {
        "school": school,
        "page": page,
        "chart": change_chart(page.changes),
        "is_finance": bool(can_manage_budgeting(request.user)),
    }
    return render(request, "budgeting/allocation_school.html", context)
