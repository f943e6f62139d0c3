"""The caseload pages: the district's caseloads, the autonomy office's assignment of liaisons and its
caseload settings, and a school's partnership log with the liaison's forms.

Views parse, ask the policy, call one service or selector and render; what a person may not see is 404.
A liaison's own caseload page shows flags, which live in accountability, so it is drawn by
sgs_portal/caseload.py, above every app.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import ApplicationError, NotFound, NotPermitted
from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key
from schools.models import School
from schools.selectors import school_get_for_user
from support.forms.caseloads import LiaisonAssignForm, PartnershipEntryForm, ServicePolicyCaseloadForm
from support.policies.caseloads import (
    can_change_partnership_entry,
    can_log_contact,
    can_manage_caseloads,
    can_view_district_caseloads,
    can_view_partnership_log,
)
from support.selectors.caseloads import (
    district_caseloads,
    liaison_choices,
    partnership_entry_get,
    partnership_log,
)
from support.selectors.service_policy import service_policy_current
from support.services.caseloads import school_liaison_assign, service_policy_caseloads_update
from support.services.partnership import (
    partnership_entry_create,
    partnership_entry_delete,
    partnership_entry_update,
)

LOG_PAGE_SIZE = 20


def _office_only(request) -> None:
    if not can_manage_caseloads(request.user):
        raise Http404("No such page.")


@require_safe
@login_required
def caseload_district(request):
    if not can_view_district_caseloads(request.user):
        raise Http404("No such page.")
    context = {
        "caseloads": district_caseloads(user=request.user, today=timezone.localdate()),
        "can_manage": bool(can_manage_caseloads(request.user)),
    }
    return render(request, "support/caseloads/district.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def service_policy_edit(request):
    _office_only(request)
    policy = service_policy_current()
    initial = {
        "caseload_limit": policy.caseload_limit,
        "liaison_hours_per_week": policy.liaison_hours_per_week,
        "principal_time_target_percent": policy.principal_time_target_percent,
    }
    form = ServicePolicyCaseloadForm(request.POST if request.method == "POST" else None, initial=initial)
    _saved, status = form_submit(
        request, form, lambda: service_policy_caseloads_update(actor=request.user, **form.cleaned_data), hidden=True
    )
    if status is None:
        messages.success(request, "The caseload settings are saved.")
        return redirect("support:caseload_district")
    return render(request, "support/caseloads/policy_edit.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def school_liaison_edit(request, code):
    _office_only(request)
    school = School.objects.select_related("liaison").filter(code=code).first()
    if school is None:
        raise Http404("No such school.")
    limit = service_policy_current().caseload_limit
    form = LiaisonAssignForm(
        request.POST if request.method == "POST" else None,
        choices=liaison_choices(user=request.user),
        limit=limit,
        initial={"liaison": school.liaison_id},
    )
    assignment, status = form_submit(
        request,
        form,
        lambda: school_liaison_assign(actor=request.user, school=school, liaison=form.cleaned_data["liaison"]),
        hidden=True,
    )
    if status is not None:
        context = {"school": school, "form": form, "limit": limit}
        return render(request, "support/caseloads/liaison_assign.html", context, status=status)
    who = assignment.liaison
    name = (who.get_full_name() or who.get_username()) if who else ""
    messages.success(
        request, f"{school.name}'s liaison is now {name}." if who else f"{school.name} has no liaison now."
    )
    if assignment.over_limit:
        messages.warning(request, assignment.warning)
    return redirect("support:caseload_district")


def _school_log_or_404(request, code) -> School:
    school = school_get_for_user(user=request.user, code=code)
    if not can_view_partnership_log(request.user, school):
        raise Http404("No such page.")
    return school


@require_safe
@login_required
def partnership_log_view(request, code):
    school = _school_log_or_404(request, code)
    page = Paginator(partnership_log(user=request.user, school=school), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [(entry, bool(can_change_partnership_entry(request.user, entry))) for entry in page.object_list]
    context = {
        "school": school,
        "page": page,
        "entries": entries,
        "may_log": bool(can_log_contact(request.user, school)),
    }
    return render(request, "support/caseloads/log.html", context)


def _entry_page(request, *, school, form, entry=None, status=200):
    context = {"school": school, "form": form, "entry": entry, "today": timezone.localdate()}
    return render(request, "support/caseloads/entry_form.html", context, status=status)


def _saved(form, save):
    """Run the service; a refusal goes next to the fields it names, nothing saved."""
    try:
        return save(), 200
    except (NotPermitted, NotFound):
        raise Http404("No such page.") from None
    except ApplicationError as error:
        form.add_application_error(error)
        return None, 400


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@once_per_form_key
def partnership_entry_add(request, code):
    school = _school_log_or_404(request, code)
    if not can_log_contact(request.user, school):
        raise Http404("Only the school's liaison logs a contact.")
    form = PartnershipEntryForm(
        request.POST if request.method == "POST" else None, initial={"on": timezone.localdate()}
    )
    if request.method != "POST":
        return _entry_page(request, school=school, form=form)
    if not form.is_valid():
        return _entry_page(request, school=school, form=form, status=400)
    log_url = reverse("support:partnership_log", args=[school.code])
    entry, status = _saved(
        form,
        lambda: create_once(
            request,
            lambda: partnership_entry_create(actor=request.user, school=school, contact=form.contact()),
            result=lambda e: (log_url, f"the {e.get_kind_display().lower()} of {e.on:%b} {e.on.day}"),
        ),
    )
    if entry is None:
        return _entry_page(request, school=school, form=form, status=status)
    told = " The principal is told of the next steps." if entry.next_steps else ""
    messages.success(request, f"The {entry.get_kind_display().lower()} is logged.{told}")
    return redirect(log_url)


def _changeable_entry(request, code, pk):
    school = _school_log_or_404(request, code)
    try:
        entry = partnership_entry_get(user=request.user, school=school, pk=pk)
    except NotFound:
        raise Http404("No such entry.") from None
    if not can_change_partnership_entry(request.user, entry):
        raise Http404("Only the liaison who wrote this entry changes it.")
    return school, entry


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def partnership_entry_edit(request, code, pk):
    school, entry = _changeable_entry(request, code, pk)
    form = PartnershipEntryForm(
        request.POST if request.method == "POST" else None, initial=PartnershipEntryForm.initial_for(entry)
    )
    if request.method != "POST":
        return _entry_page(request, school=school, form=form, entry=entry)
    if not form.is_valid():
        return _entry_page(request, school=school, form=form, entry=entry, status=400)
    saved, status = _saved(
        form, lambda: partnership_entry_update(actor=request.user, entry_id=entry.pk, contact=form.contact())
    )
    if saved is None:
        return _entry_page(request, school=school, form=form, entry=entry, status=status)
    messages.success(request, "The entry is saved.")
    return redirect("support:partnership_log", school.code)


@require_POST
@login_required
def partnership_entry_remove(request, code, pk):
    school, entry = _changeable_entry(request, code, pk)
    try:
        partnership_entry_delete(actor=request.user, entry_id=entry.pk)
    except (NotPermitted, NotFound):
        raise Http404("No such entry.") from None
    messages.success(request, f"The {entry.get_kind_display().lower()} of {entry.on:%b} {entry.on.day} is removed.")
    return redirect("support:partnership_log", school.code)
