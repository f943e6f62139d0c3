from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from contracts.models import Benchmark, InterventionRule, PerformanceContract
from contracts.policies import contracts_visible_to

BENCHMARK_FIELDS = ["metric_id", "kind", "comparator", "target", "baseline", "periods", "new_school_target",
                    "binding_grant_id", "exceeds_margin", "far_below_margin"]
RULE_FIELDS = ["condition", "count", "level", "deadline_days", "remedy", "provision", "benchmark_key"]


def _with_parts(contracts: QuerySet[PerformanceContract]) -> QuerySet[PerformanceContract]:
    return contracts.select_related(
        "school", "school__network", "term_start", "term_end", "signed_by", "countersigned_by", "previous"
    ).prefetch_related(
        Prefetch("benchmarks", queryset=Benchmark.objects.select_related("metric", "binding_grant__autonomy")),
        Prefetch("rules", queryset=InterventionRule.objects.select_related("benchmark")),
        "grants__autonomy",
        "events__actor",
    )


def contract_get_for_user(*, user: AbstractBaseUser, contract_id: int) -> PerformanceContract:
    contract = _with_parts(contracts_visible_to(user)).filter(pk=contract_id).first()
    if contract is None:
        raise Http404("No such contract.")
    return contract


def contract_list_for_user(*, user: AbstractBaseUser, status: str = "") -> QuerySet[PerformanceContract]:
    contracts = contracts_visible_to(user).select_related("school", "term_start", "term_end").order_by(
        "school__name", "-version"
    )
    return contracts.filter(status=status) if status else contracts


@dataclass
class VersionDiff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (key, [(field, old, new)])

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _rule_values(rule: InterventionRule) -> dict:
    values = {name: getattr(rule, name, None) for name in RULE_FIELDS if name != "benchmark_key"}
    values["benchmark_key"] = rule.benchmark.key if rule.benchmark_id else ""
    return values


def _diff(old: dict, new: dict, values) -> VersionDiff:
    diff = VersionDiff()
    diff.added = [new[key] for key in new if key not in old]
    diff.removed = [old[key] for key in old if key not in new]
    for key in new.keys() & old.keys():
        before, after = values(old[key]), values(new[key])
        changes = [(name, before[name], after[name]) for name in before if before[name] != after[name]]
        if changes:
            diff.changed.append((key, changes))
    diff.changed.sort()
    return diff


def contract_diff(*, old: PerformanceContract, new: PerformanceContract) -> dict[str, VersionDiff]:
    """What an amendment added, removed and changed, by benchmark and rule key."""
    return {
        "benchmarks": _diff(
            {b.key: b for b in old.benchmarks.all()},
            {b.key: b for b in new.benchmarks.all()},
            lambda b: {name: getattr(b, name) for name in BENCHMARK_FIELDS},
        ),
        "rules": _diff({r.key: r for r in old.rules.all()}, {r.key: r for r in new.rules.all()}, _rule_values),
    }
