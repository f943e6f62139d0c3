"""Budgeting's URLs, one module per part (formulas, enrollment, allocations, scenarios, plans), so that
each part's pages are declared beside the others' without one long list."""

from django.urls import path

from budgeting.urls import allocations, enrollment, formulas, plans, scenarios
from budgeting.views.home import budget_home

app_name = "budgeting"

urlpatterns = [
    path("budget/", budget_home, name="budget_home"),
    *formulas.urlpatterns,
    *enrollment.urlpatterns,
    *allocations.urlpatterns,
    *scenarios.urlpatterns,
    *plans.urlpatterns,
]
