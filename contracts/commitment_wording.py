"""Central office's commitments in plain words: the contract page, its print view and PDF, the changes
page, the department's list. One place, so the page and the PDF never say it two ways."""

import datetime
from dataclasses import dataclass

from contracts.models import CommitmentMeasure, CommitmentStatus, ContractCommitment
from support.models import Department, MilestoneKind


def _date(value) -> str:
    return f"{value:%B %-d, %Y}"


def _days(count: int, unit: str = "day") -> str:
    return f"{count} {unit}{'s' if count != 1 else ''}"


def commitment_measure_words(c: ContractCommitment) -> str:
    """ "Delivered by March 1, 2027" or "At least 90% of the school's requests answered within 5 business
    days, from September 1, 2026 to March 1, 2027"."""
    if c.measure == CommitmentMeasure.DELIVERED_BY:
        words = f"Delivered by {_date(c.due_on)}"
        if c.milestone_kind:
            words += f", as the district calendar's “{MilestoneKind(c.milestone_kind).label}” date shows"
        return words
    unit = _days(c.days, "business day" if c.business_days else "day")
    return (
        f"At least {c.target_percent}% of the school's requests answered within {unit}, "
        f"from {_date(c.period_start)} to {_date(c.due_on)}"
    )


def commitment_sentence(c: ContractCommitment) -> str:
    """One line for the PDF and the changes page: who, what, the measure and the autonomy it bears on."""
    line = f"{c.get_department_display()}: {c.text}. {commitment_measure_words(c)}."
    if c.autonomy_id:
        line += f" Bears on “{c.autonomy.name}”: if missed, the intervention clock of its benchmarks pauses."
    return line


def commitment_status_words(c: ContractCommitment) -> str:
    """The status with its evidence: "Met late: delivered March 10, 2027, 9 days after it was due"."""
    found = c.evidence or {}
    if c.status == CommitmentStatus.OPEN:
        return f"Not decided yet: due {_date(c.due_on)}."
    if c.measure == CommitmentMeasure.ANSWERED_WITHIN:
        if not found.get("requests"):
            return "Met: the school made no request of the department in the period."
        words = (
            f"{found['in_time']} of {found['requests']} requests answered in time "
            f"({found['share']:g}%, against {found['target']}%)."
        )
        return f"{c.get_status_display()}: {words}"
    if c.status == CommitmentStatus.MISSED:
        return f"Missed: not delivered by {_date(c.due_on)}."
    source = "on the district calendar" if found.get("source") == "calendar" else "as the department recorded"
    delivered = datetime.date.fromisoformat(found["delivered_on"])
    if c.status == CommitmentStatus.MET_LATE:
        late = (delivered - c.due_on).days
        words = f"Met late: delivered {_date(delivered)}, {_days(late)} after it was due, {source}."
    else:
        words = f"Met: delivered {_date(delivered)}, {source}."
    if found.get("note"):
        words += f" Evidence: {found['note']}"
    return words


@dataclass(frozen=True)
class CommitmentLine:
    key: str
    department: str
    text: str
    measure: str
    due: str
    autonomy: str
    status: str
    status_label: str
    status_words: str


def commitment_lines(commitments) -> list[CommitmentLine]:
    """The version's commitments for the page; expects their autonomy loaded (select_related)."""
    return [
        CommitmentLine(
            key=c.key,
            department=c.get_department_display(),
            text=c.text,
            measure=commitment_measure_words(c),
            due=_date(c.due_on),
            autonomy=c.autonomy.name if c.autonomy_id else "",
            status=c.status,
            status_label=c.get_status_display(),
            status_words=commitment_status_words(c),
        )
        for c in commitments
    ]


COMMITMENT_FIELD_LABELS = {
    "department": "Department",
    "text": "Commitment",
    "measure": "Measured by",
    "due_on": "Due",
    "period_start": "Period starts",
    "days": "Answered within (days)",
    "business_days": "Business days",
    "target_percent": "Share answered in time (%)",
    "milestone_kind": "Calendar date",
    "autonomy": "Bears on",
}


def _term_words(name: str, value, autonomies: dict) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, datetime.date):
        return _date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "department":
        return Department(value).label
    if name == "measure":
        return CommitmentMeasure(value).label
    if name == "milestone_kind":
        return MilestoneKind(value).label
    if name == "autonomy":
        return autonomies.get(value, value)
    return str(value)


def commitments_diff_words(diff, names: dict) -> dict:
    """The commitments' part of contracts.selectors.contract_diff, for the changes page."""
    autonomies = dict(names.get("binding_autonomy", {}))
    for c in [*diff.added, *diff.removed]:
        if c.autonomy_id:
            autonomies[c.autonomy.code] = c.autonomy.name
    return {
        "added": [commitment_sentence(c) for c in diff.added],
        "removed": [commitment_sentence(c) for c in diff.removed],
        "changed": [
            (
                key,
                [
                    f"{COMMITMENT_FIELD_LABELS.get(name, name)}: {_term_words(name, before, autonomies)} → "
                    f"{_term_words(name, after, autonomies)}"
                    for name, before, after in changes
                ],
            )
            for key, changes in diff.changed
        ],
    }
