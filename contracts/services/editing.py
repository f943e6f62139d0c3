"""Editing a draft (or a proposed or signed version, which then goes back for a new signature) in place:
a benchmark's every field — measure, kind, comparison, target, baseline, years counted, the new school's
target, the rating bands and the autonomy that depends on it — and an intervention rule's every field.
Editing in place keeps what removing and adding again would lose: the bands, the rules that name the
benchmark, its place in the list.

A benchmark's and a rule's short name (`key`) is not edited: it is what matches a benchmark or rule
across versions, so the changes page can say what changed rather than "removed, added".
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from autonomy.models import Autonomy, AutonomyGrant
from contracts.models import BENCHMARK_TERMS, Benchmark, Condition, Level, PerformanceContract
from contracts.policies import can_edit_contract
from contracts.services.steps import contract_lock, contract_revise
from contracts.services.targets import check_benchmark_target, check_target_in_range, comparator_warning
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import ApplicationError
from core.limits import BRIEF_TEXT, SHORT_TEXT
from core.policies import require
from core.workflows import required_text, transition_expect
from metrics.models import Metric

BENCHMARK_EDITABLE = ("metric", *BENCHMARK_TERMS)


@dataclass(frozen=True)
class BenchmarkInput:
    """What a person sets on a benchmark. `binding_autonomy`: the autonomy whose retention depends on it,
    one the contract covers, or None."""

    key: str
    metric: Metric
    kind: str
    comparator: str
    target: Decimal
    periods: int = 1
    baseline: Decimal | None = None
    new_school_target: Decimal | None = None
    exceeds_margin: Decimal | None = None
    far_below_margin: Decimal | None = None
    binding_autonomy: Autonomy | None = None


@dataclass(frozen=True)
class RuleInput:
    """What a person sets on an intervention rule. `benchmark_key`: for K periods in a row, which benchmark."""

    condition: str
    count: int
    level: int
    deadline_days: int
    remedy: str
    provision: str
    benchmark_key: str = ""


def check_benchmark_input(benchmark: BenchmarkInput) -> str:
    """Every rule about one benchmark's numbers; returns a warning to show (or ""), refuses naming the field."""
    check_benchmark_target(metric=benchmark.metric, kind=benchmark.kind, target=benchmark.target)
    for name in ("baseline", "new_school_target"):
        if getattr(benchmark, name) is not None:
            check_target_in_range(metric=benchmark.metric, value=getattr(benchmark, name), field=name)
    if benchmark.periods < 1:
        raise ApplicationError("Count at least one year.", fields={"periods": ["Count at least one year."]})
    for name, words in (("exceeds_margin", "exceed"), ("far_below_margin", "fall far below")):
        margin = getattr(benchmark, name)
        if margin is not None and margin <= 0:
            message = f"The margin to {words} the target is an amount more than 0, or empty for no such band."
            raise ApplicationError(message, fields={name: [message]})
    return comparator_warning(metric=benchmark.metric, comparator=benchmark.comparator, kind=benchmark.kind)


def binding_grant_for(contract: PerformanceContract, autonomy: Autonomy | None) -> AutonomyGrant | None:
    """The contract's grant of the autonomy a benchmark is tied to; refused if the contract does not cover it."""
    if autonomy is None:
        return None
    grant = contract.grants.filter(autonomy=autonomy).first()
    if grant is None:
        message = f"This version does not cover “{autonomy.name}”, so no benchmark can keep it."
        raise ApplicationError(message, fields={"binding_autonomy": [message]})
    return grant


def _part_for_edit(actor, contract_id: int, expected_status: str | None, *, noun: str, key: str):
    """Locks an editable version (call inside a transaction) and finds its benchmark or rule (`noun`) by key."""
    contract = contract_lock(contract_id)
    require(can_edit_contract(actor, contract))
    transition_expect(CONTRACT_WORKFLOW, contract, expected_status)
    row = getattr(contract, f"{noun}s").filter(key=key).first()
    if row is None:
        raise ApplicationError(f"No {noun} “{key}” in this contract.", fields={"key": ["Unknown."]})
    return contract, row


def contract_benchmark_update(
    *,
    actor: AbstractBaseUser,
    contract_id: int,
    key: str,
    benchmark: BenchmarkInput,
    expected_status: str | None = None,
) -> list[str]:
    """Change a benchmark of an editable version in place. Returns warnings; refuses naming the field."""
    warning = check_benchmark_input(benchmark)
    with transaction.atomic():
        contract, row = _part_for_edit(actor, contract_id, expected_status, noun="benchmark", key=key)
        if benchmark.baseline != row.baseline:
            row.baseline_period = ""  # a baseline set by hand is no longer the result of a school year
        for name in BENCHMARK_EDITABLE:
            setattr(row, name, getattr(benchmark, name))
        row.binding_grant = binding_grant_for(contract, benchmark.binding_autonomy)
        row.save()
        contract_revise(contract, actor=actor, note=f"Benchmark “{key}” changed.")
    return [warning] if warning else []


def check_rule_input(rule: RuleInput, *, contract: PerformanceContract) -> Benchmark | None:
    """A rule's fields, and the benchmark it names (for K periods in a row); refuses naming the field."""
    if rule.condition not in Condition.values:
        raise ApplicationError("Choose when the rule applies.", fields={"condition": ["Unknown condition."]})
    if rule.level not in Level.values:
        raise ApplicationError("Choose a step of the ladder.", fields={"level": ["Unknown step."]})
    if rule.count < 1:
        raise ApplicationError("Count at least 1.", fields={"count": ["Count at least 1."]})
    if rule.deadline_days < 0:
        raise ApplicationError("Days cannot be negative.", fields={"deadline_days": ["Days cannot be negative."]})
    benchmark = None
    if rule.condition == Condition.K_IN_A_ROW:
        if not rule.benchmark_key:
            message = "Say which benchmark missed K years in a row applies to."
            raise ApplicationError(message, fields={"benchmark_key": [message]})
        benchmark = contract.benchmarks.filter(key=rule.benchmark_key).first()
        if benchmark is None:
            message = f"This version has no benchmark “{rule.benchmark_key}”."
            raise ApplicationError(message, fields={"benchmark_key": [message]})
    return benchmark


def contract_rule_update(
    *, actor: AbstractBaseUser, contract_id: int, key: str, rule: RuleInput, expected_status: str | None = None
) -> None:
    """Change an intervention rule of an editable version in place; refuses naming the field."""
    remedy = required_text(rule.remedy, field="remedy", message="Say what the school must do.", max_length=BRIEF_TEXT)
    provision = required_text(
        rule.provision, field="provision", message="Name the contract provision.", max_length=SHORT_TEXT
    )
    with transaction.atomic():
        contract, row = _part_for_edit(actor, contract_id, expected_status, noun="rule", key=key)
        row.benchmark = check_rule_input(rule, contract=contract)
        row.condition, row.count, row.level = rule.condition, rule.count, rule.level
        row.deadline_days, row.remedy, row.provision = rule.deadline_days, remedy, provision
        row.save()
        contract_revise(contract, actor=actor, note=f"Rule “{key}” changed.")
