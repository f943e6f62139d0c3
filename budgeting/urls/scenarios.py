"""The scenarios pages of budgeting; budgeting/urls/__init__.py joins every module's patterns."""

from django.urls import path

from budgeting.views import scenarios

urlpatterns: list = [
    path("scenarios/", scenarios.scenario_list, name="scenario_list"),
    path("scenarios/new/", scenarios.scenario_create_view, name="scenario_create"),
    path("scenarios/<int:pk>/", scenarios.scenario_compare_view, name="scenario_compare"),
    path("scenarios/<int:pk>/edit/", scenarios.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/adopt/", scenarios.scenario_adopt_view, name="scenario_adopt"),
]
