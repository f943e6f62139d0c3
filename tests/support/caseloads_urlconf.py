"""The site's URLs with the liaison's caseload page (sgs_portal/caseload.py), for the tests of that page
until sgs_portal/urls.py routes it; the same line as the site's once it does."""

from django.urls import path

from sgs_portal.caseload import liaison_caseload_view
from sgs_portal.urls import handler404, handler500
from sgs_portal.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("support/caseloads/<int:liaison_id>/", liaison_caseload_view, name="liaison_caseload"),
    *site_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
