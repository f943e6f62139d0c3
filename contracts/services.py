"""Every write to performance contracts: drafting from a template, the signature workflow, amendments.

Transitions lock the contract row (select_for_update), check the table and the policy, write the
status and an event, and notify on commit, like the request workflow.
"""

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from autonomy.models import HELD_STATUSES, AutonomyGrant, AutonomyRequest, RequestStatus
from contracts.models import (
    Benchmark,
    BenchmarkKind,
    ContractEvent,
    ContractStatus,
    ContractTemplate,
    InterventionRule,
    PerformanceContract,
    TargetMode,
    TemplateBenchmark,
)
from contracts.policies import can_edit_contract, can_manage_contracts, can_take_contract_action
from contracts.workflows import contract_transition
from core.errors import ApplicationError, Conflict
from core.notifications import notify
from core.policies import require
from metrics.models import Direction, Metric, Observation
from schools.models import School, SchoolYear
from schools.selectors import principals_of


def _locked(contract_id: int) -> PerformanceContract:
    return PerformanceContract.objects.select_for_update().select_related("school").get(pk=contract_id)


def _move(contract: PerformanceContract, *, actor, action: str, note: str = "") -> ContractEvent:
    transition = contract_transition(contract.status, action)
    if transition is None:
        raise Conflict(f"The contract is {contract.get_status_display().lower()}: that step is not open now.")
    previous = contract.status
    contract.status = transition.to
    contract.save()
    return ContractEvent.objects.create(
        contract=contract,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_status=previous,
        to_status=contract.status,
        note=note,
    )


def _open_step(contract: PerformanceContract, *, actor, action: str) -> None:
    """A step that is not open in the contract's state is a conflict (the contract is elsewhere in its
    workflow); a step that is open but not the actor's is not permitted."""
    if contract_transition(contract.status, action) is None:
        raise Conflict(f"The contract is {contract.get_status_display().lower()}: that step is not open now.")
    require(can_take_contract_action(actor, contract, action))


def _expect(contract: PerformanceContract, expected_status: str | None) -> None:
    if expected_status and contract.status != expected_status:
        raise Conflict(
            f"Somebody acted on this contract first: it is now {contract.get_status_display().lower()}. "
            "Reload the page to see what changed."
        )


# --- targets ------------------------------------------------------------------------------------


def check_target_in_range(*, metric: Metric, value: Decimal, field: str) -> None:
    low, high = metric.min_value, metric.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            allowed = f"runs from {low.normalize():f} to {high.normalize():f}"
        elif low is not None:
            allowed = f"is at least {low.normalize():f}"
        else:
            allowed = f"is at most {high.normalize():f}"
        message = f"{metric.name} {allowed}; {value.normalize():f} is outside that range."
        raise ApplicationError(message, fields={field: [message]})


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


def _latest_values(*, school_ids, metric_ids, before_period: str) -> dict[tuple[int, int], tuple[str, Decimal]]:
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


def _district_medians(*, metric_ids, before_period: str) -> dict[int, Decimal]:
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


def _resolve_target(standard: TemplateBenchmark, baseline, medians) -> Decimal:
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
    return baseline[1] + (standard.target_value or 0)


# --- drafting -----------------------------------------------------------------------------------


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
    school's baselines (the latest value before the term), its rules, and the grants the school holds."""
    require(can_manage_contracts(actor))
    if term_end.start_date < term_start.start_date:
        raise ApplicationError("The term must end in or after the year it starts.", fields={"term_end": ["Too early."]})
    standards = list(template.benchmarks.select_related("metric"))
    metric_ids = {s.metric_id for s in standards}
    baselines = _latest_values(school_ids=[school.pk], metric_ids=metric_ids, before_period=term_start.label)
    medians = _district_medians(metric_ids=metric_ids, before_period=term_start.label)
    grants = list(AutonomyGrant.objects.filter(school=school, status__in=HELD_STATUSES))
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
        ContractEvent.objects.create(
            contract=contract,
            actor=actor,
            at=timezone.now(),
            action="create",
            to_status=ContractStatus.DRAFT,
            note=f"Drafted from the template “{template.name}”.",
        )
    return contract


def _copy_template(*, contracts, template, standards, baselines, medians, held_by_school) -> None:
    """The template's benchmarks, targets resolved per school, and its rules, for each contract."""
    benchmarks = []
    for contract in contracts:
        held = {grant.autonomy_id: grant for grant in held_by_school.get(contract.school_id, [])}
        for position, standard in enumerate(standards):
            baseline = baselines.get((contract.school_id, standard.metric_id))
            target = _resolve_target(standard, baseline, medians)
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
                condition=rule.condition,
                count=rule.count,
                level=rule.level,
                deadline_days=rule.deadline_days,
                remedy=rule.remedy,
                provision=rule.provision,
                benchmark=by_contract_key.get((contract.pk, rule.benchmark_key)),
                position=rule.position,
            )
            for contract in contracts
            for rule in rules
        ),
        batch_size=5000,
    )


