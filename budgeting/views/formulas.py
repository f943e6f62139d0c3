"""Finance's formula pages: the versions by school year, a version in plain words with its history, a page
for each part of a draft, publishing (told what it will supersede) and a new draft, empty or copied.

Only finance (budgeting.policies.can_manage_budgeting) has these pages: anyone else is answered 404, as
the allocation pages answer. Each view asks the policy, calls one service or selector and renders; a
refusal re-renders the page with the fields named (400) or says the version moved on (409)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from budgeting.forms import formulas as forms
from budgeting.models import CategoryKind, EnrollmentCategory, FormulaStatus, FormulaVersion, WeightConvention
from budgeting.selectors_formulas import formula_get, formula_in_force, formula_page, formula_years
from budgeting.services import formula_edits as edits
from budgeting.services.formula import formula_draft_create, formula_publish
from budgeting.views.finance_pages import finance_only
from core.errors import ApplicationError, Conflict, NotPermitted
from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key
from core.templatetags.timelines import TimelineEntry, actor_words

EVENT_HEADINGS = {
    "create": "Draft created",
    "edit": "Changed",
    "publish": "Published",
    "supersede": "Superseded",
}


def _refused(request, message: str, *, formula: FormulaVersion | None = None, status: int = 409):
    return render(request, "budgeting/formula_refused.html", {"message": message, "formula": formula}, status=status)


@require_safe
@login_required
def formula_list(request):
    finance_only(request)
    return render(request, "budgeting/formula_list.html", {"years": formula_years()})


@require_safe
@login_required
def formula_detail(request, pk):
    finance_only(request)
    page = formula_page(formula_get(pk=pk))
    entries = [
        TimelineEntry(
            heading=f"{event.evidence.get('part', 'Changed')} changed"
            if event.action == "edit"
            else EVENT_HEADINGS.get(event.action, event.action),
            at=event.at,
            by=actor_words(event.actor, otherwise="by the district's systems"),
            reason=None if event.action == "edit" else event.reason,
            detail_template="budgeting/_formula_changes.html",
            detail_lines=event.evidence.get("changes") or None,
        )
        for event in reversed(page.events)
    ]
    return render(
        request,
        "budgeting/formula_detail.html",
        {"page": page, "formula": page.formula, "entries": entries, "parts": PARTS},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@once_per_form_key
def formula_new(request):
    """A new draft of a year's formula: empty, or a copy of a version (`?copy_from=<id>` fills the form)."""
    finance_only(request)
    initial = {}
    source = request.GET.get("copy_from", "")
    if source.isdigit() and (copied := FormulaVersion.objects.filter(pk=source).first()):
        initial = {"copy_from": copied, "school_year": copied.school_year_id}
    form = forms.FormulaNewForm(request.POST or None, initial=initial)
    formula, status = form_submit(
        request,
        form,
        lambda: create_once(
            request,
            lambda: formula_draft_create(
                actor=request.user,
                school_year=form.cleaned_data["school_year"],
                copy_from=form.cleaned_data["copy_from"],
                name=form.cleaned_data["name"],
            ),
            result=lambda f: (
                reverse("budgeting:formula_detail", args=[f.pk]),
                f"version {f.number} of {f.school_year.label}",
            ),
        ),
        hidden=True,
    )
    if status is None:
        messages.success(request, f"Draft version {formula.number} of {formula.school_year.label} created.")
        return redirect("budgeting:formula_detail", pk=formula.pk)
    return render(request, "budgeting/formula_new.html", {"form": form}, status=status)


# --- The parts of a draft -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One part's page: its form, the form's first values from the version, and the service that saves it."""

    title: str
    lede: str
    form: type
    initial: Callable[[FormulaVersion], dict]
    save: Callable  # (actor, formula, form, expected_status) → None
    needs_categories: bool = False


def _plain(value):
    return None if value is None else value.normalize()


def _weights_initial(formula):
    rows = {row.category.code: row for row in formula.weights.select_related("category")}
    initial = {}
    for category in EnrollmentCategory.objects.all():
        row = rows.get(category.code)
        default = WeightConvention.MULTIPLIER if category.kind == CategoryKind.GRADE else WeightConvention.ADD_ON
        initial[f"convention_{category.code}"] = row.convention if row else default
        initial[f"weight_{category.code}"] = _plain(row.value) if row else None
    return initial


def _curves_initial(formula):
    initial = {}
    for row in formula.concentration_curves.select_related("category"):
        code = row.category.code
        initial |= {
            f"start_{code}": forms.percent_of(row.start_share),
            f"full_{code}": forms.percent_of(row.full_share),
            f"max_{code}": _plain(row.max_weight),
        }
    return initial


