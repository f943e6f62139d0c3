"""Budgeting's resources on the API's router (sgs_portal/api.py): (prefix, viewset, basename)."""

from budgeting.api.plans import PlanViewSet

routes = [
    ("budget-plans", PlanViewSet, "budget-plan"),
]
