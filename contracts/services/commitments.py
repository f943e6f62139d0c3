"""Central office's commitments in a contract version: added, changed and removed while the version is
editable, as its benchmarks are (a change to a proposed or signed version sends it back for a new
signature), and copied into the next version by an amendment.

A commitment's short name (`key`) is made from its text when it is added and never edited: it is what
matches a commitment across versions, so the changes page can say "changed" rather than "removed, added".
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from autonomy.models import Autonomy
from contracts.models import (
    CommitmentMeasure,
    CommitmentStatus,
    ContractCommitment,
    PerformanceContract,
)
from contracts.policies import can_edit_contract
from contracts.services.steps import contract_lock, contract_revise
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import ApplicationError
from core.limits import SHORT_TEXT
from core.policies import require
from core.workflows import required_text, transition_expect
from support.models import Department, MilestoneKind


@dataclass(frozen=True)
class CommitmentInput:
    """What a person sets on a commitment. For "delivered by a date": the date, and optionally the kind of
    calendar milestone that records the delivery. For "requests answered within N days": the period
    (`period_start` to `due_on`; the term's first day if no start is given), N, business or calendar days,
    and the share of the school's requests to answer in time. `autonomy`: the autonomy it bears on."""

    department: str
    text: str
    measure: str
    due_on: datetime.date | None
    period_start: datetime.date | None = None
    days: int | None = None
    business_days: bool = True
    target_percent: int | None = None
    milestone_kind: str = ""
    autonomy: Autonomy | None = None


def _refuse(field: str, message: str):
    raise ApplicationError(message, fields={field: [message]})


def commitment_terms_check(commitment: CommitmentInput, *, contract: PerformanceContract) -> dict:
    """Every rule about one commitment, against its version's term and autonomies; the values to store.
    Refuses naming the field, before anything is written."""
    text = required_text(
        commitment.text, field="text", message="Say what central office commits to.", max_length=SHORT_TEXT
    )
    if commitment.department not in Department.values:
        _refuse("department", "Choose the department that answers for this commitment.")
    if commitment.measure not in CommitmentMeasure.values:
        _refuse("measure", "Choose how the commitment is measured.")
    if commitment.due_on is None:
        _refuse("due_on", "Give the date the commitment is due.")
    first, last = contract.term_start.start_date, contract.term_end.end_date
    if not first <= commitment.due_on <= last:
        _refuse("due_on", f"The date must fall within the contract's term, {first:%B %-d, %Y} to {last:%B %-d, %Y}.")
    values = {name: getattr(commitment, name) for name in ("department", "measure", "due_on", "business_days")}
    values.update(text=text, period_start=None, days=None, target_percent=None, milestone_kind="")
    if commitment.measure == CommitmentMeasure.DELIVERED_BY:
        if commitment.milestone_kind and commitment.milestone_kind not in MilestoneKind.values:
            _refuse("milestone_kind", "Choose a kind of date on the district calendar, or none.")
        values["milestone_kind"] = commitment.milestone_kind or ""
    else:
        if commitment.days is None or commitment.days <= 0:
            _refuse("days", "Answered within how many days: a whole number, 1 or more.")
        if commitment.target_percent is None or not 1 <= commitment.target_percent <= 100:
            _refuse("target_percent", "The share of requests to answer in time is a percentage from 1 to 100.")
        start = commitment.period_start or first
        if not first <= start <= commitment.due_on:
            _refuse("period_start", "The period starts within the contract's term, on or before its last day.")
        values.update(period_start=start, days=commitment.days, target_percent=commitment.target_percent)
    values["autonomy"] = _autonomy_covered(contract, commitment.autonomy)
    return values


def _autonomy_covered(contract: PerformanceContract, autonomy: Autonomy | None) -> Autonomy | None:
    if autonomy is not None and not contract.grants.filter(autonomy=autonomy).exists():
        _refuse("autonomy", f"This version does not cover “{autonomy.name}”, so no commitment bears on it.")
    return autonomy


def _lock_editable(actor, contract_id: int, expected_status: str | None) -> PerformanceContract:
    contract = contract_lock(contract_id)
    require(can_edit_contract(actor, contract))
    transition_expect(CONTRACT_WORKFLOW, contract, expected_status)
    return contract


def _new_key(contract: PerformanceContract, text: str) -> str:
    """A short name from the text, unique in the version: "budget-projections-released", then "-2"."""
    base = slugify(text)[:50].strip("-") or "commitment"
    taken = set(contract.commitments.values_list("key", flat=True))
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def contract_commitment_add(
    *, actor: AbstractBaseUser, contract_id: int, commitment: CommitmentInput, expected_status: str | None = None
) -> ContractCommitment:
    """Add a commitment of central office to an editable version; refuses naming the field, saving nothing."""
    with transaction.atomic():
        contract = _lock_editable(actor, contract_id, expected_status)
        values = commitment_terms_check(commitment, contract=contract)
        row = ContractCommitment.objects.create(
            contract=contract,
            key=_new_key(contract, values["text"]),
            position=contract.commitments.count(),
            **values,
        )
        contract_revise(contract, actor=actor, note=f"Commitment “{row.text}” added.")
    return row


def contract_commitment_update(
    *,
    actor: AbstractBaseUser,
    contract_id: int,
    key: str,
    commitment: CommitmentInput,
    expected_status: str | None = None,
) -> ContractCommitment:
    """Change a commitment of an editable version in place. Its tracking starts again: what was decided
    was decided on the old terms."""
    with transaction.atomic():
        contract = _lock_editable(actor, contract_id, expected_status)
        row = contract.commitments.filter(key=key).first()
        if row is None:
            _refuse("key", f"No commitment “{key}” in this contract.")
        for name, value in commitment_terms_check(commitment, contract=contract).items():
            setattr(row, name, value)
        row.status, row.evidence, row.decided_on = CommitmentStatus.OPEN, {}, None
        row.save()
        contract_revise(contract, actor=actor, note=f"Commitment “{row.text}” changed.")
    return row


def contract_commitment_remove(
    *, actor: AbstractBaseUser, contract_id: int, key: str, expected_status: str | None = None
) -> None:
    with transaction.atomic():
        contract = _lock_editable(actor, contract_id, expected_status)
        row = contract.commitments.filter(key=key).first()
        if row is None:
            _refuse("key", f"No commitment “{key}” in this contract.")
        row.delete()
        contract_revise(contract, actor=actor, note=f"Commitment “{row.text}” removed.")


def commitments_copy(*, source: PerformanceContract, target: PerformanceContract) -> None:
    """An amendment carries the commitments over with their record: a delivery made under the version in
    force stays made. The nightly run decides them again against the new version's terms."""
    rows = list(source.commitments.all())
    for row in rows:
        row.pk, row.contract = None, target
    ContractCommitment.objects.bulk_create(rows)
