"""A school's network page (where it is, its history, its request waiting, the services it opted out of,
and the principal's form to choose a network while the window is open), the principal's steps on it, and
the autonomy office's queue of requests to approve or decline with the places each network has left.

A school the user may not see answers 404; so does a step the user may not take on a school they see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import ApplicationError, Conflict
from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key
from schools.models import SchoolYear
from schools.selectors import school_get_for_user
from support.forms.networks import (
    NetworkDecisionForm,
    NetworkDeclineForm,
    NetworkRequestForm,
    NetworkWithdrawForm,
    OptOutForm,
)
from support.models import NetworkRequestStatus, OptOutAllowance
from support.policies.networks import can_decide_network_requests, can_record_opt_out, can_request_network
from support.selectors.networks import (
    network_request_get_for_user,
    network_requests_pending,
    networks_with_places,
    opt_in_window_next,
    opt_in_window_open,
    places_left,
    school_membership_history,
    school_network_for_year,
    school_network_requests,
    school_opt_outs,
    school_year_current,
)
from support.services import networks_opt_outs, networks_requests

QUEUE_PAGE_SIZE = 25


def _years_open_for_opt_outs():
    return SchoolYear.objects.filter(end_date__gte=timezone.localdate()).order_by("start_date")


def _school_page(request, school, *, request_form=None, opt_out_form=None, status=200):
    user = request.user
    current_year = school_year_current()
    window = opt_in_window_open()
    may_request = bool(can_request_network(user, school))
    may_opt_out = bool(can_record_opt_out(user, school))
    requests = school_network_requests(school=school)
    pending = next((r for r in requests if r.status == NetworkRequestStatus.PENDING), None)
    choosing_for = window.school_year if window else None
    network_then = school_network_for_year(school=school, school_year=choosing_for) if choosing_for else None
    places = {}
    if window and may_request and request_form is None:
        places = _places_left_by_network(choosing_for)
        request_form = NetworkRequestForm(places=places, exclude=network_then)
    years = _years_open_for_opt_outs()
    allowances = list(OptOutAllowance.objects.filter(network_id=school.network_id).order_by("department"))
    allowed = [allowance.department for allowance in allowances]
    if may_opt_out and opt_out_form is None and allowed:
        opt_out_form = OptOutForm(allowed=allowed, years=years, initial={"school_year": current_year})
    context = {
        "school": school,
        "today": timezone.localdate(),
        "current_year": current_year,
        "window": window,
        "next_window": None if window else opt_in_window_next(),
        "choosing_for": choosing_for,
        "network_then": network_then,
        "pending": pending,
        "requests": requests,
        "history": school_membership_history(school=school),
        "opt_outs": school_opt_outs(school=school),
        "allowances": allowances,
        "may_request": may_request,
        "may_opt_out": may_opt_out,
        "request_form": request_form,
        "opt_out_form": opt_out_form,
        "withdraw_form": NetworkWithdrawForm(initial={"expected_status": NetworkRequestStatus.PENDING}),
    }
    return render(request, "support/networks/school.html", context, status=status)


def _school_url(school) -> str:
    return reverse("support:network_school", args=[school.code])


def _places_left_by_network(school_year) -> dict:
    """What the request form offers: each network's places left for the year (None where it has no limit)."""
    return {n.pk: places_left(n.capacity, n.places_taken) for n in networks_with_places(school_year)}


@require_safe
@login_required
def network_school(request, code):
    school = school_get_for_user(user=request.user, code=code)
    return _school_page(request, school)


def _principal_school_or_404(request, code, decision):
    school = school_get_for_user(user=request.user, code=code)
    if not decision(request.user, school):
        raise Http404("Only the school's principal does this.")
    return school


@require_POST
@login_required
@once_per_form_key
def network_school_request(request, code):
    school = _principal_school_or_404(request, code, can_request_network)
    window = opt_in_window_open()
    if window is None:
        messages.error(request, _("Networks cannot be chosen now: the window is closed."))
        return redirect("support:network_school", school.code)
    year = window.school_year
    places = _places_left_by_network(year)
    form = NetworkRequestForm(request.POST, places=places)
    _made, status = form_submit(
        request,
        form,
        lambda: create_once(
            request,
            lambda: networks_requests.network_request_create(
                actor=request.user, school=school, school_year=year, **form.cleaned_data
            ),
            result=lambda made: (
                _school_url(school),
                _("the request to join %(network)s") % {"network": made.network.name},
            ),
        ),
        hidden=True,
    )
    if status is not None:
        return _school_page(request, school, request_form=form, status=status)
    messages.success(request, _("Your request is sent to the autonomy office. You will be told when it decides."))
    return redirect("support:network_school", school.code)


