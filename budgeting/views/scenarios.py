"""What-if pages for finance: the scenarios, a scenario's form, its comparison with the formula (every
school, the summary, the equity chart) and adopting it as the formula's next draft. Everyone else: 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budgeting.allocation_charts import equity_chart, poverty_bands
from budgeting.forms.scenarios import ScenarioForm
from budgeting.models import ScenarioStatus
from budgeting.selectors import scenario_choices, scenario_get, scenarios_for_finance
from budgeting.services.scenario_comparison import scenario_compare
from budgeting.services.scenarios import scenario_adopt, scenario_create, scenario_update
from budgeting.views.finance_pages import finance_only
from core.errors import ApplicationError, Conflict, NotPermitted
from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key

COMPARE_PAGE_SIZE = 50


@require_safe
@login_required
def scenario_list(request):
    finance_only(request)
    return render(request, "budgeting/scenario_list.html", {"scenarios": scenarios_for_finance()})


def _render_form(request, form, *, scenario=None, status=200):
    context = {"form": form, "scenario": scenario}
    return render(request, "budgeting/scenario_form.html", context, status=status)


def _scenario_arguments(form) -> dict:
    """The checked form as scenario_create and scenario_update take it."""
    formula, snapshot = form.chosen()
    data = form.cleaned_data
    return {
        "name": data["name"],
        "formula": formula,
        "snapshot": snapshot,
        "changes": form.changes(),
        "notes": data["notes"],
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@once_per_form_key
def scenario_create_view(request):
    finance_only(request)
    formulas, snapshots = scenario_choices()
    form = ScenarioForm(request.POST or None, formulas=formulas, snapshots=snapshots)
    scenario, status = form_submit(
        request,
        form,
        lambda: create_once(
            request,
            lambda: scenario_create(actor=request.user, **_scenario_arguments(form)),
            result=lambda s: (reverse("budgeting:scenario_compare", args=[s.pk]), f"the scenario “{s.name}”"),
        ),
        hidden=True,
    )
    if status is not None:
        return _render_form(request, form, status=status)
    messages.success(request, f"The scenario “{scenario.name}” is saved. Here is every school under it.")
    return redirect("budgeting:scenario_compare", pk=scenario.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def scenario_edit(request, pk):
    finance_only(request)
    scenario = scenario_get(pk=pk)
    if scenario.status != ScenarioStatus.DRAFT:
        return redirect("budgeting:scenario_compare", pk=pk)
    formulas, snapshots = scenario_choices()
    form = ScenarioForm(
        request.POST if request.method == "POST" else None,
        formulas=formulas,
        snapshots=snapshots,
        initial=ScenarioForm.initial_of(scenario),
    )
    _saved, status = form_submit(
        request,
        form,
        lambda: scenario_update(actor=request.user, scenario=scenario, **_scenario_arguments(form)),
        hidden=True,
    )
    if status is not None:
        return _render_form(request, form, scenario=scenario, status=status)
    messages.success(request, "The scenario is saved.")
    return redirect("budgeting:scenario_compare", pk=pk)


@require_safe
@login_required
def scenario_compare_view(request, pk):
    finance_only(request)
    scenario = scenario_get(pk=pk)
    return _render_compare(request, scenario)


def _render_compare(request, scenario, *, status=200, refusal=""):
    try:
        comparison = scenario_compare(scenario=scenario)
    except ApplicationError as error:  # the formula or the counts changed since it was saved
        context = {"scenario": scenario, "comparison": None, "refusal": refusal or error.message}
        return render(request, "budgeting/scenario_compare.html", context, status=status if refusal else 400)
    page = Paginator(comparison.rows, COMPARE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "scenario": scenario,
        "comparison": comparison,
        "page": page,
        "chart": equity_chart(comparison.rows),
        "bands": poverty_bands(comparison.rows),
        "refusal": refusal,
    }
    return render(request, "budgeting/scenario_compare.html", context, status=status)


@require_POST
@login_required
def scenario_adopt_view(request, pk):
    finance_only(request)
    scenario = scenario_get(pk=pk)
    try:
        formula = scenario_adopt(actor=request.user, scenario=scenario)
    except NotPermitted:
        raise Http404("No such page.") from None
    except ApplicationError as error:
        return _render_compare(
            request, scenario, status=409 if isinstance(error, Conflict) else 400, refusal=error.message
        )
    messages.success(
        request,
        f"Adopted: the scenario's parameters are now draft version {formula.number} of the "
        f"{formula.school_year.label} formula, to check and publish.",
    )
    return redirect("budgeting:scenario_compare", pk=pk)