PARTS = {
    "base": Part(
        "Base per pupil",
        (
            "What one student weighted 1.00 brings: entered, or solved from a fixed pool so that raising any weight "
            "lowers it for every school."
        ),
        forms.FormulaBaseForm,
        lambda f: {"base_mode": f.base_mode, "base_per_pupil": f.base_per_pupil, "pool": f.pool},
        lambda actor, f, form, expected: edits.formula_base_update(
            actor=actor,
            formula_id=f.pk,
            base_mode=form.cleaned_data["base_mode"],
            base_per_pupil=form.cleaned_data["base_per_pupil"],
            pool=form.cleaned_data["pool"],
            expected_status=expected,
        ),
    ),
    "foundations": Part(
        "Foundations",
        (
            "The fixed amount every school of a type receives before any student is counted (a principal, essential "
            "staff). Blank for none."
        ),
        forms.FormulaFoundationsForm,
        lambda f: {f"foundation_{row.grade_band}": row.amount for row in f.foundations.all()},
        lambda actor, f, form, expected: edits.formula_foundations_update(
            actor=actor, formula_id=f.pk, foundations=form.foundations(), expected_status=expected
        ),
    ),
    "weights": Part(
        "Weights",
        (
            "What one student of each category brings. A multiplier counts the student that many times the base (in "
            "place of the grade weight, for a need); an add-on comes on top of the grade weight."
        ),
        forms.FormulaWeightsForm,
        _weights_initial,
        lambda actor, f, form, expected: edits.formula_weights_update(
            actor=actor, formula_id=f.pk, weights=form.weights(), expected_status=expected
        ),
        needs_categories=True,
    ),
    "concentration": Part(
        "Concentration",
        (
            "An extra weight for schools where a need is concentrated: nothing up to the start, rising evenly to the "
            "full weight at the full share. Leave a need blank for no curve."
        ),
        forms.FormulaConcentrationForm,
        _curves_initial,
        lambda actor, f, form, expected: edits.formula_concentration_update(
            actor=actor, formula_id=f.pk, curves=form.curves(), expected_status=expected
        ),
        needs_categories=True,
    ),
    "small-school": Part(
        "Small schools",
        (
            "A school below its type's threshold receives the rate for each student it is short, capped at a share of "
            "its formula amount."
        ),
        forms.FormulaSmallSchoolForm,
        lambda f: {
            "small_school_rate": f.small_school_rate,
            "small_school_cap_share": forms.percent_of(f.small_school_cap_share),
            **{f"threshold_{row.grade_band}": row.threshold for row in f.small_school_thresholds.all()},
        },
        lambda actor, f, form, expected: edits.formula_small_school_update(
            actor=actor,
            formula_id=f.pk,
            rate=form.cleaned_data["small_school_rate"],
            cap_share=forms.share_of(form.cleaned_data["small_school_cap_share"]),
            thresholds=form.thresholds(),
            expected_status=expected,
        ),
    ),
    "transition": Part(
        "Transition rule",
        (
            "How far a school's allocation may move from last year's: a stop-loss paid for by a cap on gains, or "
            "funding at a percent of formula."
        ),
        forms.FormulaTransitionForm,
        lambda f: {
            "transition_mode": f.transition_mode,
            "stop_loss_share": forms.percent_of(f.stop_loss_share),
            "gain_cap_share": forms.percent_of(f.gain_cap_share),
            "percent_of_formula": forms.percent_of(f.percent_of_formula),
        },
        lambda actor, f, form, expected: edits.formula_transition_update(
            actor=actor, formula_id=f.pk, **form.rule(), expected_status=expected
        ),
    ),
    "details": Part(
        "Name and notes",
        "How the version is known, and what finance wants remembered about it.",
        forms.FormulaDetailsForm,
        lambda f: {"name": f.name, "notes": f.notes},
        lambda actor, f, form, expected: edits.formula_details_update(
            actor=actor,
            formula_id=f.pk,
            name=form.cleaned_data["name"],
            notes=form.cleaned_data["notes"],
            expected_status=expected,
        ),
    ),
}


def _never_changes(formula: FormulaVersion) -> str:
    return (
        f"Version {formula.number} of {formula.school_year.label} is {formula.get_status_display().lower()}: "
        "it never changes. Make a new draft from it to change the formula."
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def formula_edit(request, pk, part):
    finance_only(request)
    spec = PARTS.get(part)
    if spec is None:
        raise Http404("No such part.")
    formula = formula_get(pk=pk)
    if formula.status != FormulaStatus.DRAFT:
        return _refused(request, _never_changes(formula), formula=formula)
    extra = {"categories": list(EnrollmentCategory.objects.all())} if spec.needs_categories else {}
    form = spec.form(
        request.POST if request.method == "POST" else None,
        initial={**spec.initial(formula), "expected_status": formula.status},
        **extra,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                spec.save(request.user, formula, form, form.cleaned_data["expected_status"])
            except NotPermitted:
                raise Http404("No such page.") from None
            except Conflict as error:
                return _refused(request, error.message, formula=formula)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, f"{spec.title} saved.")
                return redirect("budgeting:formula_detail", pk=formula.pk)
    context = {"formula": formula, "form": form, "part": spec, "part_slug": part}
    return render(request, "budgeting/formula_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def formula_publish_view(request, pk):
    """Publishing, after a page that says which version it will supersede; that version's id comes back
    with the post, so a version published in the meantime makes it a conflict, not a surprise."""
    finance_only(request)
    formula = formula_get(pk=pk)
    if formula.status != FormulaStatus.DRAFT:
        return _refused(
            request, f"Version {formula.number} is {formula.get_status_display().lower()} already.", formula=formula
        )
    current = formula_in_force(school_year_id=formula.school_year_id)
    form = forms.FormulaPublishForm(
        request.POST if request.method == "POST" else None,
        initial={"expected_status": formula.status, "supersedes": current.pk if current else None},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                formula_publish(
                    actor=request.user,
                    formula_id=formula.pk,
                    supersedes_id=form.cleaned_data["supersedes"],
                    expected_status=form.cleaned_data["expected_status"],
                )
            except NotPermitted:
                raise Http404("No such page.") from None
            except Conflict as error:
                return _refused(request, error.message, formula=formula)
            except ApplicationError as error:
                form.add_field_errors(error.fields)
                form.add_error(None, error.message)
            else:
                replaced = f" Version {current.number} is superseded." if current else ""
                messages.success(
                    request, f"Version {formula.number} of {formula.school_year.label} is published.{replaced}"
                )
                return redirect("budgeting:formula_detail", pk=formula.pk)
    context = {"formula": formula, "current": current, "form": form}
    return render(request, "budgeting/formula_publish.html", context, status=status)