@require_POST
@login_required
def network_request_withdraw(request, pk):
    found = network_request_get_for_user(user=request.user, pk=pk)
    if not can_request_network(request.user, found.school):
        raise Http404("Only the school's principal withdraws its request.")
    form = NetworkWithdrawForm(request.POST)
    expected = form.cleaned_data["expected_status"] if form.is_valid() else None
    try:
        networks_requests.network_request_withdraw(actor=request.user, request_id=found.pk, expected_status=expected)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your request is withdrawn. You may ask for another network while the window is open.")
        )
    return redirect("support:network_school", found.school.code)


@require_POST
@login_required
@once_per_form_key
def network_school_opt_out(request, code):
    school = _principal_school_or_404(request, code, can_record_opt_out)
    allowed = OptOutAllowance.objects.filter(network_id=school.network_id).values_list("department", flat=True)
    form = OptOutForm(request.POST, allowed=list(allowed), years=_years_open_for_opt_outs())
    _made, status = form_submit(
        request,
        form,
        lambda: create_once(
            request,
            lambda: networks_opt_outs.service_opt_out_record(actor=request.user, school=school, **form.cleaned_data),
            result=lambda made: (
                _school_url(school),
                _("the opt-out of %(department)s") % {"department": made.get_department_display()},
            ),
        ),
        hidden=True,
    )
    if status is not None:
        return _school_page(request, school, opt_out_form=form, status=status)
    messages.success(request, _("The opt-out is recorded for the year."))
    return redirect("support:network_school", school.code)


@require_POST
@login_required
def network_school_opt_out_withdraw(request, code, pk):
    school = _principal_school_or_404(request, code, can_record_opt_out)
    try:
        networks_opt_outs.service_opt_out_withdraw(actor=request.user, opt_out_id=pk, school=school)
    except ApplicationError:
        raise Http404("No such opt-out.") from None
    messages.success(request, _("The opt-out is taken back: the department serves the school again."))
    return redirect("support:network_school", school.code)


# --- the autonomy office's queue -------------------------------------------------------------------------


def _queue_page(request, *, forms=None, conflict="", status=200):
    page = Paginator(network_requests_pending(user=request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.places_left = places_left(row.network.capacity, row.places_taken)
        row.approve_form, row.decline_form = (forms or {}).get(row.pk) or (
            NetworkDecisionForm(initial={"expected_status": row.status}, prefix=f"approve-{row.pk}"),
            NetworkDeclineForm(initial={"expected_status": row.status}, prefix=f"decline-{row.pk}"),
        )
    context = {"page": page, "conflict": conflict}
    return render(request, "support/networks/queue.html", context, status=status)


@require_safe
@login_required
def network_request_queue(request):
    if not can_decide_network_requests(request.user):
        raise Http404("No such page.")
    return _queue_page(request)


def _decide(request, pk, *, kind):
    if not can_decide_network_requests(request.user):
        raise Http404("No such page.")
    found = network_request_get_for_user(user=request.user, pk=pk)
    approve_form = NetworkDecisionForm(
        request.POST if kind == "approve" else None,
        prefix=f"approve-{found.pk}",
        initial={"expected_status": found.status},
    )
    decline_form = NetworkDeclineForm(
        request.POST if kind == "decline" else None,
        prefix=f"decline-{found.pk}",
        initial={"expected_status": found.status},
    )
    form = approve_form if kind == "approve" else decline_form
    forms = {found.pk: (approve_form, decline_form)}
    if not form.is_valid():
        return _queue_page(request, forms=forms, status=400)
    service = (
        networks_requests.network_request_approve if kind == "approve" else networks_requests.network_request_decline
    )
    try:
        service(
            actor=request.user,
            request_id=found.pk,
            note=form.cleaned_data["note"],
            expected_status=form.cleaned_data["expected_status"],
        )
    except Conflict as error:
        return _queue_page(request, conflict=error.message, status=409)
    except ApplicationError as error:
        form.add_application_error(error)
        return _queue_page(request, forms=forms, status=400)
    verb = "joins" if kind == "approve" else "does not join"
    messages.success(request, f"{found.school.name} {verb} {found.network.name} for {found.school_year.label}.")
    return redirect("support:network_request_queue")


@require_POST
@login_required
def network_request_approve(request, pk):
    return _decide(request, pk, kind="approve")


@require_POST
@login_required
def network_request_decline(request, pk):
    return _decide(request, pk, kind="decline")
