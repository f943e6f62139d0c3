"""Whether a school meets an earned autonomy's eligibility criteria, in the district's words: each criterion
judged against the school's latest observation of its metric (an improvement, against the observation its
years before), and each criterion as the district states it, for the request decision, the review page and
the nightly eligibility runs alike.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from autonomy.models import Autonomy, Comparator, CriterionKind, EligibilityCriterion, compare
from metrics.formatting import format_change, format_value
from metrics.models import Direction, Observation
from schools.models import School
from schools.periods import school_year_label


@dataclass(frozen=True)
class CriterionCheck:
    criterion: str
    metric: str
    comparator: str
    threshold: str
    period: str | None
    value: str | None
    holds: bool

    def as_evidence(self) -> dict:
        return {
            "criterion": self.criterion,
            "metric": self.metric,
            "comparator": self.comparator,
            "threshold": self.threshold,
            "period": self.period,
            "value": self.value,
            "holds": self.holds,
        }


def plain_number(value) -> str:
    """80, 4.5, 0.25 — never 8E+1, which is what Decimal.normalize() prints for 80."""
    return format(value.normalize(), "f")


def eligibility_for(*, school: School, autonomies: list[Autonomy]) -> dict[int, list[CriterionCheck]]:
    """Per earned autonomy, each criterion against the school's latest observation: two queries."""
    criteria = list(
        EligibilityCriterion.objects.filter(autonomy__in=autonomies).select_related("metric").order_by("pk")
    )
    history: dict[int, dict[str, Observation]] = defaultdict(dict)
    for observation in Observation.objects.filter(school=school, metric_id__in={c.metric_id for c in criteria}):
        history[observation.metric_id][observation.period] = observation
    checks: dict[int, list[CriterionCheck]] = {a.pk: [] for a in autonomies}
    for criterion in criteria:
        by_period = history.get(criterion.metric_id, {})
        latest = by_period[max(by_period)] if by_period else None  # periods sort as text: 2025-26 after 2024-25
        earlier = by_period.get(criterion_baseline_period(criterion, latest.period)) if latest else None
        checks[criterion.autonomy_id].append(criterion_check(criterion, latest, earlier))
    return checks


def criterion_words(criterion: EligibilityCriterion) -> str:
    """A criterion as the district states it: "Finance evaluation rating at least 4", "Proficiency in ELA
    up by at least 3 points over 2 years". The criterion comes with its metric. In the active language: kept
    evidence is written in the site's (autonomy.services.request_review)."""
    metric = criterion.metric
    if criterion.kind == CriterionKind.IMPROVEMENT:
        words = {"metric": metric.name, "amount": format_change(metric, criterion.threshold).lstrip("+-")}
        words["years"] = criterion.years
        if metric.direction == Direction.HIGHER:
            sentence = ngettext(
                "%(metric)s up by at least %(amount)s over %(years)s year",
                "%(metric)s up by at least %(amount)s over %(years)s years",
                criterion.years,
            )
        else:
            sentence = ngettext(
                "%(metric)s down by at least %(amount)s over %(years)s year",
                "%(metric)s down by at least %(amount)s over %(years)s years",
                criterion.years,
            )
        return sentence % words
    return f"{metric.name} {criterion.get_comparator_display()} {format_value(metric, criterion.threshold)}"


def criterion_baseline_period(criterion: EligibilityCriterion, latest_period: str) -> str | None:
    """The school year an improvement criterion compares the latest one with (None for a level)."""
    if criterion.kind != CriterionKind.IMPROVEMENT:
        return None
    return school_year_label(int(latest_period[:4]) - criterion.years)


def criterion_check(
    criterion: EligibilityCriterion,
    observation: Observation | None,
    earlier: Observation | None = None,
    *,
    words: str | None = None,
) -> CriterionCheck:
    """One criterion against the school's latest observation of its metric (and, for an improvement, the
    observation its years before); no observation never holds.

    The one rule of eligibility: the request decision, the nightly list of newly eligible schools and the
    nightly re-check of earned grants all judge here. The criterion comes with its metric. `words` are its
    criterion_words, given by a caller that judges one criterion for every school (the nightly run: drawn
    once, not once a school).
    """
    metric = criterion.metric
    words = criterion_words(criterion) if words is None else words
    if criterion.kind == CriterionKind.IMPROVEMENT:
        change = None
        if observation is not None and earlier is not None:
            change = observation.value - earlier.value
            if metric.direction == Direction.LOWER:
                change = -change
        return CriterionCheck(
            criterion=words,
            metric=metric.code,
            comparator=Comparator.GTE,
            threshold=plain_number(criterion.threshold),
            period=_("%(start)s to %(end)s") % {"start": earlier.period, "end": observation.period}
            if change is not None
            else None,
            value=format_change(metric, change) if change is not None else None,
            holds=change is not None and change >= criterion.threshold,
        )
    holds = observation is not None and compare(observation.value, criterion.comparator, criterion.threshold)
    return CriterionCheck(
        criterion=words,
        metric=metric.code,
        comparator=criterion.comparator,
        threshold=plain_number(criterion.threshold),
        period=observation.period if observation else None,
        value=plain_number(observation.value) if observation else None,
        holds=holds,
    )
