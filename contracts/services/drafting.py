"""Drafting a contract: from the district's template for one school or many (contracts signed on paper),
and editing a draft's benchmarks."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from autonomy.models import AutonomyGrant
from contracts.models import (
    RULE_TERMS,
    Benchmark,
    ContractEvent,
    ContractStatus,
    ContractTemplate,
    InterventionRule,
    PerformanceContract,
)
from contracts.policies import can_edit_contract, can_manage_contracts
from contracts.services.editing import BENCHMARK_EDITABLE, BenchmarkInput, binding_grant_for, check_benchmark_input
from contracts.services.steps import CONTRACT_STEPS, contract_lock, contract_revise
from contracts.services.targets import (
    check_benchmark_target,
    district_medians,
    latest_values,
    resolve_target,
)
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import ApplicationError
from core.limits import BRIEF_TEXT
from core.policies import require
from core.workflows import limited_text, transition_expect
from schools.models import School, SchoolYear
from schools.selectors import principals_of


def contract_create_from_template(
    *,
    actor: AbstractBaseUser,
    school: School,
    template: ContractTemplate,
    term_start: SchoolYear,
    term_end: SchoolYear,
    summary: str = "",
) -> PerformanceContract:
    """A draft contract for the school's term: the template's benchmarks with targets resolved from the
    school's baselines (the latest value before the term), its rules, and the grants the school holds
    today (AutonomyGrant.objects.held_on: not one revoked this morning, nor one that starts next term)."""
    require(can_manage_contracts(actor))
    summary = limited_text(summary, field="summary", max_length=BRIEF_TEXT)
    if term_end.start_date < term_start.start_date:
        raise ApplicationError("The term must end in or after the year it starts.", fields={"term_end": ["Too early."]})
    standards = list(template.benchmarks.select_related("metric"))
    metric_ids = {s.metric_id for s in standards}
    baselines = latest_values(school_ids=[school.pk], metric_ids=metric_ids, before_period=term_start.label)
    medians = district_medians(metric_ids=metric_ids, before_period=term_start.label)
    grants = list(AutonomyGrant.objects.filter(school=school).held_on())
    with transaction.atomic():
        contract = PerformanceContract.objects.create(
            school=school,
            template=template,
            term_start=term_start,
            term_end=term_end,
            created_by=actor,
            summary=summary or f"{school.name} holds the decisions listed here and commits to these results.",
        )
        _copy_template(
            contracts=[contract],
            template=template,
            standards=standards,
            baselines=baselines,
            medians=medians,
            held_by_school={school.pk: grants},
        )
        contract.grants.set(grants)
        CONTRACT_STEPS.created(
            contract, actor=actor, action="create", reason=f"Drafted from the template “{template.name}”."
        ).save()
    return contract


def _copy_template(*, contracts, template, standards, baselines, medians, held_by_school) -> None:
    """The template's benchmarks, targets resolved per school, and its rules, for each contract."""
    benchmarks = []
    for contract in contracts:
        held = {grant.autonomy_id: grant for grant in held_by_school.get(contract.school_id, [])}
        for position, standard in enumerate(standards):
            baseline = baselines.get((contract.school_id, standard.metric_id))
            target = resolve_target(standard, baseline, medians)
            check_benchmark_target(metric=standard.metric, kind=standard.kind, target=target, field=standard.key)
            benchmarks.append(
                Benchmark(
                    contract=contract,
                    key=standard.key,
                    metric=standard.metric,
                    kind=standard.kind,
                    comparator=standard.comparator,
                    periods=standard.periods,
                    target=target,
                    baseline=baseline[1] if baseline else None,
                    baseline_period=baseline[0] if baseline else "",
                    exceeds_margin=standard.exceeds_margin,
                    far_below_margin=standard.far_below_margin,
                    new_school_target=standard.new_school_target,
                    binding_grant=held.get(standard.binding_autonomy_id),
                    position=position,
                )
            )
    created = Benchmark.objects.bulk_create(benchmarks, batch_size=5000)
    by_contract_key = {(b.contract_id, b.key): b for b in created}
    rules = list(template.rules.all())
    InterventionRule.objects.bulk_create(
        (
            InterventionRule(
                contract=contract,
                key=rule.key,
                **{name: getattr(rule, name) for name in RULE_TERMS},
                benchmark=by_contract_key.get((contract.pk, rule.benchmark_key)),
                position=rule.position,
            )
            for contract in contracts
            for rule in rules
        ),
        batch_size=5000,
    )


