"""The project's URLs plus the two reference views the benchmark measures every page against.

Both are served by the same gunicorn, through the same middleware, so the ratio page ÷ trivial
isolates what the page itself costs (queries, templates), not the machine.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from sgs_portal.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def logged_in_floor(request):
    """The least any logged-in page costs here: the session (shared cache), the user (database), base.html."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/trivial", trivial, name="bench_trivial"),
    path("bench/floor", logged_in_floor, name="bench_floor"),
    *project_urlpatterns,
]
