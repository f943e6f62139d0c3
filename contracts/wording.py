"""Contracts in plain words, shared by the pages and the PDF so that both say the same thing."""

from contracts.models import Benchmark, BenchmarkKind, Condition, InterventionRule

COMPARATOR_WORDS = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}


def _number(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def benchmark_sentence(benchmark: Benchmark) -> str:
    metric = benchmark.metric.name
    words = COMPARATOR_WORDS.get(benchmark.comparator, benchmark.comparator)
    target = _number(benchmark.target)
    unit = "%" if benchmark.metric.unit == "percent" and benchmark.kind != BenchmarkKind.RELATIVE else ""
    if benchmark.kind == BenchmarkKind.GROWTH:
        baseline = f" (baseline {_number(benchmark.baseline)}{unit})" if benchmark.baseline is not None else ""
        sentence = f"{metric} grows by {words} {target} points over the baseline{baseline}."
    elif benchmark.kind == BenchmarkKind.TREND:
        sentence = f"{metric} improves every year over the last {benchmark.periods} years, by {words} {target}."
    elif benchmark.kind == BenchmarkKind.AGGREGATE:
        sentence = f"The {benchmark.periods}-year average of {metric} is {words} {target}{unit}."
    elif benchmark.kind == BenchmarkKind.RELATIVE:
        sentence = f"{metric} places the school {words} the {target}th percentile of district schools."
    else:
        sentence = f"{metric} is {words} {target}{unit}."
    if benchmark.new_school_target is not None:
        sentence += f" A school in its first or second year is held to {_number(benchmark.new_school_target)}{unit}."
    return sentence


def rule_sentence(rule: InterventionRule) -> str:
    if rule.condition == Condition.BINDING_MISSED:
        when = "If a benchmark that an autonomy depends on is missed"
    elif rule.condition == Condition.N_MISSED:
        when = f"If {rule.count} or more benchmarks are missed in a year"
    elif rule.condition == Condition.K_IN_A_ROW:
        which = f"“{rule.benchmark.metric.name}”" if rule.benchmark_id else "the same benchmark"
        when = f"If {which} is missed {rule.count} years in a row"
    else:
        when = "If the data for a benchmark is missing by its due date"
    return f"{when}: {rule.get_level_display().lower()}. {rule.remedy} The school has {rule.deadline_days} days."
