"""Support's resources on the API's router (sgs_portal/api.py): (prefix, viewset, basename)."""

from support.api.calendar import MilestoneViewSet
from support.api.caseloads import CaseloadViewSet, PartnershipEntryViewSet
from support.api.networks import NetworkMembershipViewSet, NetworkRequestViewSet, NetworkViewSet
from support.api.requests import SupportCategoryViewSet, SupportRequestViewSet
from support.api.surveys import SurveyCycleViewSet

routes = [
    ("networks", NetworkViewSet, "network"),
    ("network-memberships", NetworkMembershipViewSet, "network-membership"),
    ("network-requests", NetworkRequestViewSet, "network-request"),
    ("milestones", MilestoneViewSet, "milestone"),
    ("caseloads", CaseloadViewSet, "caseload"),
    ("partnership-entries", PartnershipEntryViewSet, "partnership-entry"),
    ("survey-cycles", SurveyCycleViewSet, "survey-cycle"),
    ("support-requests", SupportRequestViewSet, "support-request"),
    ("support-categories", SupportCategoryViewSet, "support-category"),
]
