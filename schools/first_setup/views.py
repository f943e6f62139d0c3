"""The first setup page: the checklist, the district's and the school year's forms, and the steps the office
confirms by hand. Anybody but the autonomy office gets a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.form_pages import form_submit
from schools.first_setup.forms import DistrictForm, SchoolYearForm
from schools.first_setup.models import SetupStepKey
from schools.first_setup.services import (
    setup_checklist,
    setup_district_save,
    setup_school_year_add,
    setup_step_confirm,
)
from schools.models import District
from schools.office_pages import office_only


@require_safe
@office_only
def first_setup(request):
    return _render(request)


@require_POST
@office_only
def first_setup_district(request):
    form = DistrictForm(request.POST)
    _saved, status = form_submit(
        request, form, lambda: setup_district_save(actor=request.user, **form.cleaned_data), hidden=True
    )
    if status is not None:
        return _render(request, district_form=form, status=status)
    messages.success(request, "The district was saved.")
    return redirect("schools:first_setup")


@require_POST
@office_only
def first_setup_school_year(request):
    form = SchoolYearForm(request.POST)
    year, status = form_submit(
        request, form, lambda: setup_school_year_add(actor=request.user, **form.cleaned_data), hidden=True
    )
    if status is not None:
        return _render(request, year_form=form, status=status)
    messages.success(request, f"The school year {year.label} was added.")
    return redirect("schools:first_setup")


@require_POST
@office_only
def first_setup_confirm(request, key):
    if key not in SetupStepKey.values:
        raise Http404("No such step.")
    step = setup_step_confirm(actor=request.user, key=key)
    messages.success(request, f"{step.get_key_display()}: marked done.")
    return redirect("schools:first_setup")


def _render(request, *, district_form=None, year_form=None, status=200):
    district = District.objects.first()
    steps = setup_checklist()
    initial = {"name": district.name, "time_zone": district.time_zone} if district else {"time_zone": "America/Chicago"}
    context = {
        "steps": {step.key: step for step in steps},
        "done": sum(step.done for step in steps),
        "total": len(steps),
        "district_form": district_form or DistrictForm(initial=initial),
        "year_form": year_form or SchoolYearForm(),
    }
    return render(request, "schools/first_setup.html", context, status=status)
