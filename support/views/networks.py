"""The networks pages: the list principals choose from (kind, offer, places left, team by function), a
network's page (its schools, its team, what its schools may opt out of), and the autonomy office's pages
to change a network, its team, its opt-out allowances and the yearly opt-in window.

Views parse, ask the policy, call one service or selector and render. A page the user may not open
answers 404, as a page that does not exist would.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import ApplicationError
from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key
from schools.models import Network, School
from schools.policies import roles_of
from support.forms.networks import AllowanceForm, NetworkEditForm, TeamSeatForm, WindowForm
from support.models import OptOutAllowance, TeamSeat
from support.policies.networks import can_manage_networks, can_view_networks
from support.selectors.networks import (
    network_row,
    network_rows,
    network_schools,
    opt_in_window_next,
    opt_in_window_open,
    opt_in_windows,
    school_year_current,
)
from support.services import networks as services


def _require(decision) -> None:
    if not decision:
        raise Http404("No such page.")


def _managed_network(request, pk) -> Network:
    """The network the autonomy office changes; anyone else is told there is no such page."""
    _require(can_manage_networks(request.user))
    network = Network.objects.filter(pk=pk).first()
    if network is None:
        raise Http404("No such network.")
    return network


def _choosing_year():
    """The year the list speaks of: the year whose window is open, else the current year."""
    window = opt_in_window_open()
    return (window.school_year if window else school_year_current()), window


@require_safe
@login_required
def network_list(request):
    _require(can_view_networks(request.user))
    year, window = _choosing_year()
    context = {
        "rows": network_rows(school_year=year),
        "year": year,
        "window": window,
        "next_window": None if window else opt_in_window_next(),
        "can_manage": bool(can_manage_networks(request.user)),
        "my_schools": School.objects.filter(pk__in=roles_of(request.user).school_ids).order_by("name"),
    }
    return render(request, "support/networks/list.html", context)


@require_safe
@login_required
def network_detail(request, pk):
    _require(can_view_networks(request.user))
    year, window = _choosing_year()
    row = network_row(pk=pk, school_year=year)
    context = {
        "row": row,
        "network": row.network,
        "year": year,
        "schools": network_schools(network=row.network, school_year=year),
        "can_manage": bool(can_manage_networks(request.user)),
    }
    return render(request, "support/networks/detail.html", context)


def _form_page(request, template, context, *, status=200):
    return render(request, f"support/networks/{template}", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def network_edit(request, pk):
    network = _managed_network(request, pk)
    initial = {"kind": network.kind, "offers": network.offers, "capacity": network.capacity}
    form = NetworkEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(actor=request.user, network=network, **form.cleaned_data)
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, f"{network.name} is saved.")
            return redirect("support:network_detail", network.pk)
    status = 400 if form.is_bound else 200
    return _form_page(request, "edit.html", {"network": network, "form": form}, status=status)


def _team_page(request, network, form, *, status=200):
    seats = TeamSeat.objects.filter(network=network).select_related("user").order_by("department", "pk")
    return _form_page(request, "team.html", {"network": network, "form": form, "seats": seats}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@once_per_form_key
def network_team(request, pk):
    network = _managed_network(request, pk)
    form = TeamSeatForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        staff = form.cleaned_data["staff"]
        try:
            create_once(
                request,
                lambda: services.team_seat_add(
                    actor=request.user,
                    network=network,
                    department=staff.department,
                    user=staff.user,
                    title=form.cleaned_data["title"],
                ),
                result=lambda seat: (reverse("support:network_team", args=[network.pk]), f"the seat of {seat}"),
            )
        except ApplicationError as error:
            form.add_field_errors({"staff" if k in ("user", "department") else k: v for k, v in error.fields.items()})
        else:
            messages.success(request, f"{staff.user.get_full_name() or staff.user.username} joins the team.")
            return redirect("support:network_team", network.pk)
    return _team_page(request, network, form, status=400 if form.is_bound else 200)


@require_POST
@login_required
def network_team_remove(request, pk, seat_pk):
    network = _managed_network(request, pk)
    if not TeamSeat.objects.filter(network=network, pk=seat_pk).exists():
        raise Http404("No such seat.")
    services.team_seat_remove(actor=request.user, seat_id=seat_pk)
    messages.success(request, "The seat is removed from the team.")
    return redirect("support:network_team", network.pk)


def _allowances_page(request, network, form, *, status=200):
    allowances = OptOutAllowance.objects.filter(network=network).order_by("department")
    context = {"network": network, "form": form, "allowances": allowances}
    return _form_page(request, "allowances.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def network_allowances(request, pk):
    network = _managed_network(request, pk)
    form = AllowanceForm(request.POST if request.method == "POST" else None)
    _saved, status = form_submit(
        request,
        form,
        lambda: services.opt_out_allowance_set(actor=request.user, network=network, **form.cleaned_data),
        hidden=True,
    )
    if status is not None:
        return _allowances_page(request, network, form, status=status)
    messages.success(request, "The allowance is saved.")
    return redirect("support:network_allowances", network.pk)


@require_POST
@login_required
def network_allowance_remove(request, pk, allowance_pk):
    network = _managed_network(request, pk)
    if not OptOutAllowance.objects.filter(network=network, pk=allowance_pk).exists():
        raise Http404("No such allowance.")
    services.opt_out_allowance_remove(actor=request.user, allowance_id=allowance_pk)
    messages.success(request, "The allowance is withdrawn; opt-outs already recorded stay for their year.")
    return redirect("support:network_allowances", network.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def network_window(request):
    _require(can_manage_networks(request.user))
    form = WindowForm(request.POST if request.method == "POST" else None)
    window, status = form_submit(
        request, form, lambda: services.opt_in_window_set(actor=request.user, **form.cleaned_data), hidden=True
    )
    if status is None:
        messages.success(request, f"Networks for {window.school_year.label} may be chosen as set.")
        return redirect("support:network_window")
    context = {"form": form, "windows": opt_in_windows(), "open_window": opt_in_window_open()}
    return _form_page(request, "window.html", context, status=status)
