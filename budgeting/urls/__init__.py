"""Budgeting's URLs, one module per part (formulas, enrollment, allocations, scenarios, plans), so that
each part's pages are declared beside the others' without one long list."""

from budgeting.urls import allocations, enrollment, formulas, plans, scenarios

app_name = "budgeting"

urlpatterns = [
    *formulas.urlpatterns,
    *enrollment.urlpatterns,
    *allocations.urlpatterns,
    *scenarios.urlpatterns,
    *plans.urlpatterns,
]
