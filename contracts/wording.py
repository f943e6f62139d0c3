"""Contracts in plain words, shared by the pages and the PDF so that both say the same thing."""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from autonomy.models import AccountabilityModel, Comparator
from contracts.benchmark_wording import benchmark_sentence, number_text, rating_bands
from contracts.commitment_wording import commitment_lines, commitments_diff_words
from contracts.models import Benchmark, BenchmarkKind, Condition, InterventionRule, Level


def rule_sentence(rule: InterventionRule) -> str:
    """The rule as the contract states it, in the active language. Kept per wording and language: the nightly
    run quotes a rule in each of hundreds of notices, and most contracts share their rules' words."""
    which = rule.benchmark.metric.name if rule.condition == Condition.K_IN_A_ROW and rule.benchmark_id else None
    return _rule_sentence(
        get_language(), rule.condition, rule.count, which, rule.level, rule.remedy, rule.deadline_days
    )


@lru_cache(maxsize=1024)
def _rule_sentence(language, condition, count, which, level, remedy, deadline_days) -> str:
    if condition == Condition.BINDING_MISSED:
        when = _("If a benchmark that an autonomy depends on is missed")
    elif condition == Condition.N_MISSED:
        when = _("If %(count)s or more benchmarks are missed in a year") % {"count": count}
    elif condition == Condition.K_IN_A_ROW:
        which = f"“{which}”" if which is not None else _("the same benchmark")
        when = _("If %(which)s is missed %(count)s years in a row") % {"which": which, "count": count}
    else:
        when = _("If the data for a benchmark is missing by its due date")
    if deadline_days:
        deadline = _("The school has %(days)s days.") % {"days": deadline_days}
    else:
        deadline = _("It takes effect at once.")
    return _("%(when)s: %(level)s. %(remedy)s %(deadline)s") % {
        "when": when,
        "level": Level(level).label.lower(),
        "remedy": remedy,
        "deadline": deadline,
    }


# --- what changed between two versions ---------------------------------------------------------

BENCHMARK_FIELD_LABELS = {
    "metric_id": gettext_lazy("Measure"),
    "kind": gettext_lazy("Kind"),
    "comparator": gettext_lazy("Comparison"),
    "target": gettext_lazy("Target"),
    "baseline": gettext_lazy("Baseline"),
    "periods": gettext_lazy("Years counted"),
    "new_school_target": gettext_lazy("Target for a new school"),
    "binding_autonomy": gettext_lazy("Autonomy that depends on it"),
    "exceeds_margin": gettext_lazy("Rating band: exceeds when beyond the target by"),
    "far_below_margin": gettext_lazy("Rating band: falls far below when short of the target by"),
}
RULE_FIELD_LABELS = {
    "condition": gettext_lazy("When"),
    "count": gettext_lazy("How many"),
    "level": gettext_lazy("What happens"),
    "deadline_days": gettext_lazy("Days to remedy"),
    "remedy": gettext_lazy("Remedy"),
    "provision": gettext_lazy("Provision"),
    "benchmark_key": gettext_lazy("Benchmark"),
}


def _names(old, new) -> dict[str, dict]:
    """Readable names for the ids and codes a diff compares, from the parts both versions have loaded."""
    metrics, autonomies = {}, {}
    for contract in (old, new):
        for benchmark in contract.benchmarks.all():
            metrics[benchmark.metric_id] = benchmark.metric.name
            if benchmark.binding_grant_id:
                autonomies[benchmark.binding_grant.autonomy.code] = benchmark.binding_grant.autonomy.name
        for grant in contract.grants.all():
            autonomies[grant.autonomy.code] = grant.autonomy.name
    return {"metric_id": metrics, "binding_autonomy": autonomies}


def _grant_line(grant) -> str:
    return f"{grant.autonomy.name} ({grant.get_model_display().lower()})"


# The fields a person picks from a list, said as the list says them.
_CHOICES = {"kind": BenchmarkKind, "comparator": Comparator, "condition": Condition, "model": AccountabilityModel}


def _value(name: str, value, names) -> str:
    if value is None or value == "":
        return _("none")
    if name in names:
        return names[name].get(value, _("another"))
    if name in _CHOICES:
        return _CHOICES[name](value).label
    if name == "level":
        return _("step %(level)s (%(label)s)") % {"level": value, "label": Level(value).label}
    if hasattr(value, "normalize"):
        return number_text(value)
    return str(value)


def change_lines(changes, labels, names) -> list[str]:
    """[(field, old, new)] as lines such as "Target: 45 → 48"."""
    return [
        f"{labels.get(name, name)}: {_value(name, before, names)} → {_value(name, after, names)}"
        for name, before, after in changes
    ]


