"""The REST API under /api/v1/: each app lists its resources in `<app>/api/urls.py` as `routes`, and
this module puts them on one router, beside the OpenAPI schema and its interactive docs."""

from importlib import import_module

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

API_APPS = ["metrics", "support", "autonomy", "budgeting", "contracts", "accountability", "reports", "impact"]


class ApiRouter(DefaultRouter):
    include_format_suffixes = False


router = ApiRouter(trailing_slash=True)
for app in API_APPS:
    for prefix, viewset, basename in import_module(f"{app}.api.urls").routes:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets inline styles on its elements; its scripts still come from this site only.
    path(
        "api/docs/",
        csp_update({"style-src": ["'self'", "'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]
