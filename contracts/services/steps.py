"""The contract's signature workflow: propose, sign, countersign, recall, terminate — each a step of
contracts.workflows.CONTRACT_WORKFLOW taken through the transition kernel (core.workflows): the row
locked, who may and what the person saw checked, status and event written, the school told on commit.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from contracts.models import ContractEvent, ContractStatus, PerformanceContract
from contracts.policies import contract_acts_as
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import ApplicationError
from core.limits import BRIEF_TEXT, SHORT_TEXT
from core.notifications import notify
from core.workflows import Steps, limited_text, required_text
from schools.selectors import principals_of

SIGNATURE = ["signed_by", "signed_at", "signed_name"]


CONTRACT_STEPS = Steps(CONTRACT_WORKFLOW, contract_acts_as, related=("school",))
contract_lock = CONTRACT_STEPS.lock
contract_check = CONTRACT_STEPS.check
contract_step = CONTRACT_STEPS.take


def _notify_school(contract: PerformanceContract, event: ContractEvent, title: str) -> None:
    notify(
        users=principals_of(school_ids=[contract.school_id]).get(contract.school_id, []),
        key=f"contract:{contract.pk}:event:{event.pk}",
        title=title,
        url=reverse("contracts:contract_detail", args=[contract.pk]),
    )


def contract_revise(contract: PerformanceContract, *, actor, note: str) -> None:
    """A change to a proposed or signed contract needs a new signature: back to proposed, signature cleared."""
    if contract.status in (ContractStatus.PROPOSED, ContractStatus.SIGNED):
        contract.signed_by, contract.signed_at, contract.signed_name = None, None, ""
        contract_step(contract, actor=actor, action="revise", reason=note, fields=SIGNATURE)


def contract_propose(*, actor: AbstractBaseUser, contract_id: int, expected_status: str | None = None):
    with transaction.atomic():
        contract = contract_lock(contract_id)
        contract_check(contract, actor=actor, action="propose", expected_status=expected_status)
        if not contract.benchmarks.exists():
            raise ApplicationError("A contract needs at least one benchmark.", fields={"benchmarks": ["None yet."]})
        contract.proposed_at = timezone.now()
        event = contract_step(contract, actor=actor, action="propose", fields=["proposed_at"])
        _notify_school(
            contract, event, f"Your performance contract for {contract.term_start}–{contract.term_end} is ready to sign"
        )
    return contract


def contract_sign(
    *, actor: AbstractBaseUser, contract_id: int, signed_name: str, expected_status: str | None = None
) -> PerformanceContract:
    """The principal signs: an explicit act, with the name they type and the time."""
    signed_name = required_text(
        signed_name, field="signed_name", message="Type your full name to sign.", max_length=SHORT_TEXT
    )
    with transaction.atomic():
        contract = contract_lock(contract_id)
        contract_check(contract, actor=actor, action="sign", expected_status=expected_status)
        contract.signed_by, contract.signed_at, contract.signed_name = actor, timezone.now(), signed_name
        contract_step(contract, actor=actor, action="sign", reason=f"Signed by {signed_name}.", fields=SIGNATURE)
    return contract


def contract_countersign(
    *, actor: AbstractBaseUser, contract_id: int, countersigned_name: str, expected_status: str | None = None
) -> PerformanceContract:
    """The district countersigns: the contract becomes active and the version it amends is superseded."""
    countersigned_name = required_text(
        countersigned_name,
        field="countersigned_name",
        message="Type your full name to countersign.",
        max_length=SHORT_TEXT,
    )
    with transaction.atomic():
        contract = contract_lock(contract_id)
        contract_check(contract, actor=actor, action="countersign", expected_status=expected_status)
        current = (
            PerformanceContract.objects.select_for_update()
            .filter(school_id=contract.school_id, status=ContractStatus.ACTIVE)
            .first()
        )
        if current is not None:
            contract_step(current, actor=actor, action="supersede", reason=f"Replaced by version {contract.version}.")
        contract.countersigned_by, contract.countersigned_at = actor, timezone.now()
        contract.countersigned_name = countersigned_name
        event = contract_step(
            contract,
            actor=actor,
            action="countersign",
            reason=f"Countersigned by {countersigned_name}.",
            fields=["countersigned_by", "countersigned_at", "countersigned_name"],
        )
        _notify_school(contract, event, "Your performance contract is now in force")
    return contract


def contract_recall(
    *, actor: AbstractBaseUser, contract_id: int, reason: str = "", expected_status: str | None = None
) -> PerformanceContract:
    """The district takes a proposed or signed contract back to draft; any signature is cleared, since
    the school will be asked to sign what the district proposes next."""
    reason = limited_text(reason, field="reason", max_length=BRIEF_TEXT)
    with transaction.atomic():
        contract = contract_lock(contract_id)
        contract_check(contract, actor=actor, action="recall", expected_status=expected_status)
        contract.signed_by, contract.signed_at, contract.signed_name = None, None, ""
        contract.proposed_at = None
        contract_step(
            contract,
            actor=actor,
            action="recall",
            reason=reason or "Taken back to draft.",
            fields=[*SIGNATURE, "proposed_at"],
        )
    return contract


def contract_terminate(
    *, actor: AbstractBaseUser, contract_id: int, reason: str, expected_status: str | None = None
) -> PerformanceContract:
    """The district ends an active contract before its term; the reason is part of the record."""
    reason = required_text(reason, field="reason", message="Say why the contract is terminated.", max_length=BRIEF_TEXT)
    with transaction.atomic():
        contract = contract_lock(contract_id)
        event = contract_step(contract, actor=actor, action="terminate", reason=reason, expected_status=expected_status)
        _notify_school(
            contract, event, f"Your performance contract for {contract.term_start}–{contract.term_end} was terminated"
        )
    return contract
