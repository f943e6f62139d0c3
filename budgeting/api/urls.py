"""Budgeting's resources on the API's router (sgs_portal/api.py): (prefix, viewset, basename)."""

from budgeting.api.allocations import AllocationViewSet
from budgeting.api.formulas import FormulaVersionViewSet
from budgeting.api.plans import PlanViewSet
from budgeting.api.scenarios import ScenarioViewSet

routes = [
    ("formula-versions", FormulaVersionViewSet, "formula-version"),
    ("allocations", AllocationViewSet, "allocation"),
    ("scenarios", ScenarioViewSet, "scenario"),
    ("budget-plans", PlanViewSet, "budget-plan"),
]
