"""The school budget plan's pages: the principal's plan (figures, rows by category with their locks, forms
for the rows the school decides, submit), its history and versions, and finance's review queue.

Views parse, ask the policy, call one service and render; a plan the user may not see is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budgeting.forms.plans import LineForm, PlanApproveForm, PlanReturnForm, PlanSubmitForm, PositionForm
from budgeting.models import PlanLine, PlanStatus, Position
from budgeting.policies import can_edit_plan, is_finance, plan_acts_as
from budgeting.selectors_plans import (
    allocation_latest_released,
    plan_events,
    plan_figures,
    plan_for_school,
    plan_get_for_user,
    plan_lines,
    plan_locks,
    plan_positions,
    plan_version_diff,
    plans_to_review,
)
from budgeting.services import plans as services
from core.errors import ApplicationError, Conflict, NotFound
from core.templatetags.timelines import TimelineEntry, actor_words
from core.workflows import Actor
from schools.policies import acts_at_school_as
from schools.selectors import school_get_for_user

QUEUE_PAGE_SIZE = 25


def _plan_or_404(request, pk):
    try:
        return plan_get_for_user(user=request.user, pk=pk)
    except NotFound:
        raise Http404("No such budget plan.") from None


def _plan_url(plan):
    return redirect("budgeting:plan_detail", plan.school.code)


@require_safe
@login_required
def plan_detail(request, code):
    school = school_get_for_user(user=request.user, code=code)
    plan = plan_for_school(user=request.user, school=school)
    if plan is None:
        may_start = acts_at_school_as(request.user, school_id=school.pk, who=Actor.PRINCIPAL)
        allocation = allocation_latest_released(school=school) if may_start else None
        context = {"school": school, "allocation": allocation, "may_start": bool(may_start)}
        return render(request, "budgeting/plan_start.html", context)
    positions, lines, locks = plan_positions(plan), plan_lines(plan), plan_locks(plan)
    figures = plan_figures(plan, positions=positions, lines=lines, locks=locks)
    editable = bool(can_edit_plan(request.user, plan))
    context = {
        "school": school,
        "plan": plan,
        "figures": figures,
        "editable": editable,
        "can_submit": editable and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
        "can_review": plan.status == PlanStatus.SUBMITTED and bool(plan_acts_as(request.user, plan, Actor.REVIEWER)),
        "submit_form": PlanSubmitForm(initial={"expected_status": plan.status}),
        "return_note": plan.events.filter(action__in=["return", "true_up_return"]).order_by("-at", "-pk").first()
        if plan.status == PlanStatus.RETURNED
        else None,
        "versions": list(plan.versions.order_by("number")),
    }
    return render(request, "budgeting/plan_detail.html", context)


@require_POST
@login_required
def plan_start(request, code):
    school = school_get_for_user(user=request.user, code=code)
    if not acts_at_school_as(request.user, school_id=school.pk, who=Actor.PRINCIPAL):
        raise Http404("Only the school's principal starts its budget plan.")
    allocation = allocation_latest_released(school=school)
    if allocation is None:
        raise Http404("No allocation released yet.")
    try:
        services.plan_start(
            actor=request.user, school=school, school_year=allocation.allocation_set.formula.school_year
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your budget plan is started, with the district's mandated rows."))
    return redirect("budgeting:plan_detail", school.code)


def _row_page(request, *, plan, form, title, row=None, status=200):
    context = {"plan": plan, "school": plan.school, "form": form, "title": title, "row": row}
    return render(request, "budgeting/plan_row_form.html", context, status=status)


def _locked_ids(plan) -> set[int]:
    return {pk for pk, lock in plan_locks(plan).items() if lock.locked}


def _editable_plan(request, pk):
    plan = _plan_or_404(request, pk)
    if not can_edit_plan(request.user, plan):
        raise Http404("This plan is not open for your changes.")
    return plan


def _save_row(request, *, plan, form_class, title, save, row=None, initial=None):
    """The form of a position or a line, new or changed: validate, call the service with the valid form, and
    come back to the plan; a refusal is shown next to its field. Locked categories are marked in the choices."""
    form = form_class(request.POST if request.method == "POST" else None, initial=initial, locked=_locked_ids(plan))
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ApplicationError as error:
            form.add_application_error(error)
            return _row_page(request, plan=plan, form=form, title=title, row=row, status=400)
        messages.success(request, "Saved.")
        return _plan_url(plan)
    return _row_page(request, plan=plan, form=form, title=title, row=row, status=400 if form.is_bound else 200)


def _position_arguments(form) -> dict:
    data = form.cleaned_data
    return {
        "job_type": data["job_type"],
        "fte": data["fte"],
        "title": data["title"],
        "actual_salary": data["actual_salary"],
        "funding": form.funding(),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_position_add(request, pk):
    plan = _editable_plan(request, pk)
    return _save_row(
        request,
        plan=plan,
        form_class=PositionForm,
        title=_("Add a position"),
        save=lambda form: services.position_add(actor=request.user, plan_id=plan.pk, **_position_arguments(form)),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_position_edit(request, pk, position_pk):
    plan = _editable_plan(request, pk)
    position = Position.objects.filter(plan=plan, pk=position_pk).prefetch_related("funding").first()
    if position is None:
        raise Http404("No such position.")
    return _save_row(
        request,
        plan=plan,
        form_class=PositionForm,
        initial=PositionForm.initial_for(position),
        title=_("Change a position"),
        row=position,
        save=lambda form: services.position_change(
            actor=request.user, position_id=position.pk, **_position_arguments(form)
        ),
    )


@require_POST
@login_required
def plan_position_remove(request, pk, position_pk):
    return _remove_row(
        request,
        pk,
        Position,
        position_pk,
        remove=lambda: services.position_remove(actor=request.user, position_id=position_pk),
        done=_("The position is removed."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_line_add(request, pk):
    plan = _editable_plan(request, pk)
    return _save_row(
        request,
        plan=plan,
        form_class=LineForm,
        title=_("Add a line"),
        save=lambda form: services.line_add(actor=request.user, plan_id=plan.pk, **form.cleaned_data),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_line_edit(request, pk, line_pk):
    plan = _editable_plan(request, pk)
    line = PlanLine.objects.filter(plan=plan, pk=line_pk).first()
    if line is None:
        raise Http404("No such line.")
    initial = {"category": line.category_id, "description": line.description, "source": line.source_id}
    return _save_row(
        request,
        plan=plan,
        form_class=LineForm,
        initial={**initial, "amount": line.amount},
        title=_("Change a line"),
        row=line,
        save=lambda form: services.line_change(actor=request.user, line_id=line.pk, **form.cleaned_data),
    )


@require_POST
@login_required
def plan_line_remove(request, pk, line_pk):
    return _remove_row(
        request,
        pk,
        PlanLine,
        line_pk,
        remove=lambda: services.line_remove(actor=request.user, line_id=line_pk),
        done=_("The line is removed."),
    )


def _remove_row(request, pk, model, row_pk, *, remove, done: str):
    """A position or a line of an editable plan taken out, or the plan's page says why not; another plan's
    row is 404."""
    plan = _editable_plan(request, pk)
    if not model.objects.filter(plan=plan, pk=row_pk).exists():
        raise Http404("No such row.")
    try:
        remove()
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _plan_url(plan)


@require_POST
@login_required
def plan_submit(request, pk):
    plan = _plan_or_404(request, pk)
    if not acts_at_school_as(request.user, school_id=plan.school_id, who=Actor.PRINCIPAL):
        raise Http404("Only the school's principal submits its budget plan.")
    form = PlanSubmitForm(request.POST)
    expected = form.cleaned_data["expected_status"] if form.is_valid() else None
    try:
        services.plan_submit(actor=request.user, plan_id=plan.pk, expected_status=expected)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your budget plan is submitted to the finance office."))
    return _plan_url(plan)


def _review_page(request, plan, *, return_form=None, approve_form=None, conflict="", status=200):
    versions = list(plan.versions.order_by("number"))
    context = {
        "plan": plan,
        "school": plan.school,
        "figures": plan_figures(plan),
        "versions": versions,
        "diff": plan_version_diff(versions[-2], versions[-1]) if len(versions) > 1 else None,
        "return_form": return_form or PlanReturnForm(initial={"expected_status": plan.status}),
        "approve_form": approve_form or PlanApproveForm(initial={"expected_status": plan.status}),
        "conflict": conflict,
    }
    return render(request, "budgeting/plan_review.html", context, status=status)


@require_safe
@login_required
def plan_review(request, pk):
    plan = _plan_or_404(request, pk)
    if not plan_acts_as(request.user, plan, Actor.REVIEWER):
        raise Http404("Only the finance office reviews budget plans.")
    if plan.status != PlanStatus.SUBMITTED:
        messages.info(request, f"This plan is {plan.get_status_display().lower()}: it is not waiting for review.")
        return _plan_url(plan)
    return _review_page(request, plan)


def _review_step(request, pk, *, form_class, service, kind):
    plan = _plan_or_404(request, pk)
    if not plan_acts_as(request.user, plan, Actor.REVIEWER):
        raise Http404("Only the finance office reviews budget plans.")
    form = form_class(request.POST)
    forms = {f"{kind}_form": form}
    if not form.is_valid():
        return _review_page(request, plan, status=400, **forms)
    try:
        service(
            actor=request.user,
            plan_id=plan.pk,
            note=form.cleaned_data["note"],
            expected_status=form.cleaned_data["expected_status"],
        )
    except Conflict as error:
        plan.refresh_from_db()
        return _review_page(request, plan, conflict=error.message, status=409)
    except ApplicationError as error:
        form.add_application_error(error)
        return _review_page(request, plan, status=400, **forms)
    messages.success(request, f"{plan.school.name}'s plan is {'returned' if kind == 'return' else 'approved'}.")
    return redirect("budgeting:plan_queue")


@require_POST
@login_required
def plan_return(request, pk):
    return _review_step(request, pk, form_class=PlanReturnForm, service=services.plan_return, kind="return")


@require_POST
@login_required
def plan_approve(request, pk):
    return _review_step(request, pk, form_class=PlanApproveForm, service=services.plan_approve, kind="approve")


EVENT_HEADINGS = {
    "start": gettext_lazy("Plan started"),
    "submit": gettext_lazy("Submitted for review"),
    "return": gettext_lazy("Returned for changes"),
    "approve": gettext_lazy("Approved"),
    "true_up_return": gettext_lazy("Revision requested after a true-up"),
    "allocation_changed": gettext_lazy("Allocation changed after a true-up"),
    "categories_locked": gettext_lazy("Categories locked"),
    "categories_unlocked": gettext_lazy("Categories unlocked"),
}


@require_safe
@login_required
def plan_history(request, pk):
    plan = _plan_or_404(request, pk)
    entries = [
        TimelineEntry(
            heading=EVENT_HEADINGS.get(event.action, event.action),
            at=event.at,
            by=actor_words(event.actor, otherwise=_("by the district's systems")),
            reason=event.reason,
        )
        for event in plan_events(plan)
    ]
    context = {"plan": plan, "school": plan.school, "entries": entries, "versions": list(plan.versions.all())}
    return render(request, "budgeting/plan_history.html", context)


@require_safe
@login_required
def plan_version(request, pk, number):
    plan = _plan_or_404(request, pk)
    versions = {v.number: v for v in plan.versions.all()}
    version = versions.get(number)
    if version is None:
        raise Http404("No such version.")
    against_number = request.GET.get("against", "")
    against = versions.get(int(against_number)) if against_number.isdigit() else versions.get(number - 1)
    context = {
        "plan": plan,
        "school": plan.school,
        "version": version,
        "against": against,
        "diff": plan_version_diff(against, version) if against else None,
        "versions": list(versions.values()),
        "can_review": plan.status == PlanStatus.SUBMITTED and bool(plan_acts_as(request.user, plan, Actor.REVIEWER)),
    }
    return render(request, "budgeting/plan_version.html", context)


@require_safe
@login_required
def plan_queue(request):
    if not is_finance(request.user):
        raise Http404("No such page.")
    page = Paginator(plans_to_review(request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "budgeting/plan_queue.html", {"page": page})
