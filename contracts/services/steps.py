"""The contract's signature workflow: propose, sign, countersign, recall, terminate — each a step of
contracts.workflows.CONTRACT_WORKFLOW taken through the transition kernel (core.workflows): the row
locked, who may and what the person saw checked, status and event written, the school told on commit.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from contracts.models import ContractEvent, ContractStatus, PerformanceContract
from contracts.policies import contract_acts_as
from contracts.services.signatures import contract_content_for_hashing, contract_content_sha256, signer_password_check
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import ApplicationError
from core.limits import BRIEF_TEXT, SHORT_TEXT
from core.notifications import notify
from core.workflows import Steps, limited_text, required_text
from schools.selectors import principals_of


def _signature_fields(side: str) -> list[str]:
    """The record of one side's signature (`signed` or `countersigned`): who, when, the account's full
    name, the address, the fingerprint of the content signed."""
    return [f"{side}_{part}" for part in ("by", "at", "name", "address", "content_sha256")]


SIGNATURE = _signature_fields("signed")
COUNTERSIGNATURE = _signature_fields("countersigned")


CONTRACT_STEPS = Steps(CONTRACT_WORKFLOW, contract_acts_as, related=("school",))
contract_lock = CONTRACT_STEPS.lock
contract_check = CONTRACT_STEPS.check
contract_step = CONTRACT_STEPS.take


def _notify_school(contract: PerformanceContract, event: ContractEvent, title: str) -> None:
    """`title` is a message id (gettext_noop) with the contract's term as %(start)s and %(end)s, written in
    each reader's language (core.notifications)."""
    words = {"start": contract.term_start, "end": contract.term_end}
    notify(
        users=principals_of(school_ids=[contract.school_id]).get(contract.school_id, []),
        key=f"contract:{contract.pk}:event:{event.pk}",
        title=lambda: gettext(title) % words,
        url=reverse("contracts:contract_detail", args=[contract.pk]),
    )


def _clear_signature(contract: PerformanceContract) -> None:
    contract.signed_by, contract.signed_at, contract.signed_name = None, None, ""
    contract.signed_address, contract.signed_content_sha256 = None, ""


def contract_revise(contract: PerformanceContract, *, actor, note: str) -> None:
    """A change to a proposed or signed contract needs a new signature: back to proposed, signature cleared."""
    if contract.status in (ContractStatus.PROPOSED, ContractStatus.SIGNED):
        _clear_signature(contract)
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
            contract, event, gettext_noop("Your performance contract for %(start)s–%(end)s is ready to sign")
        )
    return contract


def _signature_record(contract: PerformanceContract, side: str, *, actor, address: str | None) -> str:
    """Writes one side's signature record on the locked contract and returns the signer's name: the
    account's full name at the time of signing, never a typed one."""
    name = (actor.get_full_name() or actor.get_username())[:SHORT_TEXT]
    content_sha256 = contract_content_sha256(contract_content_for_hashing(contract.pk))
    values = (actor, timezone.now(), name, address, content_sha256)
    for field, value in zip(_signature_fields(side), values, strict=True):
        setattr(contract, field, value)
    return name


def contract_sign(
    *,
    actor: AbstractBaseUser,
    contract_id: int,
    password: str | None,
    address: str | None = None,
    request: HttpRequest | None = None,
    expected_status: str | None = None,
) -> PerformanceContract:
    """The principal signs: they re-enter their password, and the record keeps their account, its full
    name, the time, their address and the SHA-256 of the version's content (contracts.services.signatures).
    `request` is for the login throttle only: a wrong password counts as a failed login."""
    signer_password_check(user=actor, password=password, request=request)
    with transaction.atomic():
        contract = contract_lock(contract_id)
        contract_check(contract, actor=actor, action="sign", expected_status=expected_status)
        name = _signature_record(contract, "signed", actor=actor, address=address)
        contract_step(contract, actor=actor, action="sign", reason=f"Signed by {name}.", fields=SIGNATURE)
    return contract


def contract_countersign(
    *,
    actor: AbstractBaseUser,
    contract_id: int,
    password: str | None,
    address: str | None = None,
    request: HttpRequest | None = None,
    expected_status: str | None = None,
) -> PerformanceContract:
    """The district countersigns, with the same proof and record as the principal's signature: the
    contract becomes active and the version it amends is superseded."""
    signer_password_check(user=actor, password=password, request=request)
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
        name = _signature_record(contract, "countersigned", actor=actor, address=address)
        event = contract_step(
            contract, actor=actor, action="countersign", reason=f"Countersigned by {name}.", fields=COUNTERSIGNATURE
        )
        _notify_school(contract, event, gettext_noop("Your performance contract is now in force"))
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
        _clear_signature(contract)
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
        _notify_school(contract, event, gettext_noop("Your performance contract for %(start)s–%(end)s was terminated"))
    return contract