def describe_diff(*, diff: dict, old, new) -> dict:
    """contracts.selectors.contract_diff in plain words, for the changes page."""
    names = _names(old, new)
    autonomies, benchmarks, rules = diff["autonomies"], diff["benchmarks"], diff["rules"]
    metric_of = {b.key: b.metric.name for contract in (old, new) for b in contract.benchmarks.all()}
    rule_of = {r.key: rule_sentence(r) for r in new.rules.all()}
    return {
        "autonomies": {
            "added": [_grant_line(g) for g in autonomies.added],
            "removed": [_grant_line(g) for g in autonomies.removed],
            "changed": [
                (
                    names["binding_autonomy"].get(code, code),
                    change_lines(changes, {"model": _("How it is held")}, names),
                )
                for code, changes in autonomies.changed
            ],
        },
        "benchmarks": {
            "added": [benchmark_sentence(b) for b in benchmarks.added],
            "removed": [benchmark_sentence(b) for b in benchmarks.removed],
            "changed": [
                (metric_of.get(key, key), change_lines(changes, BENCHMARK_FIELD_LABELS, names))
                for key, changes in benchmarks.changed
            ],
        },
        "rules": {
            "added": [f"{rule_sentence(r)} ({r.provision})" for r in rules.added],
            "removed": [f"{rule_sentence(r)} ({r.provision})" for r in rules.removed],
            "changed": [
                (rule_of.get(key, key), change_lines(changes, RULE_FIELD_LABELS, names))
                for key, changes in rules.changed
            ],
        },
        "commitments": commitments_diff_words(diff["commitments"], names),
        "empty": autonomies.empty and benchmarks.empty and rules.empty and diff["commitments"].empty,
    }


# --- the contract page, section by section -----------------------------------------------------


@dataclass(frozen=True)
class GrantLine:
    name: str
    domain: str
    domain_label: str
    model_label: str
    status_label: str
    depends_on: list[str]


@dataclass(frozen=True)
class BenchmarkLine:
    key: str
    sentence: str
    metric: str
    kind_label: str
    baseline: str
    baseline_period: str
    target: str
    binding_autonomy: str
    bands: str = ""


@dataclass(frozen=True)
class RuleLine:
    key: str
    sentence: str
    provision: str
    level: int
    level_label: str


@dataclass(frozen=True)
class RungLine:
    """A step of the intervention ladder, as the contract states it: the rules that open a flag on it, or,
    for a step no rule opens, how a flag comes to it (by climbing from the step below)."""

    level: int
    label: str
    rules: list[RuleLine]

    @property
    def reached_by_climbing(self) -> bool:
        return not self.rules


LADDER_STEPS = len(Level)
# How a flag reaches a step no rule starts on: the evaluation's ladder (accountability.services.evaluation.
# ladder) climbs one step when the deadline on the step below passes without a remedy.
CLIMBING = gettext_lazy(
    "No rule starts here: a flag comes to this step from the step below, when the deadline there passes "
    "without a remedy."
)


def contract_ladder(rules) -> list[RungLine]:
    """Every step of the ladder in its order (contracts.models.Level, the rungs the evaluation's ladder
    acts on), each with the rules that open a flag on it, in the contract's order within the step.

    Listing the rules themselves, in the order they were written, printed the top step first, a step once
    per rule on it, and never the steps reached only by climbing: the ladder is what the school must read.
    """
    lines = [
        RuleLine(
            key=rule.key,
            sentence=rule_sentence(rule),
            provision=rule.provision,
            level=rule.level,
            level_label=rule.get_level_display(),
        )
        for rule in sorted(rules, key=lambda r: (r.level, r.position, r.pk or 0))
    ]
    return [
        RungLine(level=level.value, label=level.label, rules=[line for line in lines if line.level == level])
        for level in Level
    ]


def _amount(value, benchmark: Benchmark) -> str:
    if value is None:
        return ""
    percent = benchmark.metric.unit == "percent" and benchmark.kind in (BenchmarkKind.VALUE, BenchmarkKind.AGGREGATE)
    return f"{number_text(value)}{'%' if percent else ''}"


def contract_sections(contract) -> dict[str, list]:
    """What the school may decide, must achieve, and what happens if it does not, in the words the page
    and the print view show. Reads only parts contracts.selectors.contract_get_for_user prefetched."""
    benchmarks = list(contract.benchmarks.all())
    depends: dict[int, list[str]] = {}
    for benchmark in benchmarks:
        if benchmark.binding_grant_id:
            depends.setdefault(benchmark.binding_grant_id, []).append(benchmark.metric.name)
    return {
        "commitments": commitment_lines(contract.commitments.all()),
        "grants": [
            GrantLine(
                name=grant.autonomy.name,
                domain=grant.autonomy.domain,
                domain_label=grant.autonomy.get_domain_display(),
                model_label=grant.get_model_display(),
                status_label=grant.get_status_display(),
                depends_on=depends.get(grant.pk, []),
            )
            for grant in sorted(contract.grants.all(), key=lambda g: (g.autonomy.domain, g.autonomy.name))
        ],
        "benchmarks": [
            BenchmarkLine(
                key=benchmark.key,
                sentence=benchmark_sentence(benchmark),
                metric=benchmark.metric.name,
                kind_label=benchmark.get_kind_display(),
                baseline=_amount(benchmark.baseline, benchmark) if benchmark.kind != BenchmarkKind.RELATIVE else "",
                baseline_period=benchmark.baseline_period,
                target=_amount(benchmark.target, benchmark),
                binding_autonomy=benchmark.binding_grant.autonomy.name if benchmark.binding_grant_id else "",
                bands=rating_bands(benchmark),
            )
            for benchmark in benchmarks
        ],
        "ladder": contract_ladder(contract.rules.all()) if contract.rules.all() else [],
        "ladder_steps": LADDER_STEPS,
        "climbing": CLIMBING,
    }
