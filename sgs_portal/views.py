"""The role home, which only routes each user to the page their role starts from; the error pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views import defaults

from core.api.errors import api_not_found, api_server_error
from schools.models import Role, School
from schools.policies import roles_of


@login_required
def home(request):
    roles = roles_of(request.user)
    if roles.is_central_office or Role.LIAISON in roles.district:
        return redirect("autonomy:district_overview")
    if roles.school_ids:
        school = School.objects.filter(pk__in=roles.school_ids).order_by("name").only("code").first()
        return redirect("autonomy:school_detail", code=school.code)
    return render(request, "home_no_role.html")


def page_not_found(request, exception=None):
    """A JSON error under /api/, the site's own page elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return defaults.server_error(request)
