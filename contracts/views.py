"""Contract pages: what the school may decide, what it must achieve, what happens if it does not.

Each view parses a form, asks contracts.policies, calls one contracts.services function and renders.
A refusal re-renders the page: field errors 400, not yours 403, somebody-acted-first 409.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contracts import services
from contracts.forms import (
    ContractFilterForm,
    ContractNewForm,
    CountersignForm,
    ReasonForm,
    SignForm,
    StepForm,
)
from contracts.pdf import render_contract_pdf
from contracts.policies import (
    can_amend_contract,
    can_edit_contract,
    can_manage_contracts,
    can_take_contract_action,
)
from contracts.selectors import (
    contract_diff as contract_diff_selector,
)
from contracts.selectors import (
    contract_form_choices,
    contract_get_for_user,
    contract_list_for_user,
    contract_previous_for_user,
    contract_versions_for_user,
)
from contracts.wording import contract_sections, describe_diff
from core.errors import ApplicationError, Conflict, NotPermitted
from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key
from core.querystring import query_without

LIST_PAGE_SIZE = 25


@dataclass(frozen=True)
class Step:
    """A workflow step as the detail page offers it: its form, its service, what to say afterwards."""

    form: type
    service: Any
    fields: tuple[str, ...]
    done: str
    form_kwargs: tuple = ()
    signs: bool = False  # a signature: the service also gets the client's address and the request


STEPS = {
    "propose": Step(
        StepForm, services.contract_propose, (), _("The contract was proposed; the principal has been told.")
    ),
    "sign": Step(
        SignForm,
        services.contract_sign,
        ("password",),
        _("You signed the contract. The district countersigns it next; you will be told when it is in force."),
        signs=True,
    ),
    "countersign": Step(
        CountersignForm,
        services.contract_countersign,
        ("password",),
        _("The contract is countersigned and now in force."),
        signs=True,
    ),
    "recall": Step(StepForm, services.contract_recall, (), _("The contract is back to draft.")),
    "terminate": Step(
        ReasonForm,
        services.contract_terminate,
        ("reason",),
        _("The contract was terminated."),
        (("label", "Why terminate it"),),
    ),
}


def _step_form(action: str, contract, data=None):
    step = STEPS[action]
    return step.form(
        data, auto_id=f"{action}_%s", initial={"expected_status": contract.status}, **dict(step.form_kwargs)
    )


def _amend_form(contract, data=None):
    return ReasonForm(data, auto_id="amend_%s", label="Why amend it", initial={"expected_status": contract.status})


def _render_detail(request, contract, *, bound: dict | None = None, status: int = 200, refusal: str = ""):
    bound = bound or {}
    user = request.user
    versions = contract_versions_for_user(user=user, contract=contract)
    next_version = next((v for v in versions if v.previous_id == contract.pk), None)
    forms = {
        action: bound.get(action) or _step_form(action, contract)
        for action in STEPS
        if can_take_contract_action(user, contract, action)
    }
    if can_amend_contract(user, contract) and next_version is None:
        forms["amend"] = bound.get("amend") or _amend_form(contract)
    context = {
        "contract": contract,
        "sections": contract_sections(contract),
        "versions": versions,
        "next_version": next_version,
        "forms": forms,
        "can_edit": bool(can_edit_contract(user, contract)),
        "refusal": refusal,
        "signature_checks": services.contract_signature_checks(contract),
    }
    return render(request, "contracts/detail.html", context, status=status)


def _render_conflict(request, pk: int, message: str):
    """Show the contract as it is now; if the person may no longer see it, say so without leaking it."""
    try:
        contract = contract_get_for_user(user=request.user, contract_id=pk)
    except Http404:
        return render(request, "contracts/refused.html", {"message": message}, status=409)
    return _render_detail(request, contract, status=409, refusal=message)


@require_safe
@login_required
def contract_list(request):
    form = ContractFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    contracts = contract_list_for_user(user=request.user, status=status)
    page = Paginator(contracts, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "querystring": query_without(request.GET, "page"),
        "can_manage": bool(can_manage_contracts(request.user)),
    }
    return render(request, "contracts/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@once_per_form_key
def contract_new(request):
    if not can_manage_contracts(request.user):
        raise Http404("No such page.")
    form = ContractNewForm(request.POST or None, **contract_form_choices(user=request.user))

    def create():
        data = form.cleaned_data
        return services.contract_create_from_template(
            actor=request.user,
            school=data["school"],
            template=data["template"],
            term_start=data["term_start"],
            term_end=data["term_end"],
            summary=data["summary"],
        )

    contract, status = form_submit(
        request,
        form,
        lambda: create_once(
            request,
            create,
            result=lambda contract: (
                reverse("contracts:contract_edit", args=[contract.pk]),
                f"the draft contract for {contract.school.name}",
            ),
        ),
    )
    if status is not None:
        return render(request, "contracts/new.html", {"form": form}, status=status)
    messages.success(
        request,
        f"Draft contract for {contract.school.name} created. Review its benchmarks, then propose it to the school.",
    )
    return redirect("contracts:contract_edit", contract.pk)


@require_POST
@login_required
def contract_from_request(request, request_pk):
    if not can_manage_contracts(request.user):
        raise Http404("No such page.")
    try:
        amendment = services.contract_amend_from_request(actor=request.user, request_id=request_pk)
    except ApplicationError as error:
        return render(request, "contracts/refused.html", {"message": error.message}, status=error.http_status)
    messages.success(
        request,
        f"Version {amendment.version} drafted with the request's outcomes as benchmarks. "
        "Check the targets, then propose it to the school.",
    )
    return redirect("contracts:contract_edit", amendment.pk)


@require_safe
@login_required
def contract_detail(request, pk):
    return _render_detail(request, contract_get_for_user(user=request.user, contract_id=pk))


@require_safe
@login_required
def contract_print(request, pk):
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    context = {
        "contract": contract,
        "sections": contract_sections(contract),
        "signature_checks": services.contract_signature_checks(contract),
    }
    return render(request, "contracts/print.html", context)


@require_safe
@login_required
def contract_pdf(request, pk):
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    response = HttpResponse(render_contract_pdf(contract), content_type="application/pdf")
    filename = f"contract-{contract.school.code}-{contract.term_start}-v{contract.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def contract_diff(request, pk):
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    previous = contract_previous_for_user(user=request.user, contract=contract)
    changes = None
    if previous is not None:
        diff = contract_diff_selector(old=previous, new=contract)
        changes = describe_diff(diff=diff, old=previous, new=contract)
    context = {"contract": contract, "previous": previous, "changes": changes}
    return render(request, "contracts/diff.html", context)


@require_POST
@login_required
def contract_amend_view(request, pk):
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    form = _amend_form(contract, request.POST)
    amendment, refused = _take_step(
        request,
        contract,
        name="amend",
        decision=can_amend_contract(request.user, contract),
        form=form,
        service=lambda data: services.contract_amend(
            actor=request.user, contract_id=contract.pk, reason=data["reason"], expected_status=data["expected_status"]
        ),
    )
    if refused:
        return refused
    messages.success(
        request,
        f"Version {amendment.version} drafted. Version {contract.version} stays in force "
        "until the new one is signed and countersigned.",
    )
    return redirect("contracts:contract_edit", amendment.pk)


@require_POST
@login_required
def contract_action(request, pk, action):
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    if action not in STEPS:
        raise Http404("No such step.")
    step = STEPS[action]
    _done, refused = _take_step(
        request,
        contract,
        name=action,
        decision=can_take_contract_action(request.user, contract, action),
        form=_step_form(action, contract, request.POST),
        service=lambda data: step.service(
            actor=request.user,
            contract_id=contract.pk,
            expected_status=data["expected_status"],
            **{name: data[name] for name in step.fields},
            **({"address": services.client_address(request), "request": request} if step.signs else {}),
        ),
    )
    if refused:
        return refused
    messages.success(request, step.done)
    return redirect("contracts:contract_detail", contract.pk)


def _take_step(request, contract, *, name: str, decision, form, service):
    """A step of the detail page: the policy's answer, then the form's, then the service's (called with the
    cleaned data). Returns (what the service returned, None), or (None, the detail page saying why not)."""
    if not decision:
        return None, _render_detail(request, contract, status=decision.http_status, refusal=decision.reason)
    if not form.is_valid():
        return None, _render_detail(request, contract, bound={name: form}, status=400)
    try:
        return service(form.cleaned_data), None
    except Conflict as error:
        return None, _render_conflict(request, contract.pk, error.message)
    except NotPermitted as error:
        return None, _render_detail(request, contract, status=403, refusal=error.message)
    except ApplicationError as error:
        form.add_application_error(error)
        return None, _render_detail(request, contract, bound={name: form}, status=error.http_status)
