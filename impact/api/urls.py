"""impact's resources on the API's router (sgs_portal/api.py): (prefix, viewset, basename)."""

from impact.api.decisions import DecisionViewSet

routes = [
    ("impact/decisions", DecisionViewSet, "impact-decision"),
]
