"""The outcomes view's estimate, kept in the shared cache until grants or the metric's values change
(impact.cache): one estimate on 2,000 schools takes about a second; a cached one a few queries.

Against schools not yet holding the autonomy by default; against a pilot's kept comparison group
(impact.models.PilotComparison) when one is chosen: the pilot's schools only, compared like with like."""

from django.core.cache import cache

from impact.cache import TIMEOUT, grants_version, observations_fingerprint
from impact.selectors.panel import Selection, panel_read, pilot_panel_read
from impact.services.event_study import EventStudy, event_study_estimate


def outcomes_estimate(*, metric_id: int, selection: Selection, comparison=None) -> EventStudy:
    against = f"pilot{comparison.pk}" if comparison is not None else "not-yet"
    key = (
        f"impact:es:{metric_id}:{selection.autonomy}:{selection.domain}:{selection.model}:{against}:"
        f"{grants_version()}:{observations_fingerprint(metric_id=metric_id)}"
    )
    kept = cache.get(key)
    if kept is not None:
        return kept
    if comparison is not None:
        rows, adopted = pilot_panel_read(metric_id=metric_id, comparison=comparison)
    else:
        rows, adopted = panel_read(metric_id=metric_id, selection=selection)
    study = event_study_estimate(rows=rows, adopted=adopted)
    cache.set(key, study, timeout=TIMEOUT)
    return study
