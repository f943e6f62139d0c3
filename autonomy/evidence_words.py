"""A grant's evidence in plain words: what the ledger recorded with a grant or one of its steps (a cohort,
a request's eligibility checks, a flag's rung and the results it rested on, the end of a term), as sentences
a principal can read. The grants pages, the API, the flag pages and the eligibility findings all say
evidence through here, so that no stored key and no comparator symbol reaches a person.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from autonomy.models import AutonomyGrant, Comparator
from metrics.formatting import format_value
from metrics.models import Metric


@dataclass(frozen=True)
class EvidenceLine:
    """One sentence of evidence; `link` (with `link_text` and the `rest` of the sentence after it) points
    to the notice the sentence cites."""

    text: str
    link: str = ""
    link_text: str = ""
    rest: str = ""

    def __str__(self) -> str:
        return f"{self.text}{self.link_text}{self.rest}"


RESULT_WORDS = {"met": gettext_lazy("met"), "not_met": gettext_lazy("not met"), "no_data": gettext_lazy("without data")}


def _day(iso: str) -> str:
    """ "2026-11-01" → "November 1, 2026" (in the reader's language); a value that is not a date as it was stored."""
    try:
        return date_format(datetime.date.fromisoformat(str(iso)), _("F j, Y"))
    except ValueError:
        return str(iso)


def _criteria_of(evidence: dict) -> list[dict]:
    checks = evidence.get("criteria") or []
    if "criterion" in evidence or "comparator" in evidence:  # one check recorded on its own
        checks = [evidence, *checks]
    return [check for check in checks if isinstance(check, dict)]


def evidence_metrics(evidences: list[dict]) -> dict[str, Metric]:
    """The metrics the criteria of these evidences name, by code: one query, none when none is named."""
    codes = {check.get("metric") for evidence in evidences for check in _criteria_of(evidence or {})}
    codes.discard(None)
    return {m.code: m for m in Metric.objects.filter(code__in=codes)} if codes else {}


def criterion_sentence(check: dict, metric: Metric | None) -> str:
    """ "Finance evaluation rating at least 4: 4 in 2025-26 (met)": the criterion as the district states
    it (recorded in words with the check), the school's value in the metric's unit."""
    verdict = _("met") if check.get("holds") else _("not met")
    criterion = check.get("criterion")
    if not criterion:  # a check recorded without its words: say them from its parts
        comparator = check.get("comparator")
        words = Comparator(comparator).label if comparator in Comparator.values else ""
        threshold = check.get("threshold", "")
        threshold = format_value(metric, threshold) if metric is not None and threshold != "" else threshold
        criterion = " ".join(str(part) for part in (metric.name if metric else "", words, threshold) if part)
        criterion = criterion[:1].upper() + criterion[1:] if criterion else _("An eligibility criterion")
    value = check.get("value")
    if value in (None, ""):
        return _("%(criterion)s: no data (%(verdict)s).") % {"criterion": criterion, "verdict": verdict}
    if metric is not None and _is_number(value):
        value = format_value(metric, value)  # a change is recorded already in words ("+3.2 points")
    period = str(check.get("period") or "")
    words = {"criterion": criterion, "value": value, "period": period, "verdict": verdict}
    if not period:
        return _("%(criterion)s: %(value)s (%(verdict)s).") % words
    if " to " in period:  # an improvement spans years, recorded in the site's words ("2024-25 to 2025-26")
        start, end = period.split(" to ", 1)
        words["period"] = _("%(start)s to %(end)s") % {"start": start, "end": end}
        return _("%(criterion)s: %(value)s from %(period)s (%(verdict)s).") % words
    return _("%(criterion)s: %(value)s in %(period)s (%(verdict)s).") % words


def _is_number(value) -> bool:
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return True


def _results_sentence(results: dict) -> str:
    """Each benchmark's status then, counted in words: "Benchmark results then: 4 met, 1 not met."."""
    counts = Counter(str((inputs or {}).get("status", "no_data")) for inputs in results.values())
    parts = [f"{counts[status]} {words}" for status, words in RESULT_WORDS.items() if counts[status]]
    parts += [f"{n} {status.replace('_', ' ')}" for status, n in counts.items() if status not in RESULT_WORDS]
    sentence = ngettext(
        "Results of the %(count)s benchmark then: %(parts)s.",
        "Results of the %(count)s benchmarks then: %(parts)s.",
        len(results),
    )
    return sentence % {"count": len(results), "parts": ", ".join(parts)}


def evidence_lines(evidence: dict, *, metrics: dict[str, Metric] | None = None) -> list[EvidenceLine]:
    """The evidence a grant or event was recorded with, as sentences a principal can read: no stored key
    and no comparator symbol reaches the page.

    The shapes written: a cohort scope; a request's eligibility checks and override; a criteria check
    (issued on earned criteria, or re-checked as of a date); a flag's rung or cure, with the results it
    was evaluated on; the end of a term; a note. `metrics` are the criteria's metrics by code
    (evidence_metrics), so that values read in their units.
    """
    evidence = evidence or {}
    if metrics is None:
        metrics = evidence_metrics([evidence])
    lines: list[EvidenceLine] = []
    if evidence.get("scope"):
        lines.append(EvidenceLine(_("Granted to %(scope)s.") % {"scope": evidence["scope"]}))
    if evidence.get("request"):
        lines.append(EvidenceLine(_("Approved on request #%(request)s.") % {"request": evidence["request"]}))
    if isinstance(evidence.get("flag"), int):
        as_of = _(", evaluated as of %(day)s") % {"day": _day(evidence["as_of"])} if evidence.get("as_of") else ""
        lines.append(
            EvidenceLine(
                _("Under flag #%(flag)s (") % {"flag": evidence["flag"]},
                link=reverse("accountability:flag_detail", args=[evidence["flag"]]),
                link_text=_("see the notice"),
                rest=f"){as_of}.",
            )
        )
        if isinstance(evidence.get("results"), dict) and evidence["results"]:
            lines.append(EvidenceLine(_results_sentence(evidence["results"])))
    elif evidence.get("ends_on"):
        lines.append(EvidenceLine(_("The term ended on %(day)s.") % {"day": _day(evidence["ends_on"])}))
    elif evidence.get("as_of"):
        lines.append(EvidenceLine(_("The criteria were checked as of %(day)s.") % {"day": _day(evidence["as_of"])}))
    for check in _criteria_of(evidence):
        lines.append(EvidenceLine(criterion_sentence(check, metrics.get(check.get("metric")))))
    if evidence.get("override"):
        lines.append(
            EvidenceLine(_("Approved although not every eligibility criterion was met; the reason is recorded."))
        )
    if evidence.get("note"):
        lines.append(EvidenceLine(str(evidence["note"])))
    return lines


def evidence_summary(evidence: dict, *, metrics: dict[str, Metric] | None = None) -> list[str]:
    """The evidence as plain sentences (for the API and anywhere a link cannot be shown)."""
    return [str(line) for line in evidence_lines(evidence, metrics=metrics)]


def evidence_attach(grants: list[AutonomyGrant]) -> None:
    """Give each grant and each of its prefetched events `evidence_lines`: one query for the criteria's
    metrics across them all, none when no evidence names a metric."""
    events = [event for grant in grants for event in grant.events.all()]
    metrics = evidence_metrics([g.evidence for g in grants] + [e.evidence for e in events])
    for item in [*grants, *events]:
        item.evidence_lines = evidence_lines(item.evidence, metrics=metrics)
