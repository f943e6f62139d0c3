"""The service surveys' pages: the landing page (what each person may do with the surveys), the autonomy
office's cycles (create, edit a draft, open, close), a principal's answer form, a cycle's results at the
suppressed level and their CSV, and a department's scorecard.

Views parse, ask the policy, call one service or selector and render; a page that is not the person's is 404.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import ApplicationError
from core.form_pages import form_submit
from core.spreadsheets import spreadsheet_cell
from schools.models import School
from schools.policies import roles_of
from schools.selectors import school_get_for_user
from support.forms.surveys import ResultsFilterForm, SurveyAnswerForm, SurveyCycleForm, SurveyItemsForm, SurveyStepForm
from support.models import Department, SurveyStatus
from support.policies.surveys import (
    can_answer_survey,
    can_manage_surveys,
    can_view_scorecard,
    can_view_survey_results,
    can_view_surveys,
    scorecard_departments_visible_to,
)
from support.selectors.requests import department_service_figures
from support.selectors.service_policy import service_policy_current
from support.selectors.surveys import (
    department_scorecards,
    survey_answered,
    survey_cycle_get,
    survey_cycles_closed,
    survey_cycles_list,
    survey_cycles_open_for,
    survey_results_for_user,
)
from support.services import surveys as services
from support.services.survey_answers import survey_answer_submit
from support.survey_charts import percent_chart
from support.survey_results import few_words, results_rows
from support.workflows import SURVEY_WORKFLOW


def _require(decision) -> None:
    if not decision:
        raise Http404(decision.reason)


@require_safe
@login_required
def survey_home(request):
    _require(can_view_surveys(request.user))
    roles = roles_of(request.user)
    schools = list(School.objects.filter(pk__in=roles.principal_of).order_by("name"))
    context = {
        "manages": bool(can_manage_surveys(request.user)),
        "cycles": list(survey_cycles_list()) if can_manage_surveys(request.user) else [],
        "closed": list(survey_cycles_closed()),
        "to_answer": [
            (cycle, [(school, school.pk in answered) for school in schools])
            for cycle, answered in survey_cycles_open_for(school_ids=[s.pk for s in schools])
        ]
        if schools
        else [],
        "scorecards": department_scorecards(departments=scorecard_departments_visible_to(request.user)),
    }
    return render(request, "support/surveys/home.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def survey_cycle_new(request):
    _require(can_manage_surveys(request.user))
    form = SurveyCycleForm(request.POST or None, initial=SurveyCycleForm.defaults())
    cycle, status = form_submit(
        request,
        form,
        lambda: services.survey_cycle_create(
            actor=request.user,
            school_year=form.cleaned_data["school_year"],
            term=form.cleaned_data["term"],
            term_es=form.cleaned_data["term_es"],
            **form.dates_and_items(),
        ),
        hidden=True,
    )
    if status is None:
        messages.success(request, f"The {cycle} survey is drafted. Check its statements, then open it.")
        return redirect("support:survey_cycle", cycle.pk)
    return render(request, "support/surveys/cycle_form.html", {"form": form, "cycle": None}, status=status)


@require_safe
@login_required
def survey_cycle(request, pk):
    _require(can_manage_surveys(request.user))
    cycle = survey_cycle_get(pk=pk)
    context = {
        "cycle": cycle,
        "items": list(cycle.items.order_by("position")),
        "steps": SURVEY_WORKFLOW.person_steps_from(cycle.status),
        "step_form": SurveyStepForm(initial={"expected_status": cycle.status}),
        "events": list(cycle.events.select_related("actor").order_by("at", "pk")),
    }
    return render(request, "support/surveys/cycle.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def survey_cycle_edit(request, pk):
    _require(can_manage_surveys(request.user))
    cycle = survey_cycle_get(pk=pk)
    if cycle.status != SurveyStatus.DRAFT:
        raise Http404("Only a draft survey is changed.")
    form = SurveyItemsForm(request.POST or None, initial=SurveyItemsForm.initial_for(cycle))
    edited, status = form_submit(
        request,
        form,
        lambda: services.survey_cycle_edit(actor=request.user, cycle_id=cycle.pk, **form.dates_and_items()),
        hidden=True,
    )
    if status is None:
        messages.success(request, "Saved.")
        return redirect("support:survey_cycle", cycle.pk)
    return render(request, "support/surveys/cycle_form.html", {"form": form, "cycle": cycle}, status=status)


def _step(request, pk, service, done: str):
    _require(can_manage_surveys(request.user))
    cycle = survey_cycle_get(pk=pk)
    form = SurveyStepForm(request.POST)
    expected = form.cleaned_data["expected_status"] if form.is_valid() else None
    try:
        service(actor=request.user, cycle_id=cycle.pk, expected_status=expected)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("support:survey_cycle", cycle.pk)


@require_POST
@login_required
def survey_cycle_open(request, pk):
    return _step(request, pk, services.survey_cycle_open, "The survey is open; every principal has been told.")


@require_POST
@login_required
def survey_cycle_close(request, pk):
    return _step(request, pk, services.survey_cycle_close, "The survey is closed; its results are ready.")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def survey_answer(request, pk, code):
    school = school_get_for_user(user=request.user, code=code)
    cycle = survey_cycle_get(pk=pk)
    decision = can_answer_survey(request.user, cycle, school, today=timezone.localdate())
    if not decision and not decision.conflict:
        raise Http404(decision.reason)
    items = list(cycle.items.order_by("position"))
    form = SurveyAnswerForm(request.POST if request.method == "POST" else None, items=items)
    answered = survey_answered(user=request.user, cycle=cycle, school=school)
    answers, status = form_submit(
        request,
        form,
        lambda: survey_answer_submit(actor=request.user, cycle=cycle, school=school, answers=form.answers()),
    )
    if status is None:
        messages.success(request, _("Thank you: your answers to the %(survey)s survey are in.") % {"survey": cycle})
        return redirect("support:surveys")
    context = {
        "cycle": cycle,
        "school": school,
        "form": form,
        "answered": answered,
        "refusal": decision.reason,
        "minimum": service_policy_current().survey_min_respondents,
    }
    return render(request, "support/surveys/answer.html", context, status=status)


def _results_for(request, pk):
    cycle = survey_cycle_get(pk=pk)
    decision = can_view_survey_results(request.user, cycle)
    if not decision and not decision.conflict:
        raise Http404(decision.reason)
    return cycle, decision


def _filtered(request, results):
    form = ResultsFilterForm(
        request.GET or None,
        departments=[d.department for d in results.departments],
        networks=results.networks,
    )
    if form.is_bound and not form.is_valid():
        return form, None, None
    data = form.cleaned_data if form.is_bound else {}
    return form, data.get("department") or None, data.get("network") or None


@require_safe
@login_required
def survey_results(request, pk):
    cycle, decision = _results_for(request, pk)
    context = {"cycle": cycle, "refusal": "" if decision else decision.reason, "results": None}
    if decision:
        results = survey_results_for_user(user=request.user, cycle=cycle)
        form, department, network = _filtered(request, results)
        context |= {"form": form, "department": department, "network": network, "few": few_words(results.minimum)}
        if form.errors:
            return render(request, "support/surveys/results.html", context, status=400)
        departments = [d for d in results.departments if department in (None, d.department)]
        context |= {
            "results": results,
            "departments": departments,
            "network_name": results.networks.get(network, ""),
            "rows": [(d, d.network(network) if network else d.overall) for d in departments],
        }
    return render(request, "support/surveys/results.html", context)


@require_safe
@login_required
def survey_results_csv(request, pk):
    cycle, decision = _results_for(request, pk)
    if not decision:
        raise Http404(decision.reason)
    results = survey_results_for_user(user=request.user, cycle=cycle)
    form, department, network = _filtered(request, results)
    if form.errors:
        return HttpResponse("A filter is not one of the choices.", status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(f"survey {cycle.school_year.label} {cycle.term}")  # the term is typed: no quote reaches the header
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    rows = results_rows(results, department=department, network=network)
    writer.writerow([spreadsheet_cell(h) for h in rows[0]])
    for row in rows[1:]:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return response


@require_safe
@login_required
def survey_scorecard(request, department):
    if department not in Department.values:
        raise Http404("No such department.")
    _require(can_view_scorecard(request.user, department))
    card = department_scorecards(departments=[department])[0]
    chart = percent_chart(
        [(str(p.cycle), p.cell.percent_positive) for p in card.points],
        target=card.target,
        hidden_words=few_words(card.minimum),
    )
    year = card.latest.cycle.school_year if card.latest else None
    service = department_service_figures(
        departments=[department], since=year and year.start_date, until=year and year.end_date
    )[0]
    context = {"card": card, "chart": chart, "few": few_words(card.minimum), "service": service, "year": year}
    context["others"] = [(d, Department(d).label) for d in scorecard_departments_visible_to(request.user)]
    return render(request, "support/surveys/scorecard.html", context)
