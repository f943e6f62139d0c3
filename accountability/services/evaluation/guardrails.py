"""The guardrails of a run: what holds it for an admin to confirm or discard instead of carrying it out.

A run that would suspend or revoke too many of the live grants, or that read data that look wrong, is
held (accountability.services.evaluation.runs rolls its work back and records why, in plain words).
"""

from collections import defaultdict

from django.conf import settings

from accountability.models import ResultStatus
from accountability.services.measures import BenchmarkSpec, Outcome
from metrics.models import Metric, Observation


def reason_to_hold(counts: dict[str, int], *, live_grants: int, data_concern: str) -> str:
    """Why the guardrails stop this run, in plain words; empty if they let it through."""
    reasons = [data_concern] if data_concern else []
    changed = counts["grants_suspended"] + counts["grants_revoked"]
    share = settings.EVALUATION_MAX_GRANT_CHANGE_SHARE
    # One grant is a case, not a mass change: it never holds a run, however small the district.
    if changed > max(1, share * live_grants):
        reasons.append(f"It would suspend or revoke {changed} of {live_grants} live grants, more than {share:.0%}.")
    return " ".join(reasons)


def data_concern(specs: list[BenchmarkSpec], current: dict[int, Outcome], *, year, period_ended: bool) -> str:
    """Name the metrics whose data for the period look wrong: mostly zero where higher is better (an
    import of blanks as zeros), or, once the period is over, mostly missing.

    Zeros are not suspect where lower is better (no vacancies is good news), and missing data are normal
    while the year runs: results arrive during it.
    """
    share = settings.EVALUATION_ANOMALY_SHARE
    higher = {s.metric_id for s in specs if s.higher_is_better}
    values = defaultdict(list)
    for metric_id, value in Observation.objects.filter(
        school_id__in={s.school_id for s in specs}, metric_id__in=higher, period=year.label
    ).values_list("metric_id", "value"):
        values[metric_id].append(value)
    concerns = {}
    for metric_id, seen in values.items():
        zeros = sum(1 for value in seen if value == 0)
        if zeros > share * len(seen):
            concerns[metric_id] = f"{zeros} of {len(seen)} values for {year.label} are zero"
    if period_ended:
        by_metric = defaultdict(list)
        for spec in specs:
            if spec.pk in current:
                by_metric[spec.metric_id].append(current[spec.pk].status)
        for metric_id, statuses in by_metric.items():
            missing = statuses.count(ResultStatus.NO_DATA)
            if missing > share * len(statuses) and metric_id not in concerns:
                concerns[metric_id] = f"{missing} of {len(statuses)} benchmarks on it have no data for {year.label}"
    if not concerns:
        return ""
    metrics = Metric.objects.filter(pk__in=concerns).order_by("code").values_list("pk", "name", "code")
    return " ".join(
        f"The data for {name} ({code}) look wrong: {concerns[pk]}, more than {share:.0%}." for pk, name, code in metrics
    )
