import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from autonomy.models import ACCOUNTABILITY_MODEL_HELP, AccountabilityModel, Autonomy
from autonomy.selectors import (
    DomainRow,
    accountability_model_counts,
    overview_totals_for,
    school_list_for_overview,
)
from autonomy.selectors_grants import GridRight, decision_grid_reasons, decision_grid_standing
from core.querystring import query_without
from core.versions import fragment
from schools.forms import OverviewFilterForm
from schools.models import School
from schools.policies import can_view_district_overview, roles_of
from schools.selectors import network_choices_for_user, school_get_for_user

OVERVIEW_PAGE_SIZE = 50


@login_required
def school_decision_rights(request, code):
    school = school_get_for_user(user=request.user, code=code)  # a 404 before any kept markup is read
    today = timezone.localdate()
    grid = decision_grid_html(
        school=school,
        viewer=request.user,
        today=today,
        kept_as=("school-grid", ("grants", "catalog")),
        standing=lambda: decision_grid_standing(school=school, today=today),
    )
    return render(request, "autonomy/school_decision_rights.html", {"school": school, "grid": grid})


def decision_grid_context(rows) -> dict:
    """What the decision grid's heading and model summary show, from the grid's rows."""
    counts = accountability_model_counts(rows=rows)
    return {
        "rows": rows,
        "held_total": sum(row.held_count for row in rows),
        "catalog_total": sum(len(row.rights) for row in rows),
        "models": [(m.value, m.label, ACCOUNTABILITY_MODEL_HELP[m], counts[m]) for m in AccountabilityModel],
    }


WHY_NOT_HELD = re.compile(r"<!--why-not-held:(\d+)-->")


@dataclass(frozen=True)
class KeptGrid:
    """A school's decision grid as kept: its markup, with a mark where each decision not held says why,
    and those decisions with their standing (not held, starting later, suspended, revoked, expired)."""

    html: str
    unheld: list[tuple[Autonomy, str]]


def decision_grid_html(
    *,
    school: School,
    viewer,
    today: datetime.date,
    kept_as: tuple[str, tuple[str, ...]],
    standing: Callable[[], list[DomainRow]],
    offered_now: frozenset[int] = frozenset(),
) -> str:
    """The school's decision grid. Where the school stands on each decision (`standing`, rows of
    autonomy.selectors_grants.decision_grid_standing) is the same for everyone who may see the school: it is
    rendered once per school, day and language and kept in the shared cache under `kept_as`, a prefix and
    the versions of what the rows read ("grants": a grant issued or moved, with its step; "catalog": the
    entries' names and models). Why each decision not held stands open (eligible now, already allowed, asked
    for, offered by an open call) is drawn for each page and viewer: the observations behind "eligible" move
    no version, and the requests are the viewer's to see. The caller has checked that the viewer may see
    the school."""

    def build() -> KeptGrid:
        rows = standing()
        html = render_to_string("autonomy/_decision_grid.html", decision_grid_context(rows))
        return KeptGrid(
            html, [(right.autonomy, right.standing) for row in rows for right in row.rights if not right.held]
        )

    prefix, versions = kept_as
    kept = fragment(prefix, versions, (school.pk, today), build)
    reasons = decision_grid_reasons(school=school, viewer=viewer, unheld=[autonomy for autonomy, _ in kept.unheld])
    unheld = [GridRight(autonomy, standing, None, None, **reasons[autonomy.pk]) for autonomy, standing in kept.unheld]
    why = get_template("autonomy/_decision_grid.html#why-not-held").render(
        {"unheld": unheld, "offered_now": offered_now}
    )
    parts = WHY_NOT_HELD.split(why)  # ["", pk, its reasons, pk, its reasons, ...]
    drawn = dict(zip(parts[1::2], parts[2::2], strict=True))
    return mark_safe(WHY_NOT_HELD.sub(lambda mark: drawn.get(mark.group(1), ""), kept.html))  # noqa: S308


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
    form = OverviewFilterForm(request.GET or None, networks=network_choices_for_user(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    network_id, search = filters.get("network"), filters.get("q", "")
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