@dataclass(frozen=True)
class BenchmarkInput:
    key: str
    metric: Metric
    kind: str
    comparator: str
    target: Decimal
    periods: int = 1
    baseline: Decimal | None = None
    new_school_target: Decimal | None = None


def _revise(contract: PerformanceContract, *, actor, note: str) -> None:
    """A change to a proposed or signed contract needs a new signature: back to proposed, signature cleared."""
    if contract.status in (ContractStatus.PROPOSED, ContractStatus.SIGNED):
        contract.signed_by, contract.signed_at, contract.signed_name = None, None, ""
        _move(contract, actor=actor, action="revise", note=note)


def contract_benchmark_add(
    *, actor: AbstractBaseUser, contract_id: int, benchmark: BenchmarkInput, expected_status: str | None = None
) -> list[str]:
    """Add a benchmark to an editable contract. Returns warnings (e.g. a comparator against the metric's
    direction); refuses a target outside the metric's range or a key already used."""
    check_benchmark_target(metric=benchmark.metric, kind=benchmark.kind, target=benchmark.target)
    for name in ("baseline", "new_school_target"):
        if getattr(benchmark, name) is not None:
            check_target_in_range(metric=benchmark.metric, value=getattr(benchmark, name), field=name)
    warning = comparator_warning(metric=benchmark.metric, comparator=benchmark.comparator, kind=benchmark.kind)
    with transaction.atomic():
        contract = _locked(contract_id)
        require(can_edit_contract(actor, contract))
        _expect(contract, expected_status)
        try:
            with transaction.atomic():
                Benchmark.objects.create(
                    contract=contract,
                    key=benchmark.key,
                    metric=benchmark.metric,
                    kind=benchmark.kind,
                    comparator=benchmark.comparator,
                    target=benchmark.target,
                    periods=benchmark.periods,
                    baseline=benchmark.baseline,
                    new_school_target=benchmark.new_school_target,
                    position=contract.benchmarks.count(),
                )
        except IntegrityError:
            raise ApplicationError(
                f"The contract already has a benchmark “{benchmark.key}”.", fields={"key": ["Already used."]}
            ) from None
        _revise(contract, actor=actor, note=f"Benchmark “{benchmark.key}” added.")
    return [warning] if warning else []


def contract_benchmark_remove(
    *, actor: AbstractBaseUser, contract_id: int, key: str, expected_status: str | None = None
) -> None:
    with transaction.atomic():
        contract = _locked(contract_id)
        require(can_edit_contract(actor, contract))
        _expect(contract, expected_status)
        deleted, _ = contract.benchmarks.filter(key=key).delete()
        if not deleted:
            raise ApplicationError(f"No benchmark “{key}” in this contract.", fields={"key": ["Unknown."]})
        _revise(contract, actor=actor, note=f"Benchmark “{key}” removed.")


def contract_propose(*, actor: AbstractBaseUser, contract_id: int, expected_status: str | None = None):
    with transaction.atomic():
        contract = _locked(contract_id)
        _expect(contract, expected_status)
        _open_step(contract, actor=actor, action="propose")
        if not contract.benchmarks.exists():
            raise ApplicationError("A contract needs at least one benchmark.", fields={"benchmarks": ["None yet."]})
        contract.proposed_at = timezone.now()
        event = _move(contract, actor=actor, action="propose")
        notify(
            users=principals_of(school_ids=[contract.school_id]).get(contract.school_id, []),
            key=f"contract:{contract.pk}:event:{event.pk}",
            title=f"Your performance contract for {contract.term_start}–{contract.term_end} is ready to sign",
            url=reverse("contract_detail", args=[contract.pk]),
        )
    return contract


def contract_sign(
    *, actor: AbstractBaseUser, contract_id: int, signed_name: str, expected_status: str | None = None
) -> PerformanceContract:
    """The principal signs: an explicit act, with the name they type and the time."""
    signed_name = (signed_name or "").strip()
    if not signed_name:
        raise ApplicationError("Type your full name to sign.", fields={"signed_name": ["This field is required."]})
    with transaction.atomic():
        contract = _locked(contract_id)
        _expect(contract, expected_status)
        _open_step(contract, actor=actor, action="sign")
        contract.signed_by, contract.signed_at, contract.signed_name = actor, timezone.now(), signed_name
        _move(contract, actor=actor, action="sign", note=f"Signed by {signed_name}.")
    return contract


