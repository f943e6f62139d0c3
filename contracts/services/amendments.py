"""Amendments: an active version is never edited in place; its next version is a draft copy."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from autonomy.models import HELD_STATUSES, AutonomyGrant, AutonomyRequest, RequestStatus
from contracts.models import Benchmark, BenchmarkKind, ContractStatus, PerformanceContract
from contracts.policies import can_manage_contracts
from contracts.services.commitments import commitments_copy
from contracts.services.steps import CONTRACT_STEPS, contract_lock
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import ApplicationError, Conflict
from core.limits import BRIEF_TEXT
from core.policies import require
from core.workflows import required_text, transition_expect
from metrics.models import Direction


def contract_amend(
    *, actor: AbstractBaseUser, contract_id: int, reason: str, expected_status: str | None = None
) -> PerformanceContract:
    """The next version of an active contract, as a draft copy; the active version stays as it is."""
    reason = required_text(reason, field="reason", message="Say why the contract is amended.", max_length=BRIEF_TEXT)
    with transaction.atomic():
        contract = contract_lock(contract_id)
        require(can_manage_contracts(actor))
        transition_expect(CONTRACT_WORKFLOW, contract, expected_status)
        if contract.status != ContractStatus.ACTIVE:
            raise Conflict("Only an active contract is amended; edit this version instead.")
        if PerformanceContract.objects.filter(previous=contract).exists():
            raise Conflict("An amendment of this version is already being prepared.")
        return _copy_version(contract, actor=actor, reason=reason)


def _copy_version(contract: PerformanceContract, *, actor, reason: str) -> PerformanceContract:
    amendment = PerformanceContract.objects.create(
        school=contract.school,
        lineage=contract.lineage,
        version=contract.version + 1,
        previous=contract,
        template=contract.template,
        term_start=contract.term_start,
        term_end=contract.term_end,
        summary=contract.summary,
        amendment_reason=reason,
        created_by=actor,
    )
    # The version lists the grants the school holds the day it is drafted, as a new draft does: one revoked
    # since the last version is not carried over. A benchmark keeps the autonomy it protects if the school
    # still holds it (under whichever grant is live now), and protects nothing otherwise.
    held = {grant.autonomy_id: grant for grant in AutonomyGrant.objects.filter(school=contract.school).held_on()}
    amendment.grants.set(held.values())
    copies = {}
    for benchmark in contract.benchmarks.select_related("binding_grant"):
        old_pk = benchmark.pk
        bound = benchmark.binding_grant.autonomy_id if benchmark.binding_grant_id else None
        benchmark.pk, benchmark.contract = None, amendment
        benchmark.binding_grant = held.get(bound)
        benchmark.save()
        copies[old_pk] = benchmark
    for rule in contract.rules.all():
        rule.pk, rule.contract = None, amendment
        rule.benchmark = copies.get(rule.benchmark_id)
        rule.save()
    commitments_copy(source=contract, target=amendment)
    CONTRACT_STEPS.created(amendment, actor=actor, action="amend", reason=reason).save()
    return amendment


def contract_amend_from_request(*, actor: AbstractBaseUser, request_id: int) -> PerformanceContract:
    """An approved programmatic request pre-fills an amendment: its target outcomes become benchmarks."""
    require(can_manage_contracts(actor))
    request = AutonomyRequest.objects.select_related("school", "call").filter(pk=request_id).first()
    if request is None:
        raise ApplicationError("No such request.", fields={"request": ["Unknown."]})
    if request.status != RequestStatus.APPROVED:
        raise ApplicationError("Only an approved request is written into a contract.")
    active = PerformanceContract.objects.filter(school=request.school, status=ContractStatus.ACTIVE).first()
    if active is None:
        raise ApplicationError(f"{request.school.name} has no active contract to amend; draft one first.")
    with transaction.atomic():
        amendment = contract_amend(
            actor=actor, contract_id=active.pk, reason=f"Outcomes of the approved request in “{request.call.title}”."
        )
        # The request's own grants, even one that starts with the coming term; never one revoked or
        # suspended since the decision.
        amendment.grants.add(
            *AutonomyGrant.objects.filter(request_item__request=request, status__in=HELD_STATUSES).exclude(
                autonomy_id__in=amendment.grants.values("autonomy_id")
            )
        )
        taken = set(amendment.benchmarks.values_list("key", flat=True))
        for index, outcome in enumerate(request.outcomes.select_related("metric")):
            key = f"request-{request.pk}-{index + 1}"
            if key in taken:
                continue
            higher = outcome.metric.direction == Direction.HIGHER
            Benchmark.objects.create(
                contract=amendment,
                key=key,
                metric=outcome.metric,
                kind=BenchmarkKind.VALUE,
                comparator=">=" if higher else "<=",
                target=outcome.target,
                baseline=outcome.baseline,
                position=amendment.benchmarks.count(),
            )
    return amendment
