"""The estimates kept in the shared cache under a key that moves whenever what they read changes.

Grants announce their changes (core.hooks.grants_changed) and impact.receivers moves GRANTS_VERSION on.
Observations announce nothing (metrics has no hook, and its imports write in bulk, past post_save), so
the key also carries a fingerprint of the metric's observations read in one aggregate query: how many,
their sum and the latest change. A new, removed or corrected value changes the fingerprint, whichever
path wrote it. Old keys are never read again and expire on their own.
"""

from django.core.cache import cache
from django.db.models import Count, Max, Sum

from metrics.models import Observation

GRANTS_VERSION = "impact:grants:version"
TIMEOUT = 24 * 60 * 60


def grants_version() -> int:
    version = cache.get(GRANTS_VERSION)
    if version is None:
        cache.add(GRANTS_VERSION, 1, timeout=None)
        version = cache.get(GRANTS_VERSION, 1)
    return version


def grants_version_bump(**_kwargs) -> None:
    try:
        cache.incr(GRANTS_VERSION)
    except ValueError:
        cache.set(GRANTS_VERSION, grants_version() + 1, timeout=None)


def observations_fingerprint(*, metric_id: int) -> str:
    figures = Observation.objects.filter(metric_id=metric_id).aggregate(
        n=Count("id"), total=Sum("value"), last=Max("updated_at")
    )
    last = figures["last"].isoformat() if figures["last"] else "-"
    return f"{figures['n']}:{figures['total']}:{last}"
