"""Support's resources on the API's router (sgs_portal/api.py): (prefix, viewset, basename)."""

from support.api.surveys import SurveyCycleViewSet

routes = [
    ("survey-cycles", SurveyCycleViewSet, "survey-cycle"),
]
