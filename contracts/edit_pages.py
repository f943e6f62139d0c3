"""What the pages that change a draft version's parts (its benchmarks, rules and commitments) share: who
may reach them, how a change goes through its service, and what the person is told afterwards. Field
errors 400, not yours 403, somebody-acted-first 409, as on every contract page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from contracts.policies import can_edit_contract, can_manage_contracts
from contracts.selectors import contract_get_for_user
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import ApplicationError, Conflict


def stale_form(request, contract) -> bool:
    """A post from a page drawn before the version moved on: answered as a conflict, not a refusal."""
    return request.method == "POST" and request.POST.get("expected_status") not in ("", None, contract.status)


def signature_note(contract) -> dict:
    # A change to a proposed or signed contract sends it back for a new signature.
    return {"needs_new_signature": CONTRACT_WORKFLOW.step(contract.status, "revise") is not None}


def edit_refusal(request, contract):
    """None if the person may edit this version, else the page saying why not."""
    if not can_manage_contracts(request.user):
        # Whoever may read the contract is told it is not theirs to edit; others never learn it exists.
        return render(
            request, "contracts/refused.html", {"message": "Only the autonomy office edits contracts."}, status=403
        )
    decision = can_edit_contract(request.user, contract)
    if decision:
        return None
    status = 409 if stale_form(request, contract) else 403
    return render(request, "contracts/refused.html", {"message": decision.reason}, status=status)


def editable_contract_page(view):
    """A page that shows (GET) and changes (POST) a part of one version: `view(request, contract, …)` is
    called with the version as the person may see it, and only once they may edit it."""

    @require_http_methods(["GET", "HEAD", "POST"])
    @login_required
    @wraps(view)
    def page(request, pk, **kwargs):
        contract = contract_get_for_user(user=request.user, contract_id=pk)
        if refused := edit_refusal(request, contract):
            return refused
        return view(request, contract, **kwargs)

    return page


def part_change(request, contract, form, *, save, done, back: str, page):
    """A page's answer to a change of one part. A valid post goes to `save(actor=…, contract_id=…,
    expected_status=…)`, which calls the part's service with who changes which version, as the page showed
    it, and returns the warnings to show after the change, if any; `done` says what changed, or makes it
    from the cleaned data. Then back to the page named `back`. A conflict refuses outright; another refusal
    lands on the form, and `page(status)` draws the page again (400 for a form that does not validate)."""
    if request.method != "POST":
        return page(200)
    if not form.is_valid():
        return page(400)
    data = form.cleaned_data
    try:
        warnings = save(actor=request.user, contract_id=contract.pk, expected_status=data["expected_status"])
    except Conflict as error:
        return render(request, "contracts/refused.html", {"message": error.message}, status=409)
    except ApplicationError as error:
        form.add_application_error(error)
        return page(error.http_status)
    messages.success(request, done(data) if callable(done) else done)
    for warning in warnings or ():
        messages.warning(request, f"Check this benchmark: {warning}")
    return redirect(back, contract.pk)


def part_edit(request, contract, form, *, template: str, context: dict, back: str, **change):
    """A page changing one part in place: its form, the part, whether saving needs a new signature, and
    the page it returns to (`back`, also its Cancel link); `change` as part_change takes it."""

    def page(status):
        shown = {"contract": contract, "form": form, "back": back, **context, **signature_note(contract)}
        return render(request, template, shown, status=status)

    return part_change(request, contract, form, back=back, page=page, **change)
