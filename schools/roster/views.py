"""The autonomy office's roster import page: upload a .zip, see what it would change (a dry run, done in the
background, the page following its progress), then apply it; and the mapping of OneRoster roles.

Anybody but the autonomy office gets a 404, as on the other admin-only pages.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import Conflict
from core.form_pages import form_submit
from schools.office_pages import office_only
from schools.roster.forms import RosterMappingForm, RosterUploadForm
from schools.roster.imports import MAX_SHOWN, roster_import_confirm, roster_import_start
from schools.roster.mapping import roster_mapping_read, roster_mapping_set
from schools.roster.models import RosterImport, RosterImportStatus

COUNT_LABELS = {
    "schools_created": "New schools",
    "schools_updated": "Schools changed or reopened",
    "schools_closed": "Schools closed",
    "people_created": "New accounts",
    "people_updated": "Accounts changed or reactivated",
    "people_deactivated": "Accounts deactivated",
    "memberships_added": "Roles added",
    "memberships_ended": "Roles ended",
    "people_not_imported": "People not imported (by the mapping)",
}
# What a change is, in the words of the page's first column: (kind, action) → words.
CHANGE_WORDS = {
    ("district", "create"): "New district",
    ("district", "update"): "District linked",
    ("school", "create"): "New school",
    ("school", "update"): "School changed",
    ("school", "close"): "School closed",
    ("school", "reopen"): "School reopened",
    ("person", "create"): "New account",
    ("person", "link"): "Account taken over",
    ("person", "update"): "Account changed",
    ("person", "reactivate"): "Account reactivated",
    ("person", "deactivate"): "Account deactivated",
    ("membership", "add"): "Role added",
    ("membership", "end"): "Role ended",
}


@require_http_methods(["GET", "HEAD", "POST"])
@office_only
def roster_import(request):
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else RosterUploadForm()
    run, status = form_submit(
        request,
        form,
        lambda: roster_import_start(actor=request.user, file_name=form.cleaned_data["file"].name, data=form.data_bytes),
        hidden=True,
    )
    if status is not None:
        return _render_page(request, form=form, status=status)
    return redirect("schools:roster_import_detail", run.pk)


@require_POST
@office_only
def roster_mapping(request):
    mapping = roster_mapping_read()
    form = RosterMappingForm(request.POST, mapping=mapping)
    _saved, status = form_submit(
        request, form, lambda: roster_mapping_set(actor=request.user, mapping=form.cleaned_data), hidden=True
    )
    if status is not None:
        return _render_page(request, mapping_form=form, status=status)
    messages.success(request, "The roster mapping was saved. It applies to the next file you check.")
    return redirect("schools:roster_import")


def _render_page(request, *, form=None, mapping_form=None, status=200):
    mapping = roster_mapping_read()
    context = {
        "form": form or RosterUploadForm(),
        "mapping_form": mapping_form or RosterMappingForm(mapping=mapping),
        "imports": RosterImport.objects.select_related("created_by", "applied_by").defer("data")[:10],
    }
    return render(request, "schools/roster_import.html", context, status=status)


@require_safe
@office_only
def roster_import_detail(request, pk):
    return _render_detail(request, pk)


@require_POST
@office_only
def roster_import_apply(request, pk):
    try:
        run = roster_import_confirm(actor=request.user, import_id=pk)
    except RosterImport.DoesNotExist:
        raise Http404("No such import.") from None
    except Conflict as error:
        return _render_detail(request, pk, refusal=error.message, status=409)
    # Without a broker the work is already done here; with one, the page follows it. The message says which.
    run.refresh_from_db(fields=["status"])
    if run.status == RosterImportStatus.APPLIED:
        messages.success(request, "The changes were applied.")
    elif run.status == RosterImportStatus.APPLYING:
        messages.info(request, "The changes are being applied. This page follows them.")
    return redirect("schools:roster_import_detail", pk)


def _render_detail(request, pk, *, refusal: str = "", status: int = 200):
    run = get_object_or_404(RosterImport.objects.select_related("created_by", "applied_by").defer("data"), pk=pk)
    context = {
        "run": run,
        "refusal": refusal,
        "counts": [(label, run.counts.get(key, 0)) for key, label in COUNT_LABELS.items()],
        "changes": [{**change, "words": CHANGE_WORDS[change["kind"], change["action"]]} for change in run.changes],
        "max_shown": MAX_SHOWN,
    }
    template = "schools/roster_import_detail.html"
    if request.htmx:
        template += "#import-status"
    return render(request, template, context, status=status)
