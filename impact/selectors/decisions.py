"""The decision log as the page and the API read it: newest first, with the autonomy and who decided."""

from django.db.models import QuerySet

from impact.models import AutonomyDecision


def decisions_list() -> QuerySet[AutonomyDecision]:
    return AutonomyDecision.objects.select_related("autonomy", "decided_by").order_by("-decided_at", "-pk")