def contract_countersign(
    *, actor: AbstractBaseUser, contract_id: int, countersigned_name: str, expected_status: str | None = None
) -> PerformanceContract:
    """The district countersigns: the contract becomes active and the version it amends is superseded."""
    countersigned_name = (countersigned_name or "").strip()
    if not countersigned_name:
        raise ApplicationError("Type your full name to countersign.", fields={"countersigned_name": ["Required."]})
    with transaction.atomic():
        contract = _locked(contract_id)
        _expect(contract, expected_status)
        _open_step(contract, actor=actor, action="countersign")
        current = (
            PerformanceContract.objects.select_for_update()
            .filter(school_id=contract.school_id, status=ContractStatus.ACTIVE)
            .first()
        )
        if current is not None:
            _move(current, actor=actor, action="supersede", note=f"Replaced by version {contract.version}.")
        contract.countersigned_by, contract.countersigned_at = actor, timezone.now()
        contract.countersigned_name = countersigned_name
        event = _move(contract, actor=actor, action="countersign", note=f"Countersigned by {countersigned_name}.")
        notify(
            users=principals_of(school_ids=[contract.school_id]).get(contract.school_id, []),
            key=f"contract:{contract.pk}:event:{event.pk}",
            title="Your performance contract is now in force",
            url=reverse("contract_detail", args=[contract.pk]),
        )
    return contract


def contract_recall(
    *, actor: AbstractBaseUser, contract_id: int, reason: str = "", expected_status: str | None = None
) -> PerformanceContract:
    """The district takes a proposed or signed contract back to draft; any signature is cleared, since
    the school will be asked to sign what the district proposes next."""
    with transaction.atomic():
        contract = _locked(contract_id)
        _expect(contract, expected_status)
        _open_step(contract, actor=actor, action="recall")
        contract.signed_by, contract.signed_at, contract.signed_name = None, None, ""
        contract.proposed_at = None
        _move(contract, actor=actor, action="recall", note=(reason or "").strip() or "Taken back to draft.")
    return contract


def contract_terminate(
    *, actor: AbstractBaseUser, contract_id: int, reason: str, expected_status: str | None = None
) -> PerformanceContract:
    """The district ends an active contract before its term; the reason is part of the record."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the contract is terminated.", fields={"reason": ["This field is required."]})
    with transaction.atomic():
        contract = _locked(contract_id)
        _expect(contract, expected_status)
        _open_step(contract, actor=actor, action="terminate")
        event = _move(contract, actor=actor, action="terminate", note=reason)
        notify(
            users=principals_of(school_ids=[contract.school_id]).get(contract.school_id, []),
            key=f"contract:{contract.pk}:event:{event.pk}",
            title=f"Your performance contract for {contract.term_start}–{contract.term_end} was terminated",
            url=reverse("contract_detail", args=[contract.pk]),
        )
    return contract


def contract_amend(
    *, actor: AbstractBaseUser, contract_id: int, reason: str, expected_status: str | None = None
) -> PerformanceContract:
    """The next version of an active contract, as a draft copy; the active version stays as it is."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the contract is amended.", fields={"reason": ["This field is required."]})
    with transaction.atomic():
        contract = _locked(contract_id)
        require(can_manage_contracts(actor))
        _expect(contract, expected_status)
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
    amendment.grants.set(contract.grants.all())
    copies = {}
    for benchmark in contract.benchmarks.all():
        old_pk = benchmark.pk
        benchmark.pk, benchmark.contract = None, amendment
        benchmark.save()
        copies[old_pk] = benchmark
    for rule in contract.rules.all():
        rule.pk, rule.contract = None, amendment
        rule.benchmark = copies.get(rule.benchmark_id)
        rule.save()
    ContractEvent.objects.create(
        contract=amendment,
        actor=actor,
        at=timezone.now(),
        action="amend",
        to_status=ContractStatus.DRAFT,
        note=reason,
    )
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
        amendment.grants.add(*AutonomyGrant.objects.filter(request_item__request=request))
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
    baselines = _latest_values(school_ids=school_ids, metric_ids=metric_ids, before_period=term_start.label)
    medians = _district_medians(metric_ids=metric_ids, before_period=term_start.label)
    principals = principals_of(school_ids=school_ids)
    held: dict[int, list[AutonomyGrant]] = {}
    for grant in AutonomyGrant.objects.filter(school_id__in=school_ids, status__in=HELD_STATUSES):
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
        ContractEvent.objects.bulk_create(
            (
                ContractEvent(
                    contract=contract,
                    actor=actor,
                    at=timezone.now(),
                    action="import",
                    to_status=ContractStatus.ACTIVE,
                    note=f"Signed on paper on {timezone.localtime(signed_at):%B %-d, %Y}; entered into the portal.",
                )
                for contract in contracts
            ),
            batch_size=5000,
        )
    return contracts


def _full_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
