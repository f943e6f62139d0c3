"""The project's URLs plus the baseline the benchmark compares every page against.

The trivial view is served by the same gunicorn, through the same middleware, so the ratio
page ÷ trivial isolates what the page itself costs (queries, templates), not the machine.
"""

from django.http import HttpResponse
from django.urls import path

from sgs_portal.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial, name="bench_trivial"), *project_urlpatterns]
