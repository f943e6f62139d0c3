from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from autonomy.models import Autonomy
from contracts.models import (
    COMMITMENT_TERMS,
    Benchmark,
    ContractCommitment,
    ContractTemplate,
    InterventionRule,
    PerformanceContract,
)
from contracts.policies import contracts_visible_to
from metrics.models import Metric
from schools.models import SchoolYear
from schools.policies import schools_visible_to

BENCHMARK_FIELDS = [
    "metric_id",
    "kind",
    "comparator",
    "target",
    "baseline",
    "periods",
    "new_school_target",
    "exceeds_margin",
    "far_below_margin",
]
RULE_FIELDS = ["condition", "count", "level", "deadline_days", "remedy", "provision", "benchmark_key"]


def _with_parts(contracts: QuerySet[PerformanceContract]) -> QuerySet[PerformanceContract]:
    return contracts.select_related(
        "school", "school__network", "term_start", "term_end", "signed_by", "countersigned_by", "previous"
    ).prefetch_related(
        # Each part in its contract's order, named here: the models' default orderings start with the contract,
        # whose own ordering would join the contract and its school to every part just to sort by their names.
        Prefetch(
            "benchmarks",
            queryset=Benchmark.objects.select_related("metric", "binding_grant__autonomy").order_by("position", "pk"),
        ),
        # rule_sentence names the benchmark's metric for a K-in-a-row rule.
        Prefetch(
            "rules",
            queryset=InterventionRule.objects.select_related("benchmark__metric").order_by("level", "position", "pk"),
        ),
        "grants__autonomy",
        "events__actor",
        Prefetch(
            "commitments", queryset=ContractCommitment.objects.select_related("autonomy").order_by("position", "pk")
        ),
    )


def contract_get_for_user(*, user: AbstractBaseUser, contract_id: int) -> PerformanceContract:
    # One row by its id: ordered by it, not by the model's default (the school's name, the version).
    contract = _with_parts(contracts_visible_to(user)).filter(pk=contract_id).order_by("pk").first()
    if contract is None:
        raise Http404("No such contract.")
    return contract


def contract_versions_for_user(*, user: AbstractBaseUser, contract: PerformanceContract) -> list[PerformanceContract]:
    """Every version of the contract's lineage the user may see, oldest first: one query."""
    return list(
        contracts_visible_to(user)
        .filter(lineage=contract.lineage)
        .only("pk", "version", "status", "created_at", "amendment_reason", "previous_id", "lineage")
        .order_by("version")
    )


def contract_previous_for_user(*, user: AbstractBaseUser, contract: PerformanceContract) -> PerformanceContract | None:
    """The version this one amends, with its parts, for the changes page; None for a first version."""
    if contract.previous_id is None:
        return None
    return contract_get_for_user(user=user, contract_id=contract.previous_id)


def contract_form_choices(*, user: AbstractBaseUser) -> dict[str, QuerySet]:
    """What a new contract is drafted from: the schools the user sees, the templates, the school years."""
    return {
        "schools": schools_visible_to(user).order_by("name"),
        "templates": ContractTemplate.objects.order_by("name"),
        "years": SchoolYear.objects.order_by("start_date"),
    }


def metrics_for_benchmarks() -> QuerySet[Metric]:
    return Metric.objects.order_by("name")


def autonomies_for_benchmarks(*, contract: PerformanceContract) -> QuerySet[Autonomy]:
    """The autonomies a benchmark of this version may protect: the ones the version covers."""
    return Autonomy.objects.filter(grants__contracts=contract).distinct().order_by("name")


def contract_benchmark_for_edit(*, contract: PerformanceContract, key: str) -> Benchmark:
    """A benchmark of the version, from its prefetched parts; 404 if it has none by that name."""
    for benchmark in contract.benchmarks.all():
        if benchmark.key == key:
            return benchmark
    raise Http404("No such benchmark.")


def contract_rule_for_edit(*, contract: PerformanceContract, key: str) -> InterventionRule:
    for rule in contract.rules.all():
        if rule.key == key:
            return rule
    raise Http404("No such rule.")


def contract_list_for_user(*, user: AbstractBaseUser, status: str = "") -> QuerySet[PerformanceContract]:
    contracts = (
        contracts_visible_to(user)
        .select_related("school", "term_start", "term_end", "signed_by", "countersigned_by")
        .order_by("school__name", "-version")
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


def _benchmark_values(benchmark: Benchmark) -> dict:
    values = {name: getattr(benchmark, name) for name in BENCHMARK_FIELDS}
    # The autonomy it protects, by its code: a grant issued again for the same autonomy is no change.
    values["binding_autonomy"] = benchmark.binding_grant.autonomy.code if benchmark.binding_grant_id else ""
    return values


def contract_diff(*, old: PerformanceContract, new: PerformanceContract) -> dict[str, VersionDiff]:
    """What an amendment added, removed and changed: the autonomies it covers (by autonomy), its benchmarks
    with their rating bands and bound autonomy (by key), its intervention rules (by key), and central
    office's commitments (by key)."""
    return {
        "autonomies": _diff(
            {g.autonomy.code: g for g in old.grants.all()},
            {g.autonomy.code: g for g in new.grants.all()},
            lambda g: {"model": g.model},
        ),
        "benchmarks": _diff(
            {b.key: b for b in old.benchmarks.all()},
            {b.key: b for b in new.benchmarks.all()},
            _benchmark_values,
        ),
        "rules": _diff({r.key: r for r in old.rules.all()}, {r.key: r for r in new.rules.all()}, _rule_values),
        "commitments": _diff(
            {c.key: c for c in old.commitments.all()},
            {c.key: c for c in new.commitments.all()},
            _commitment_values,
        ),
    }


def _commitment_values(commitment: ContractCommitment) -> dict:
    """A commitment's terms (its tracking is no change to the agreement), the autonomy by its code."""
    values = {name: getattr(commitment, name) for name in COMMITMENT_TERMS}
    values["autonomy"] = commitment.autonomy.code if commitment.autonomy_id else ""
    return values
