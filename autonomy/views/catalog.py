"""The autonomy catalog for every signed-in person: each decision right, what the school decides, what stays
with the district, how it is earned or kept, who holds it today and how a school gets it. The autonomy
office edits an entry's words here; every change is kept with who and when."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from autonomy.forms.catalog import CatalogEntryForm
from autonomy.models import ACCOUNTABILITY_MODEL_HELP, AccountabilityModel
from autonomy.models.catalog import CATALOG_TEXT_FIELDS
from autonomy.policies import can_edit_catalog
from autonomy.selectors import calls_for_board, schools_user_acts_for
from autonomy.selectors_catalog import (
    catalog_by_domain,
    catalog_entry_for_edit,
    catalog_entry_get,
    catalog_entry_page,
    latest_revision_id,
    revisions_of,
)
from autonomy.services import autonomy_catalog_update
from core.errors import ApplicationError, Conflict
from core.translated import stored
from core.versions import fragment
from schools.models import Role
from schools.policies import roles_of


def sees_the_evaluation(user) -> bool:
    """Whether the catalog links a decision to its evidence: the evaluation's pages answer only the autonomy
    office and the district's viewers (impact.policies.can_view_impact, which this app may not import;
    tests/autonomy/test_catalog_evaluation.py holds the two to the same answer for every role). Everybody
    else reads the decision without a link to pages they would not find."""
    roles = roles_of(user)
    return roles.is_admin or Role.VIEWER in roles.district


def _models():
    return [(m.value, m.label, ACCOUNTABILITY_MODEL_HELP[m]) for m in AccountabilityModel]


def _domains_drawn(*, today, sees_evaluation: bool) -> str:
    """The entries by domain as the page draws them: the same for everyone who reads them alike (whether a
    decision links to its evidence), so drawn once per day, language and that, and kept in the shared cache
    under the versions the entries are kept under (autonomy.selectors_catalog.catalog_by_domain)."""

    def draw() -> str:
        context = {"domains": catalog_by_domain(today=today), "sees_evaluation": sees_evaluation}
        return render_to_string("autonomy/catalog/list.html#domains", context)

    return mark_safe(fragment("catalog-drawn", ("catalog", "grants"), (today, sees_evaluation), draw))  # noqa: S308


@require_safe
@login_required
def catalog_list(request):
    context = {
        "domains_drawn": _domains_drawn(today=timezone.localdate(), sees_evaluation=sees_the_evaluation(request.user)),
        "models": _models(),
        "can_edit": bool(can_edit_catalog(request.user)),
    }
    return render(request, "autonomy/catalog/list.html", context)


@require_safe
@login_required
def catalog_entry(request, code):
    today = timezone.localdate()
    autonomy = catalog_entry_get(code=code, today=today)
    page = catalog_entry_page(user=request.user, autonomy=autonomy, today=today)
    context = {
        "autonomy": autonomy,
        "page": page,
        "model_help": ACCOUNTABILITY_MODEL_HELP.get(autonomy.model, ""),
        "can_edit": bool(can_edit_catalog(request.user)),
        "today": today,
        "sees_evaluation": sees_the_evaluation(request.user),
    }
    if page.open_calls and page.own_schools:
        # The "Start a request" form of the calls page, for the viewer's schools that do not hold it yet.
        context["board"] = calls_for_board(user=request.user, today=today)
        context["start_schools"] = [s.school for s in page.own_schools if s.grant is None]
        context["acting_schools"] = list(schools_user_acts_for(user=request.user))
    return render(request, "autonomy/catalog/entry.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def catalog_edit(request, code):
    autonomy = catalog_entry_for_edit(code=code)
    decision = can_edit_catalog(request.user)
    if not decision:
        context = {"autonomy": autonomy, "message": decision.reason}
        return render(request, "autonomy/catalog/refused.html", context, status=403)
    seen = latest_revision_id(autonomy=autonomy)
    initial = {name: stored(autonomy, name) for name in CATALOG_TEXT_FIELDS} | {"seen_revision": seen}
    form = CatalogEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    status, conflict = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                revision = autonomy_catalog_update(
                    actor=request.user,
                    code=autonomy.code,
                    texts=form.texts(),
                    note=form.cleaned_data["note"],
                    seen_revision_id=form.cleaned_data["seen_revision"],
                )
            except Conflict as error:
                # Show the entry as it is now, keep what the person typed, and let them save again.
                status, conflict = 409, error.message
                data = request.POST.copy()
                data["seen_revision"] = latest_revision_id(autonomy=autonomy) or ""
                form = CatalogEntryForm(data, initial=initial)
                form.is_valid()
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                if revision is None:
                    messages.info(request, "Nothing was changed: the entry already read that way.")
                else:
                    messages.success(request, f"“{revision.autonomy.name}” is updated; the change is in its history.")
                return redirect("autonomy:catalog_entry", code=autonomy.code)
    context = {
        "autonomy": autonomy,
        "form": form,
        "conflict": conflict,
        "revisions": revisions_of(autonomy=autonomy)[:5],
    }
    return render(request, "autonomy/catalog/edit.html", context, status=status)
