"""The portal's URLs with the roster pages, for their tests until sgs_portal/urls.py includes schools.urls."""

from django.urls import include, path

from sgs_portal.urls import handler404, handler500  # noqa: F401
from sgs_portal.urls import urlpatterns as portal_urlpatterns

included = any(getattr(pattern, "namespace", None) == "schools" for pattern in portal_urlpatterns)
urlpatterns = portal_urlpatterns if included else [*portal_urlpatterns, path("", include("schools.urls"))]
