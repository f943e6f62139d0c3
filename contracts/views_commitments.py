"""The commitments' pages: the draft editor's list and form (the autonomy office), and the department's
list with its "record a delivery" step (the department's staff, or the autonomy office).

Apart from contracts/views.py and views_editing.py. As there: each view parses a form, asks the
policy, calls one service and renders; field errors 400, not yours 403, somebody-acted-first 409.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from contracts.commitment_forms import CommitmentForm, CommitmentRemoveForm, DeliveryForm
from contracts.commitment_policies import can_record_delivery, can_see_commitment_list
from contracts.commitment_selectors import commitment_for_delivery, commitments_for_department_staff
from contracts.commitment_wording import commitment_lines, commitment_measure_words, commitment_status_words
from contracts.models import CommitmentMeasure
from contracts.policies import can_edit_contract, can_manage_contracts
from contracts.selectors import autonomies_for_benchmarks, contract_get_for_user
from contracts.services.commitments import (
    contract_commitment_add,
    contract_commitment_remove,
    contract_commitment_update,
)
from contracts.services.commitments_tracking import commitment_record_delivery
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import ApplicationError, Conflict, NotPermitted


def _gate(request, contract):
    """None if the person may edit this version's commitments, else the page saying why not (a form from
    before the version moved on is a conflict); people outside the autonomy office are told it is not theirs."""
    if not can_manage_contracts(request.user):
        return render(
            request, "contracts/refused.html", {"message": "Only the autonomy office edits contracts."}, status=403
        )
    decision = can_edit_contract(request.user, contract)
    if decision:
        return None
    stale = request.method == "POST" and request.POST.get("expected_status") not in ("", None, contract.status)
    return render(request, "contracts/refused.html", {"message": decision.reason}, status=409 if stale else 403)


def _form(contract, data=None, initial=None):
    initial = {
        "expected_status": contract.status,
        "business_days": True,
        "measure": CommitmentMeasure.DELIVERED_BY,
        **(initial or {}),
    }
    return CommitmentForm(data, initial=initial, autonomies=autonomies_for_benchmarks(contract=contract))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contract_commitments(request, pk):
    """The draft editor's commitments: the list with change and remove, and the form to add one."""
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    if refused := _gate(request, contract):
        return refused
    form, remove_form, status = _form(contract), None, 200
    if request.method == "POST":
        status = 400
        removing = request.POST.get("intent") == "remove"
        form = _form(contract) if removing else _form(contract, request.POST)
        bound = CommitmentRemoveForm(request.POST) if removing else form
        remove_form = bound if removing else None
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if removing:
                    contract_commitment_remove(
                        actor=request.user,
                        contract_id=contract.pk,
                        key=data["key"],
                        expected_status=data["expected_status"],
                    )
                    done = "The commitment was removed."
                else:
                    row = contract_commitment_add(
                        actor=request.user,
                        contract_id=contract.pk,
                        commitment=form.to_input(),
                        expected_status=data["expected_status"],
                    )
                    done = f"Commitment “{row.text}” added."
            except Conflict as error:
                return render(request, "contracts/refused.html", {"message": error.message}, status=409)
            except ApplicationError as error:
                bound.add_application_error(error)
                status = error.http_status
            else:
                messages.success(request, done)
                return redirect("contracts:contract_commitments", contract.pk)
    context = {
        "contract": contract,
        "commitments": commitment_lines(contract.commitments.all()),
        "form": form,
        "remove_form": remove_form,
        "needs_new_signature": CONTRACT_WORKFLOW.step(contract.status, "revise") is not None,
    }
    return render(request, "contracts/commitments_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contract_commitment_edit(request, pk, key):
    """Change one commitment of an editable version in place; its short name stays."""
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    if refused := _gate(request, contract):
        return refused
    row = next((c for c in contract.commitments.all() if c.key == key), None)
    if row is None:
        raise Http404("No such commitment.")
    names = ("department", "text", "measure", "due_on", "period_start", "days", "business_days", "target_percent")
    initial = {name: getattr(row, name) for name in (*names, "milestone_kind", "autonomy")}
    form = _form(contract, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                contract_commitment_update(
                    actor=request.user,
                    contract_id=contract.pk,
                    key=row.key,
                    commitment=form.to_input(),
                    expected_status=form.cleaned_data["expected_status"],
                )
            except Conflict as error:
                return render(request, "contracts/refused.html", {"message": error.message}, status=409)
            except ApplicationError as error:
                form.add_application_error(error)
                status = error.http_status
            else:
                messages.success(request, f"Commitment “{form.cleaned_data['text'].strip()}” changed.")
                return redirect("contracts:contract_commitments", contract.pk)
    context = {
        "contract": contract,
        "commitment": row,
        "form": form,
        "needs_new_signature": CONTRACT_WORKFLOW.step(contract.status, "revise") is not None,
    }
    return render(request, "contracts/commitment_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@login_required
def commitment_list(request):
    """Commitments of my department: every school's, the missed and the coming first."""
    if not can_see_commitment_list(request.user):
        raise Http404("No such page.")
    rows = commitments_for_department_staff(user=request.user)
    items = [
        {
            "row": row,
            "measure": commitment_measure_words(row),
            "status_words": commitment_status_words(row),
            "can_record": bool(can_record_delivery(request.user, row)),
        }
        for row in rows
    ]
    return render(request, "contracts/commitment_list.html", {"items": items})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def commitment_deliver(request, pk):
    """The department records that it delivered: the date and the evidence."""
    row = commitment_for_delivery(user=request.user, commitment_id=pk)
    decision = can_record_delivery(request.user, row)
    form = DeliveryForm(request.POST or None)
    status = 200 if decision else decision.http_status
    refusal = "" if decision else decision.reason
    if request.method == "POST" and decision:
        status = 400
        if form.is_valid():
            try:
                commitment_record_delivery(
                    actor=request.user,
                    commitment_id=row.pk,
                    delivered_on=form.cleaned_data["delivered_on"],
                    note=form.cleaned_data["note"],
                )
            except NotPermitted as error:
                status, refusal = 403, error.message
            except Conflict as error:
                status, refusal = 409, error.message
            except ApplicationError as error:
                form.add_application_error(error)
                status = error.http_status
            else:
                messages.success(request, f"Delivery of “{row.text}” recorded.")
                return redirect("contracts:commitment_list")
    context = {
        "commitment": row,
        "measure": commitment_measure_words(row),
        "status_words": commitment_status_words(row),
        "form": form,
        "can_record": bool(decision),
        "refusal": refusal,
    }
    return render(request, "contracts/commitment_deliver.html", context, status=status)
