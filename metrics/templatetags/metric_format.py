"""A metric's numbers on a page, through metrics.formatting (the same words the notices use).

{% load metric_format %}
{{ observation.value|metric_value:metric }}        88.2%   7 vacancies   $1,240
{{ change|metric_change:metric }}                  +2.1 points
{{ result.value|percentile }}                      35th percentile
{% standing metric value percentile schools %}     52 (35th percentile of 38 schools)
{% result_value benchmark value %}                 by the benchmark's kind
{% result_target benchmark target %}               60%   +3 points   the 40th percentile
"""

from django import template

from metrics.formatting import (
    format_change,
    format_percentile,
    format_result,
    format_standing,
    format_target,
    format_value,
)

register = template.Library()


@register.filter
def metric_value(value, metric) -> str:
    return format_value(metric, value)


@register.filter
def metric_change(value, metric) -> str:
    return format_change(metric, value)


@register.filter
def percentile(value) -> str:
    return format_percentile(value)


@register.simple_tag
def standing(metric, value, percentile, schools) -> str:
    return format_standing(metric, value, percentile=percentile, schools=schools)


@register.simple_tag
def result_value(benchmark, value, observed=None, schools=None) -> str:
    """`benchmark` is anything with `kind` and `metric` (a contracts Benchmark)."""
    return format_result(benchmark.kind, benchmark.metric, value, observed=observed, schools=schools)


@register.simple_tag
def result_target(benchmark, target) -> str:
    return format_target(benchmark.kind, benchmark.metric, target)
