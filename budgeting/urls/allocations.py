"""The allocations pages of budgeting; budgeting/urls/__init__.py joins every module's patterns."""

from django.urls import path

from budgeting.views import allocations

urlpatterns: list = [
    path("allocations/", allocations.allocation_set_list, name="allocation_set_list"),
    path("allocations/compute/", allocations.allocation_set_compute_view, name="allocation_set_compute"),
    path("allocations/<int:pk>/", allocations.allocation_set_detail, name="allocation_set_detail"),
    path("allocations/<int:pk>/release/", allocations.allocation_set_release_view, name="allocation_set_release"),
    path("allocations/<int:pk>/lines.csv", allocations.allocation_set_lines_csv, name="allocation_set_lines_csv"),
    path("schools/<slug:code>/allocation/", allocations.allocation_school, name="allocation_school"),
]
