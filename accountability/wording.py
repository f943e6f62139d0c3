"""A flag's codes and a run's counts in plain words, shared by the pages, the API and their templates."""

from django.utils.translation import gettext as _

from contracts.models import Condition, Level


def rung_words(level: int) -> str:
    """A level of the intervention ladder by its name: 2 → "Corrective action plan required"."""
    return Level(level).label if level in Level.values else str(level)


def when_words(condition: str, count: int | None) -> str:
    """When a rule holds, in a few words: "2 or more benchmarks missed in a year"."""
    if condition == Condition.N_MISSED:
        return _("%(count)s or more benchmarks missed in a year") % {"count": count}
    if condition == Condition.K_IN_A_ROW:
        return _("the same benchmark missed %(count)s years in a row") % {"count": count}
    if condition == Condition.BINDING_MISSED:
        return _("a benchmark an autonomy depends on was missed")
    return _("no data by the due date")


# What a run counts (accountability.services.SUMMARY_KEYS), named for people: the runs page and the API.
COUNT_LABELS = {
    "schools": "Schools evaluated",
    "benchmarks": "Benchmarks evaluated",
    "met": "Met",
    "not_met": "Not met",
    "no_data": "No data",
    "flags_opened": "Flags opened",
    "flags_raised": "Flags raised a step",
    "flags_cleared": "Conditions cleared",
    "grants_at_risk": "Autonomies put at risk",
    "grants_suspended": "Autonomies suspended",
    "grants_revoked": "Autonomies revoked",
    "grants_cured": "Autonomies cured",
    "grants_expired": "Autonomies ended with their term",
    "newly_eligible": "Newly eligible for an earned autonomy",
}
