"""Support's resources on the API's router (sgs_portal/api.py): (prefix, viewset, basename)."""

from support.api.calendar import MilestoneViewSet
from support.api.surveys import SurveyCycleViewSet

routes = [
    ("milestones", MilestoneViewSet, "milestone"),
    ("survey-cycles", SurveyCycleViewSet, "survey-cycle"),
]
