"""The role home, which starts each person on what needs them; the error pages.

The autonomy office and viewers start on the district overview, a reviewer on the review queue; a
liaison's home is the caseload with its flags and deadlines; a principal's (and the school team's) is
what needs the school now, then its decision grid.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import defaults

from autonomy.views.schools import decision_grid_html
from core.api.errors import api_not_found, api_server_error
from schools.models import Role
from schools.policies import roles_of
from sgs_portal.home import caseload_flags, caseload_for_liaison, school_grid_standing, school_needs, schools_worked_at
from support.policies.staff import departments_of

# What the home's decision grid reads, kept per school (autonomy.views.schools.decision_grid_html): the
# grants and their steps, the catalog, and the deadline of a flag that put a grant at risk before grants kept
# the end of their cure period (moved by a person's step on a flag and by an evaluation run).
HOME_GRID_VERSIONS = ("grants", "catalog", "flags", "evaluation")


@login_required
def home(request):
    roles = roles_of(request.user)
    if roles.is_admin or Role.VIEWER in roles.district:
        return redirect("autonomy:district_overview")
    if Role.REVIEWER in roles.district:
        return redirect("autonomy:review_queue")
    if Role.LIAISON in roles.district:
        return _liaison_home(request)
    if roles.school_ids:
        return _school_home(request, roles)
    if departments_of(request.user):  # central-office department staff: the requests schools sent them
        return redirect("support:request_queue")
    return render(request, "home_no_role.html")


def _school_home(request, roles):
    """The first of the person's schools by name; the others are a link away."""
    schools = schools_worked_at(user=request.user)
    school, others = schools[0], schools[1:]
    today = timezone.localdate()
    needs = school_needs(user=request.user, school=school, today=today)
    grid = decision_grid_html(
        school=school,
        viewer=request.user,
        today=today,
        kept_as=("home-grid", HOME_GRID_VERSIONS),
        standing=lambda: school_grid_standing(school=school, today=today),
        # The decisions an open call the school has not answered offers: the grid says where to ask.
        offered_now=frozenset(pk for need in needs for pk in need.offers),
    )
    context = {
        "school": school,
        "other_schools": others,
        "today": today,
        "is_principal": school.pk in roles.principal_of,
        "needs": needs,
        "grid": grid,
    }
    return render(request, "home_school.html", context)


def _liaison_home(request):
    today = timezone.localdate()
    context = {
        "today": today,
        "caseload": list(caseload_for_liaison(user=request.user)),
        "flags": caseload_flags(user=request.user, today=today),
    }
    return render(request, "home_liaison.html", context)


def page_not_found(request, exception=None):
    """A JSON error under /api/, the site's own page elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return defaults.server_error(request)
