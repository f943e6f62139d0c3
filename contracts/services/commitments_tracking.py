"""Whether central office kept its commitments: decided from the evidence the district holds, by the
nightly run (accountability.services.evaluation) as of its date, and by the department recording a
delivery.

- Delivered by a date: met if delivered on or before the date, missed once the date has passed without a
  delivery, met late once delivered after it. The delivery is the department's record (a date and its
  evidence), or, for a commitment tied to a kind of calendar milestone, the district calendar's date of
  that kind in the school year of the due date, once that date has come.
- Requests answered within N days: the school's requests to the department made in the period, each
  answered in time if resolved within N business (or calendar) days; decided once the last of them has had
  its N days, met if the share answered in time reaches the target (or the school asked nothing).

The decision is a pure function of the commitment, the evidence and the date, so a second run of the same
date changes nothing. Set-based: four queries for any number of schools (the commitments, the requests,
the calendar's milestones and closed days), and one update of the rows that changed.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from contracts.commitment_policies import can_record_delivery
from contracts.models import CommitmentMeasure, CommitmentStatus, ContractCommitment
from core.errors import ApplicationError
from core.limits import NOTE_TEXT
from core.policies import require
from core.workflows import required_text
from support.selectors.commitments import (
    RequestTimes,
    days_after,
    milestone_date_for,
    milestone_dates,
    requests_by_school_and_department,
)
from support.services.business_days import district_closed_days

# The requests a decision lists by id as its evidence; the counts cover them all.
EVIDENCE_IDS_KEPT = 20
TRACKED = ("status", "evidence", "decided_on")


@dataclass(frozen=True)
class Evidence:
    """What the district holds about a set of commitments, read once for all of them."""

    requests: dict
    milestones: dict
    closed: frozenset


def _delivered_by(row: ContractCommitment, *, as_of: datetime.date, evidence: Evidence) -> tuple[str, dict]:
    delivered, source = row.delivered_on, "recorded"
    if row.milestone_kind:
        delivered = milestone_date_for(evidence.milestones, kind=row.milestone_kind, due_on=row.due_on)
        source = "calendar"
    found = {"due_on": row.due_on.isoformat(), "source": source}
    if delivered is not None and delivered <= as_of:
        found["delivered_on"] = delivered.isoformat()
        if source == "recorded" and row.delivery_note:
            found["note"] = row.delivery_note
        return (CommitmentStatus.MET if delivered <= row.due_on else CommitmentStatus.MET_LATE), found
    if as_of > row.due_on:
        return CommitmentStatus.MISSED, found
    return CommitmentStatus.OPEN, {}


def _answered_within(
    row: ContractCommitment, *, school_id: int, as_of: datetime.date, evidence: Evidence
) -> tuple[str, dict]:
    # Decided once a request made on the period's last day has had its N days: before, more may come or
    # be answered in time.
    window_closes = days_after(row.due_on, row.days, business=row.business_days, closed=evidence.closed)
    if as_of <= window_closes:
        return CommitmentStatus.OPEN, {}
    asked: list[RequestTimes] = [
        r
        for r in evidence.requests.get((school_id, row.department), [])
        if row.period_start <= r.created_on <= row.due_on
    ]
    late = [
        r.pk
        for r in asked
        if r.resolved_on is None
        or r.resolved_on > days_after(r.created_on, row.days, business=row.business_days, closed=evidence.closed)
    ]
    in_time = len(asked) - len(late)
    share = round(100 * in_time / len(asked), 1) if asked else None
    found = {
        "period": [row.period_start.isoformat(), row.due_on.isoformat()],
        "requests": len(asked),
        "in_time": in_time,
        "share": share,
        "target": row.target_percent,
        "late_requests": late[:EVIDENCE_IDS_KEPT],
    }
    met = share is None or share >= row.target_percent
    return (CommitmentStatus.MET if met else CommitmentStatus.MISSED), found


def commitment_decide(
    row: ContractCommitment, *, school_id: int, as_of: datetime.date, evidence: Evidence
) -> tuple[str, dict]:
    """The commitment's status as of the date, and the evidence that decided it."""
    if row.measure == CommitmentMeasure.DELIVERED_BY:
        return _delivered_by(row, as_of=as_of, evidence=evidence)
    return _answered_within(row, school_id=school_id, as_of=as_of, evidence=evidence)


