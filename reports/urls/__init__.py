"""The public reports (no login) and the autonomy office's packs; one module per part."""

from reports.urls import packs, public

app_name = "reports"

urlpatterns = [*public.urlpatterns, *packs.urlpatterns]
