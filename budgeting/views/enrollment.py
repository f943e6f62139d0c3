"""Finance's enrollment pages: the snapshots by school year, one snapshot's table, an upload, a projection
and the adjustment of one projected count.

Each view parses its form, asks budgeting.policies, calls one service or selector and renders. Anybody
but finance gets a 404, as on the metrics upload page: these pages are not theirs to know about. A form
the service refuses is drawn again with the reason (400; 409 when the snapshot is locked by allocations).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from budgeting.forms.enrollment import EnrollmentCountForm, EnrollmentImportForm, EnrollmentProjectForm
from budgeting.selectors_enrollment import snapshot_get, snapshot_table, snapshot_title, snapshots_by_year
from budgeting.services.enrollment import (
    COLUMNS,
    MAX_STUDENTS,
    enrollment_count_set,
    enrollment_import,
    enrollment_project,
    snapshot_adjust_refusal,
)
from budgeting.views.finance_pages import finance_only
from core.errors import ApplicationError, NotPermitted
from core.form_pages import form_submit
from core.querystring import query_without
from metrics.services import MAX_LISTED_ERRORS


def _snapshot_or_404(pk: int):
    snapshot = snapshot_get(pk)
    if snapshot is None:
        raise Http404("No such snapshot.")
    return snapshot


def _done(request, report, verb: str):
    """After an import or a projection: say what happened, on the snapshot's page."""
    snapshot = report.snapshot
    if report.no_changes:
        messages.info(request, f"No changes: the {snapshot_title(snapshot)} already holds these counts.")
    else:
        messages.success(
            request,
            f"{verb} the {snapshot_title(snapshot)}: {report.schools:,} school{'s' if report.schools != 1 else ''}, "
            f"{report.students:,} students.",
        )
    return redirect("budgeting:enrollment_snapshot", snapshot.pk)


@require_safe
@login_required
def enrollment_snapshots(request):
    finance_only(request)
    return render(request, "budgeting/enrollment_snapshots.html", {"years": snapshots_by_year()})


@require_safe
@login_required
def enrollment_snapshot(request, pk: int):
    finance_only(request)
    snapshot = _snapshot_or_404(pk)
    context = {
        "snapshot": snapshot,
        "title": snapshot_title(snapshot),
        "table": snapshot_table(snapshot, page_number=request.GET.get("page")),
        "adjust_refusal": snapshot_adjust_refusal(snapshot),
        "querystring": query_without(request.GET, "page"),
    }
    return render(request, "budgeting/enrollment_snapshot.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def enrollment_import_view(request):
    finance_only(request)
    form, report, refusal, status = EnrollmentImportForm(), None, "", 200
    if request.method == "POST":
        form, status = EnrollmentImportForm(request.POST, request.FILES), 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = enrollment_import(
                    actor=request.user,
                    school_year=data["school_year"],
                    kind=data["kind"],
                    as_of=data["as_of"],
                    text=form.text,
                    label=data["file"].name,
                )
            except NotPermitted:  # the role was taken away since the check above
                raise Http404("No such page.") from None
            except ApplicationError as error:
                refusal, status = error.message, error.http_status
            else:
                if report.ok:
                    return _done(request, report, "Imported")
    context = {
        "form": form,
        "report": report,
        "refusal": refusal,
        "file_name": form.cleaned_data["file"].name if report is not None else "",
        "max_listed": MAX_LISTED_ERRORS,
        "columns": COLUMNS,
        "max_students": MAX_STUDENTS,
    }
    return render(request, "budgeting/enrollment_import.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def enrollment_project_view(request):
    finance_only(request)
    form = EnrollmentProjectForm(request.POST or None)
    report, status = form_submit(
        request,
        form,
        lambda: enrollment_project(
            actor=request.user, school_year=form.cleaned_data["school_year"], as_of=form.cleaned_data["as_of"]
        ),
        hidden=True,
    )
    if status is None:
        return _done(request, report, "Saved")
    return render(request, "budgeting/enrollment_project.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def enrollment_count_set_view(request, pk: int):
    finance_only(request)
    snapshot = _snapshot_or_404(pk)
    initial = {key: request.GET[key] for key in ("school", "category") if key in request.GET}
    form = EnrollmentCountForm(request.POST or None, initial=initial)
    refusal = snapshot_adjust_refusal(snapshot)
    count, status = form_submit(
        request,
        form,
        lambda: enrollment_count_set(
            actor=request.user,
            snapshot=snapshot,
            school=form.cleaned_data["school"],
            category=form.cleaned_data["category"],
            students=form.cleaned_data["students"],
        ),
        hidden=True,
    )
    if status is None:
        data = form.cleaned_data
        messages.success(
            request, f"{data['school'].name} now counts {count.students:,} students in {data['category'].name}."
        )
        return redirect("budgeting:enrollment_snapshot", snapshot.pk)
    context = {"snapshot": snapshot, "title": snapshot_title(snapshot), "form": form, "refusal": refusal}
    return render(request, "budgeting/enrollment_count_set.html", context, status=status)
