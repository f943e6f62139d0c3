from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from autonomy.models import ACCOUNTABILITY_MODEL_HELP, AccountabilityModel
from autonomy.selectors import (
    accountability_model_counts,
    overview_totals_for,
    school_list_for_overview,
)
from autonomy.selectors_grants import decision_grid_for_school
from core.querystring import query_without
from core.versions import fragment
from schools.forms import OverviewFilterForm
from schools.policies import can_view_district_overview, roles_of
from schools.selectors import networks_for_user, school_get_for_user

OVERVIEW_PAGE_SIZE = 50


@login_required
def school_decision_rights(request, code):
    school = school_get_for_user(user=request.user, code=code)
    rows = decision_grid_for_school(school=school, viewer=request.user)
    return render(request, "autonomy/school_decision_rights.html", {"school": school, **decision_grid_context(rows)})


def decision_grid_context(rows) -> dict:
    """What the decision grid's heading and model summary show, from the grid's rows."""
    counts = accountability_model_counts(rows=rows)
    return {
        "rows": rows,
        "held_total": sum(row.held_count for row in rows),
        "catalog_total": sum(len(row.rights) for row in rows),
        "models": [(m.value, m.label, ACCOUNTABILITY_MODEL_HELP[m], counts[m]) for m in AccountabilityModel],
    }


def _rows_kept(user, page, network_id, search) -> str:
    """The table's rows for central office, who all see every school and the same rows: rendered once per
    filter, page and language and kept in the shared cache under the versions of what they show (the
    grants held today, the catalog's names, the schools with their networks and liaisons). Empty for
    anyone else, whose rows are drawn for them, and for a page with no school (the table says so)."""
    if not roles_of(user).is_central_office or not page.paginator.count:
        return ""

    def build() -> str:
        return render_to_string("autonomy/district_overview.html#school-rows", {"page": page})

    parts = (timezone.localdate(), network_id or "", search, page.number)
    return mark_safe(fragment("overview-rows", ("grants", "catalog", "schools"), parts, build))  # noqa: S308


@login_required
def district_overview(request):
    if not can_view_district_overview(request.user):
        raise Http404("No such page.")
    form = OverviewFilterForm(request.GET or None, networks=networks_for_user(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    network_id, search = (filters["network"].pk if filters.get("network") else None), filters.get("q", "")
    schools = school_list_for_overview(user=request.user, network_id=network_id, search=search)
    page = Paginator(schools, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows_kept": _rows_kept(request.user, page, network_id, search),
        "totals": overview_totals_for(user=request.user, schools=schools, filtered=bool(network_id or search)),
        "querystring": query_without(request.GET, "page"),
    }
    template = "autonomy/district_overview.html"
    if request.htmx:
        template += "#school-table"
    return render(request, template, context)