def evidence_for(rows: list[ContractCommitment], school_of: dict[int, int]) -> Evidence:
    """The requests, milestones and closed days the commitments need, in at most three queries."""
    answered = [r for r in rows if r.measure == CommitmentMeasure.ANSWERED_WITHIN]
    requests = {}
    closed = frozenset()
    if answered:
        since = min(r.period_start for r in answered)
        until = max(r.due_on for r in answered)
        requests = requests_by_school_and_department(
            school_ids={school_of[r.contract_id] for r in answered},
            departments={r.department for r in answered},
            since=since,
            until=until,
        )
        if any(r.business_days for r in answered):
            closed = district_closed_days(since=since)
    milestones = milestone_dates(kinds={r.milestone_kind for r in rows if r.milestone_kind})
    return Evidence(requests=requests, milestones=milestones, closed=closed)


def commitments_track(
    *, as_of: datetime.date, contracts: dict
) -> tuple[list[ContractCommitment], list[ContractCommitment]]:
    """Decide every commitment of the contracts (by pk, each with its school_id) as of the date; write the
    ones whose status or evidence changed. Returns every commitment as decided (for the run's pauses), and
    the ones that changed (for the run's record)."""
    if not contracts:
        return [], []
    school_of = {pk: contract.school_id for pk, contract in contracts.items()}
    rows = list(
        ContractCommitment.objects.filter(contract_id__in=contracts)
        .select_related("autonomy")
        .order_by("contract_id", "position", "pk")
    )
    if not rows:
        return rows, []
    evidence = evidence_for(rows, school_of)
    changed = []
    for row in rows:
        status, found = commitment_decide(row, school_id=school_of[row.contract_id], as_of=as_of, evidence=evidence)
        if (status, found) != (row.status, row.evidence):
            row.status, row.evidence = status, found
            row.decided_on = None if status == CommitmentStatus.OPEN else as_of
            changed.append(row)
    ContractCommitment.objects.bulk_update(changed, TRACKED)
    return rows, changed


def commitments_missed(rows: Iterable[ContractCommitment]) -> list[ContractCommitment]:
    """The missed commitments that bear on an autonomy: those that pause an intervention clock."""
    return [r for r in rows if r.status == CommitmentStatus.MISSED and r.autonomy_id is not None]


def commitment_record_delivery(
    *, actor: AbstractBaseUser, commitment_id: int, delivered_on: datetime.date | None, note: str
) -> ContractCommitment:
    """The department (or the autonomy office) records that it delivered: the date and its evidence. The
    status is decided at once, as of today, as the nightly run will decide it; a late delivery is met late
    and lets the next run resume a clock the miss had paused."""
    note = required_text(
        note, field="note", message="Say what was delivered, and where the school can find it.", max_length=NOTE_TEXT
    )
    today = timezone.localdate()
    if delivered_on is None:
        raise ApplicationError("Give the date it was delivered.", fields={"delivered_on": ["Give the date."]})
    if delivered_on > today:
        message = f"A delivery is recorded once made: the date is after today ({today:%B %-d, %Y})."
        raise ApplicationError(message, fields={"delivered_on": [message]})
    with transaction.atomic():
        row = (
            ContractCommitment.objects.select_for_update()
            .select_related("contract", "contract__term_start")
            .filter(pk=commitment_id)
            .first()
        )
        if row is None:
            raise ApplicationError("No such commitment.", fields={"commitment": ["Unknown."]})
        require(can_record_delivery(actor, row))
        if delivered_on < row.contract.term_start.start_date:
            message = "The date is before the contract's term began."
            raise ApplicationError(message, fields={"delivered_on": [message]})
        row.delivered_on, row.delivered_by, row.delivery_note = delivered_on, actor, note
        evidence = Evidence(requests={}, milestones={}, closed=frozenset())
        row.status, row.evidence = commitment_decide(
            row, school_id=row.contract.school_id, as_of=today, evidence=evidence
        )
        row.decided_on = today
        row.save(update_fields=["delivered_on", "delivered_by", "delivery_note", *TRACKED])
    return row
