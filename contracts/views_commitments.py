"""The commitments' pages: the draft editor's list and form (the autonomy office), and the department's
list with its "record a delivery" step (the department's staff, or the autonomy office).

Apart from contracts/views.py and views_editing.py. As there: each view parses a form, asks the
policy, calls one service and renders; field errors 400, not yours 403, somebody-acted-first 409. The
editor's pages go through contracts/edit_pages.py, as the benchmarks' and rules' do.
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
from contracts.edit_pages import editable_contract_page, part_change, part_edit, signature_note
from contracts.models import CommitmentMeasure
from contracts.selectors import autonomies_for_benchmarks
from contracts.services.commitments import (
    contract_commitment_add,
    contract_commitment_remove,
    contract_commitment_update,
)
from contracts.services.commitments_tracking import commitment_record_delivery
from core.errors import ApplicationError, Conflict, NotPermitted


def _form(contract, data=None, initial=None):
    initial = {
        "expected_status": contract.status,
        "business_days": True,
        "measure": CommitmentMeasure.DELIVERED_BY,
        **(initial or {}),
    }
    return CommitmentForm(data, initial=initial, autonomies=autonomies_for_benchmarks(contract=contract))


@editable_contract_page
def contract_commitments(request, contract):
    """The draft editor's commitments: the list with change and remove, and the form to add one."""
    removing = request.POST.get("intent") == "remove"
    form = _form(contract, request.POST if request.method == "POST" and not removing else None)
    remove_form = CommitmentRemoveForm(request.POST) if removing else None

    def remove(**edit) -> None:
        contract_commitment_remove(key=remove_form.cleaned_data["key"], **edit)

    def add(**edit) -> None:
        contract_commitment_add(commitment=form.to_input(), **edit)

    def page(status):
        context = {
            "contract": contract,
            "commitments": commitment_lines(contract.commitments.all()),
            "form": form,
            "remove_form": remove_form,
            **signature_note(contract),
        }
        return render(request, "contracts/commitments_edit.html", context, status=status)

    return part_change(
        request,
        contract,
        remove_form if removing else form,
        save=remove if removing else add,
        # The service stores the text as the form cleaned it (stripped).
        done="The commitment was removed." if removing else lambda data: f"Commitment “{data['text']}” added.",
        back="contracts:contract_commitments",
        page=page,
    )


@editable_contract_page
def contract_commitment_edit(request, contract, key):
    """Change one commitment of an editable version in place; its short name stays."""
    row = next((c for c in contract.commitments.all() if c.key == key), None)
    if row is None:
        raise Http404("No such commitment.")
    names = ("department", "text", "measure", "due_on", "period_start", "days", "business_days", "target_percent")
    initial = {name: getattr(row, name) for name in (*names, "milestone_kind", "autonomy")}
    form = _form(contract, request.POST or None, initial=initial)

    def save(**edit) -> None:
        contract_commitment_update(key=row.key, commitment=form.to_input(), **edit)

    return part_edit(
        request,
        contract,
        form,
        save=save,
        done=lambda data: f"Commitment “{data['text']}” changed.",
        back="contracts:contract_commitments",
        template="contracts/commitment_edit.html",
        context={"commitment": row},
    )


@require_http_methods(["GET", "HEAD"])
@login_required
def commitment_list(request):
    """Commitments of my department: every school's, the missed and the coming first."""
    if not can_see_commitment_list(request.user):
        raise Http404("No such page.")
    rows = commitments_for_department_staff(user=request.user)
    items = [
        {"row": row, "line": line, "can_record": bool(can_record_delivery(request.user, row))}
        for row, line in zip(rows, commitment_lines(rows), strict=True)
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
