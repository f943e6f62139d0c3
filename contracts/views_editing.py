"""Contract pages that change a draft's parts: the benchmarks (added, removed, changed in place) and the
intervention rules. The reading and signing pages are in contracts/views.py; what every edit page shares
(who may reach it, how a change goes through its service and is answered) in contracts/edit_pages.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from contracts import services
from contracts.edit_pages import editable_contract_page, part_edit, signature_note, stale_form
from contracts.forms import BenchmarkForm, BenchmarkRemoveForm, RuleForm
from contracts.models import RULE_TERMS
from contracts.policies import can_amend_contract, can_edit_contract, can_manage_contracts
from contracts.selectors import (
    autonomies_for_benchmarks,
    contract_benchmark_for_edit,
    contract_get_for_user,
    contract_rule_for_edit,
    metrics_for_benchmarks,
)
from contracts.wording import contract_sections
from core.errors import ApplicationError, Conflict, NotPermitted


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contract_edit(request, pk):
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    decision = can_edit_contract(request.user, contract)
    if not can_manage_contracts(request.user):
        # Whoever may read the contract is told it is not theirs to edit; others never learn it exists.
        return render(request, "contracts/refused.html", {"message": decision.reason}, status=403)
    choices = _benchmark_choices(contract)
    add_form = BenchmarkForm(initial={"expected_status": contract.status, "periods": 1}, **choices, auto_id="add_%s")
    remove_form = None
    status, refusal = 200, ""
    if not decision:
        # An active (or ended) version: a form from before it moved on is a conflict, otherwise a refusal.
        status = 409 if stale_form(request, contract) else 403
        return _render_edit(request, contract, add_form, None, status=status, refusal=decision.reason)
    if request.method == "POST":
        status = 400
        removing = request.POST.get("intent") == "remove"
        if removing:
            remove_form = BenchmarkRemoveForm(request.POST, auto_id="remove_%s")
            form = remove_form
        else:
            add_form = BenchmarkForm(request.POST, **choices, auto_id="add_%s")
            form = add_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if removing:
                    services.contract_benchmark_remove(
                        actor=request.user,
                        contract_id=contract.pk,
                        key=data["key"],
                        expected_status=data["expected_status"],
                    )
                    warnings, done = [], f"Benchmark “{data['key']}” removed."
                else:
                    warnings = services.contract_benchmark_add(
                        actor=request.user,
                        contract_id=contract.pk,
                        benchmark=form.to_input(),
                        expected_status=data["expected_status"],
                    )
                    done = f"Benchmark “{data['key']}” added."
            except Conflict as error:
                return _render_conflict_edit(request, pk, error.message)
            except NotPermitted as error:
                status, refusal = 403, error.message
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, done)
                for warning in warnings:
                    messages.warning(request, f"Check this benchmark: {warning}")
                return redirect("contracts:contract_edit", contract.pk)
    return _render_edit(request, contract, add_form, remove_form, status=status, refusal=refusal)


def _render_edit(request, contract, add_form, remove_form, *, status=200, refusal=""):
    context = {
        "contract": contract,
        "sections": contract_sections(contract),
        "add_form": add_form,
        "remove_form": remove_form,
        "can_edit": bool(can_edit_contract(request.user, contract)),
        "can_amend": bool(can_amend_contract(request.user, contract)),
        **signature_note(contract),
        "refusal": refusal,
    }
    return render(request, "contracts/edit.html", context, status=status)


def _render_conflict_edit(request, pk, message):
    contract = contract_get_for_user(user=request.user, contract_id=pk)
    add_form = BenchmarkForm(
        initial={"expected_status": contract.status, "periods": 1}, **_benchmark_choices(contract), auto_id="add_%s"
    )
    return _render_edit(request, contract, add_form, None, status=409, refusal=message)


def _benchmark_choices(contract) -> dict:
    return {"metrics": metrics_for_benchmarks(), "autonomies": autonomies_for_benchmarks(contract=contract)}


@editable_contract_page
def contract_benchmark_edit(request, contract, key):
    """Change a benchmark in place: every field, its rating bands and the autonomy that depends on it."""
    benchmark = contract_benchmark_for_edit(contract=contract, key=key)
    numbers = ("target", "baseline", "new_school_target", "exceeds_margin", "far_below_margin")
    initial = {
        **{name: getattr(benchmark, name) for name in ("metric", "kind", "comparator", "periods")},
        # As a person wrote them: 45, not 45.0000.
        **{name: _plain(getattr(benchmark, name)) for name in numbers},
        "binding_autonomy": benchmark.binding_grant.autonomy if benchmark.binding_grant_id else None,
        "expected_status": contract.status,
    }
    form = BenchmarkForm(request.POST or None, initial=initial, editing=True, **_benchmark_choices(contract))

    return part_edit(
        request,
        contract,
        form,
        save=lambda **edit: services.contract_benchmark_update(
            key=benchmark.key, benchmark=form.to_input(key=benchmark.key), **edit
        ),
        done=f"Benchmark “{benchmark.key}” changed.",
        back="contracts:contract_edit",
        template="contracts/benchmark_edit.html",
        context={"benchmark": benchmark},
    )


@editable_contract_page
def contract_rule_edit(request, contract, key):
    """Change an intervention rule in place: when it applies, its step of the ladder, its remedy."""
    rule = contract_rule_for_edit(contract=contract, key=key)
    initial = {
        **{name: getattr(rule, name) for name in RULE_TERMS},
        "benchmark_key": rule.benchmark.key if rule.benchmark_id else "",
        "expected_status": contract.status,
    }
    keys = [(b.key, f"{b.metric.name} ({b.key})") for b in contract.benchmarks.all()]
    form = RuleForm(request.POST or None, initial=initial, benchmark_keys=keys)

    return part_edit(
        request,
        contract,
        form,
        save=lambda **edit: services.contract_rule_update(key=rule.key, rule=form.to_input(), **edit),
        done=f"Rule “{rule.key}” changed.",
        back="contracts:contract_edit",
        template="contracts/rule_edit.html",
        context={"rule": rule},
    )


def _plain(value):
    return None if value is None else f"{value.normalize():f}"