def contract_benchmark_add(
    *, actor: AbstractBaseUser, contract_id: int, benchmark: BenchmarkInput, expected_status: str | None = None
) -> list[str]:
    """Add a benchmark to an editable contract. Returns warnings (e.g. a comparator against the metric's
    direction); refuses a target outside the metric's range, a band that is not an amount, an autonomy
    the version does not cover, or a key already used."""
    warning = check_benchmark_input(benchmark)
    with transaction.atomic():
        contract = contract_lock(contract_id)
        require(can_edit_contract(actor, contract))
        transition_expect(CONTRACT_WORKFLOW, contract, expected_status)
        binding_grant = binding_grant_for(contract, benchmark.binding_autonomy)
        try:
            with transaction.atomic():
                Benchmark.objects.create(
                    contract=contract,
                    key=benchmark.key,
                    **{name: getattr(benchmark, name) for name in BENCHMARK_EDITABLE},
                    binding_grant=binding_grant,
                    position=contract.benchmarks.count(),
                )
        except IntegrityError:
            raise ApplicationError(
                f"The contract already has a benchmark “{benchmark.key}”.", fields={"key": ["Already used."]}
            ) from None
        contract_revise(contract, actor=actor, note=f"Benchmark “{benchmark.key}” added.")
    return [warning] if warning else []


def contract_benchmark_remove(
    *, actor: AbstractBaseUser, contract_id: int, key: str, expected_status: str | None = None
) -> None:
    with transaction.atomic():
        contract = contract_lock(contract_id)
        require(can_edit_contract(actor, contract))
        transition_expect(CONTRACT_WORKFLOW, contract, expected_status)
        deleted, _ = contract.benchmarks.filter(key=key).delete()
        if not deleted:
            raise ApplicationError(f"No benchmark “{key}” in this contract.", fields={"key": ["Unknown."]})
        contract_revise(contract, actor=actor, note=f"Benchmark “{key}” removed.")


def contracts_import_signed(
    *,
    actor: AbstractBaseUser,
    schools: list[School],
    template: ContractTemplate,
    term_start: SchoolYear,
    term_end: SchoolYear,
    signed_at: datetime.datetime,
) -> list[PerformanceContract]:
    """Bring contracts the district and its principals already signed on paper into the portal, in bulk.

    Each is recorded as active with its signature record and an "import" event saying so; targets are
    resolved from each school's baselines exactly as for a drafted contract. A fixed number of queries
    per batch, whatever the number of schools.
    """
    require(can_manage_contracts(actor))
    school_ids = [school.pk for school in schools]
    standards = list(template.benchmarks.select_related("metric"))
    metric_ids = {s.metric_id for s in standards}
    baselines = latest_values(school_ids=school_ids, metric_ids=metric_ids, before_period=term_start.label)
    medians = district_medians(metric_ids=metric_ids, before_period=term_start.label)
    principals = principals_of(school_ids=school_ids)
    held: dict[int, list[AutonomyGrant]] = {}
    for grant in AutonomyGrant.objects.filter(school_id__in=school_ids).held_on():
        held.setdefault(grant.school_id, []).append(grant)
    signer = actor.get_full_name() or actor.get_username()
    with transaction.atomic():
        contracts = PerformanceContract.objects.bulk_create(
            PerformanceContract(
                school=school,
                template=template,
                term_start=term_start,
                term_end=term_end,
                created_by=actor,
                status=ContractStatus.ACTIVE,
                summary=f"{school.name} holds the decisions listed here and commits to these results.",
                proposed_at=signed_at,
                signed_by=(principals.get(school.pk) or [None])[0],
                signed_at=signed_at,
                signed_name=_full_name((principals.get(school.pk) or [None])[0]),
                countersigned_by=actor,
                countersigned_at=signed_at,
                countersigned_name=signer,
            )
            for school in schools
        )
        PerformanceContract.grants.through.objects.bulk_create(
            (
                PerformanceContract.grants.through(performancecontract=contract, autonomygrant=grant)
                for contract in contracts
                for grant in held.get(contract.school_id, [])
            ),
            batch_size=5000,
        )
        _copy_template(
            contracts=contracts,
            template=template,
            standards=standards,
            baselines=baselines,
            medians=medians,
            held_by_school=held,
        )
        paper = f"Signed on paper on {timezone.localtime(signed_at):%B %-d, %Y}; entered into the portal."
        ContractEvent.objects.bulk_create(
            (CONTRACT_STEPS.created(contract, actor=actor, action="import", reason=paper) for contract in contracts),
            batch_size=5000,
        )
    return contracts


def _full_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
