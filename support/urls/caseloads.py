"""The caseloads pages: the district's caseloads and the autonomy office's settings and assignments, and
each school's partnership log. A liaison's own caseload page, which shows flags, is routed by
sgs_portal/urls.py (sgs_portal/caseload.py)."""

from django.urls import path

from support.views import caseloads as views

urlpatterns = [
    path("caseloads/", views.caseload_district, name="caseload_district"),
    path("caseloads/settings/", views.service_policy_edit, name="caseload_settings"),
    path("schools/<str:code>/liaison/", views.school_liaison_edit, name="school_liaison_edit"),
    path("schools/<str:code>/log/", views.partnership_log_view, name="partnership_log"),
    path("schools/<str:code>/log/new/", views.partnership_entry_add, name="partnership_entry_add"),
    path("schools/<str:code>/log/<int:pk>/edit/", views.partnership_entry_edit, name="partnership_entry_edit"),
    path("schools/<str:code>/log/<int:pk>/remove/", views.partnership_entry_remove, name="partnership_entry_remove"),
]
