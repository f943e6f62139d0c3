"""The enrollment pages of budgeting; budgeting/urls/__init__.py joins every module's patterns."""

from django.urls import path

from budgeting.views import enrollment

urlpatterns: list = [
    path("enrollment/", enrollment.enrollment_snapshots, name="enrollment_snapshots"),
    path("enrollment/import/", enrollment.enrollment_import_view, name="enrollment_import"),
    path("enrollment/project/", enrollment.enrollment_project_view, name="enrollment_project"),
    path("enrollment/<int:pk>/", enrollment.enrollment_snapshot, name="enrollment_snapshot"),
    path("enrollment/<int:pk>/adjust/", enrollment.enrollment_count_set_view, name="enrollment_count_set"),
]
