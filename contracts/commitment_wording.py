"""Central office's commitments in plain words: the contract page, its print view and PDF, the changes
page, the department's list. One place, so the page and the PDF never say it two ways."""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contracts.models import CommitmentMeasure, CommitmentStatus, ContractCommitment
from support.models import Department, MilestoneKind


def _date(value) -> str:
    return date_format(value, _("F j, Y"))


def _days(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def _business_days(count: int) -> str:
    return ngettext("%(count)s business day", "%(count)s business days", count) % {"count": count}


def commitment_measure_words(c: ContractCommitment) -> str:
    """ "Delivered by March 1, 2027" or "At least 90% of the school's requests answered within 5 business
    days, from September 1, 2026 to March 1, 2027"."""
    if c.measure == CommitmentMeasure.DELIVERED_BY:
        words = _("Delivered by %(date)s") % {"date": _date(c.due_on)}
        if c.milestone_kind:
            words += _(", as the district calendar's “%(milestone)s” date shows") % {
                "milestone": MilestoneKind(c.milestone_kind).label
            }
        return words
    unit = _business_days(c.days) if c.business_days else _days(c.days)
    return _("At least %(percent)s%% of the school's requests answered within %(days)s, from %(start)s to %(end)s") % {
        "percent": c.target_percent,
        "days": unit,
        "start": _date(c.period_start),
        "end": _date(c.due_on),
    }


def commitment_sentence(c: ContractCommitment) -> str:
    """One line for the PDF and the changes page: who, what, the measure and the autonomy it bears on."""
    line = f"{c.get_department_display()}: {c.text}. {commitment_measure_words(c)}."
    if c.autonomy_id:
        line += _(" Bears on “%(autonomy)s”: if missed, the intervention clock of its benchmarks pauses.") % {
            "autonomy": c.autonomy.name
        }
    return line


def commitment_status_words(c: ContractCommitment) -> str:
    """The status with its evidence: "Met late: delivered March 10, 2027, 9 days after it was due"."""
    found = c.evidence or {}
    if c.status == CommitmentStatus.OPEN:
        return _("Not decided yet: due %(date)s.") % {"date": _date(c.due_on)}
    if c.measure == CommitmentMeasure.ANSWERED_WITHIN:
        if not found.get("requests"):
            return _("Met: the school made no request of the department in the period.")
        words = _("%(in_time)s of %(requests)s requests answered in time (%(share)s%%, against %(target)s%%).") % {
            "in_time": found["in_time"],
            "requests": found["requests"],
            "share": f"{found['share']:g}",
            "target": found["target"],
        }
        return f"{c.get_status_display()}: {words}"
    if c.status == CommitmentStatus.MISSED:
        return _("Missed: not delivered by %(date)s.") % {"date": _date(c.due_on)}
    if found.get("source") == "calendar":
        source = _("on the district calendar")
    else:
        source = _("as the department recorded")
    delivered = datetime.date.fromisoformat(found["delivered_on"])
    if c.status == CommitmentStatus.MET_LATE:
        late = (delivered - c.due_on).days
        words = _("Met late: delivered %(date)s, %(late)s after it was due, %(source)s.") % {
            "date": _date(delivered),
            "late": _days(late),
            "source": source,
        }
    else:
        words = _("Met: delivered %(date)s, %(source)s.") % {"date": _date(delivered), "source": source}
    if found.get("note"):
        words += _(" Evidence: %(note)s") % {"note": found["note"]}
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
    "department": gettext_lazy("Department"),
    "text": gettext_lazy("Commitment"),
    "measure": gettext_lazy("Measured by"),
    "due_on": gettext_lazy("Due"),
    "period_start": gettext_lazy("Period starts"),
    "days": gettext_lazy("Answered within (days)"),
    "business_days": gettext_lazy("Business days"),
    "target_percent": gettext_lazy("Share answered in time (%)"),
    "milestone_kind": gettext_lazy("Calendar date"),
    "autonomy": gettext_lazy("Bears on"),
}


# The terms a person picks from a list, said as the list says them.
_TERM_CHOICES = {"department": Department, "measure": CommitmentMeasure, "milestone_kind": MilestoneKind}


def _term_words(name: str, value, autonomies: dict) -> str:
    if value is None or value == "":
        return _("none")
    if isinstance(value, datetime.date):
        return _date(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name in _TERM_CHOICES:
        return _TERM_CHOICES[name](value).label
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
