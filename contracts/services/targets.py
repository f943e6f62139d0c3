"""A benchmark's target: in the metric's range, meaningful for its kind, resolved from a template."""

import statistics
from decimal import Decimal

from django.db.models import Max

from contracts.models import BenchmarkKind, TargetMode, TemplateBenchmark
from core.errors import ApplicationError
from metrics.models import Direction, Metric, Observation


def check_target_in_range(*, metric: Metric, value: Decimal, field: str) -> None:
    """A target, baseline or new school's target outside the metric's range, refused in the metric's words."""
    if problem := metric.range_problem(value):
        raise ApplicationError(f"{problem}.", fields={field: [problem]})


def check_benchmark_target(*, metric: Metric, kind: str, target: Decimal, field: str = "target") -> None:
    """The target means a level for value and average benchmarks, a change for growth and trend (which
    may be negative where lower is better), and a percentile for standing in the district."""
    if kind == BenchmarkKind.RELATIVE:
        if not Decimal(0) <= target <= Decimal(100):
            message = f"A standing in the district is a percentile from 0 to 100; {target.normalize():f} is not."
            raise ApplicationError(message, fields={field: [message]})
    elif kind in (BenchmarkKind.GROWTH, BenchmarkKind.TREND):
        if metric.min_value is not None and metric.max_value is not None:
            span = metric.max_value - metric.min_value
            if abs(target) > span:
                message = f"{metric.name} spans {span.normalize():f}; a change of {target.normalize():f} cannot happen."
                raise ApplicationError(message, fields={field: [message]})
    else:
        check_target_in_range(metric=metric, value=target, field=field)


def comparator_warning(*, metric: Metric, comparator: str, kind: str) -> str:
    """A benchmark that rewards the wrong direction (e.g. absenteeism at least 20%) is allowed but flagged."""
    rewards_higher = comparator in (">=", ">")
    if kind in (BenchmarkKind.RELATIVE, BenchmarkKind.TREND):
        return ""  # percentiles and trends are measured in the better direction already
    if metric.direction == Direction.LOWER and rewards_higher:
        return f"For {metric.name} lower is better, but this benchmark asks for {comparator} the target."
    if metric.direction == Direction.HIGHER and not rewards_higher:
        return f"For {metric.name} higher is better, but this benchmark asks for {comparator} the target."
    return ""


def latest_values(*, school_ids, metric_ids, before_period: str) -> dict[tuple[int, int], tuple[str, Decimal]]:
    """The latest observation before a period, per (school, metric): the baseline. One query."""
    latest: dict[tuple[int, int], tuple[str, Decimal]] = {}
    rows = (
        Observation.objects.filter(school_id__in=school_ids, metric_id__in=metric_ids, period__lt=before_period)
        .order_by("school_id", "metric_id", "period")
        .values_list("school_id", "metric_id", "period", "value")
    )
    for school_id, metric_id, period, value in rows:
        latest[(school_id, metric_id)] = (period, value)
    return latest


def district_medians(*, metric_ids, before_period: str) -> dict[int, Decimal]:
    """The median over schools of each metric in its most recent period before `before_period`."""
    periods = dict(
        Observation.objects.filter(metric_id__in=metric_ids, period__lt=before_period)
        .values("metric_id")
        .annotate(last=Max("period"))
        .values_list("metric_id", "last")
    )
    medians = {}
    for metric_id, period in periods.items():
        values = list(Observation.objects.filter(metric_id=metric_id, period=period).values_list("value", flat=True))
        medians[metric_id] = Decimal(statistics.median(values)).quantize(Decimal("0.1"))
    return medians


def resolve_target(standard: TemplateBenchmark, baseline, medians) -> Decimal:
    if standard.target_mode == TargetMode.FIXED:
        return standard.target_value
    if standard.target_mode == TargetMode.DISTRICT_MEDIAN:
        if standard.metric_id not in medians:
            raise ApplicationError(
                f"Benchmark “{standard.key}”: the district has no {standard.metric.name} data to take a median of.",
                fields={standard.key: ["No district data."]},
            )
        return medians[standard.metric_id]
    if baseline is None:
        if standard.fallback_target is not None:
            return standard.fallback_target
        raise ApplicationError(
            f"Benchmark “{standard.key}”: the school has no {standard.metric.name} baseline, and the template "
            "gives no fallback target. Add a fallback to the template or set the target by hand.",
            fields={standard.key: ["No baseline."]},
        )
    return _within_range(standard, baseline[1] + (standard.target_value or 0))


def _within_range(standard: TemplateBenchmark, target: Decimal) -> Decimal:
    """A level above the baseline is held to what the metric can reach: a school at 99% proficiency under
    "baseline plus 2 points" is held to 100%, not refused a contract. Changes and standings are not levels."""
    if standard.kind in (BenchmarkKind.GROWTH, BenchmarkKind.TREND, BenchmarkKind.RELATIVE):
        return target
    metric = standard.metric
    if metric.max_value is not None and target > metric.max_value:
        return metric.max_value
    if metric.min_value is not None and target < metric.min_value:
        return metric.min_value
    return target
