"""Reads of the accountability pages: flags scoped to the user, a school's benchmark status, the runs.

Each list costs the same queries for 3 schools as for 300: rows come with what the page shows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.charts import TrendChart, TrendPoint, number, trend_chart
from accountability.models import (
    LIVE_FLAG_STATUSES,
    BenchmarkResult,
    EligibilityFinding,
    EvaluationRun,
    FlagEvent,
    InterventionFlag,
    ResultStatus,
)
from accountability.policies import flags_visible_to
from accountability.services.measures import previous_periods
from autonomy.models import LIVE_STATUSES, OPEN_REQUEST_STATUSES, AutonomyGrant, CallForProposals, RequestItem
from contracts.benchmark_wording import COMPARATOR_WORDS, benchmark_sentence
from contracts.models import Benchmark, BenchmarkKind, ContractStatus, PerformanceContract
from core.versions import fragment
from metrics.formatting import NO_DATA, format_change, format_standing, format_target, format_value
from metrics.models import Observation
from schools.models import School
from schools.policies import roles_of, schools_visible_to

LIVE = "live"  # the status filter's "any stage of a case still open"
TREND_PERIODS = 6


def flag_list_for_user(
    *,
    user: AbstractBaseUser,
    network: int | None = None,
    liaison: int | None = None,
    level: int | None = None,
    status: str = "",
) -> QuerySet[InterventionFlag]:
    flags = flags_visible_to(user).select_related("school__network", "school__liaison", "rule")
    if network:
        flags = flags.filter(school__network_id=network)
    if liaison:
        flags = flags.filter(school__liaison_id=liaison)
    if level:
        flags = flags.filter(level=level)
    if status == LIVE:
        flags = flags.filter(status__in=LIVE_FLAG_STATUSES)
    elif status:
        flags = flags.filter(status=status)
    return flags.order_by("-opened_at", "-pk")


def liaison_choices_for_user(*, user: AbstractBaseUser) -> list[tuple[int, str]]:
    """(id, name) of the liaisons of the schools the user sees, for the filter, by last name. Central office
    sees every school: the same list for all of them, kept in the shared cache under the "schools" version,
    which a school's liaison changing, a person's name changing and the roster import all move."""
    if roles_of(user).is_central_office:
        return fragment("liaison-choices", ("schools",), (), lambda: _liaison_pairs(School.objects.all()))
    return _liaison_pairs(schools_visible_to(user))


def _liaison_pairs(schools) -> list[tuple[int, str]]:
    people = (
        get_user_model()
        .objects.filter(caseload__in=schools)
        .distinct()
        .order_by("last_name", "first_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )
    return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in people]


def flag_get_for_user(*, user: AbstractBaseUser, pk: int) -> InterventionFlag:
    """The flag if the user may see its school; otherwise 404, never a hint it exists."""
    flag = (
        flags_visible_to(user)
        .select_related("school__network", "school__liaison", "rule__benchmark__metric", "opened_run")
        .prefetch_related(Prefetch("events", queryset=FlagEvent.objects.select_related("actor")))
        .filter(pk=pk)
        .first()
    )
    if flag is None:
        raise Http404("No such flag.")
    return flag


STATUS_WORDS = {
    ResultStatus.MET: gettext_lazy("met"),
    ResultStatus.NOT_MET: gettext_lazy("not met"),
    ResultStatus.NO_DATA: gettext_lazy("no data"),
}


@dataclass(frozen=True)
class BenchmarkStatus:
    benchmark: Benchmark
    sentence: str
    latest: BenchmarkResult | None
    trend: list[TrendPoint]
    chart: TrendChart | None
    target_note: str


@dataclass(frozen=True)
class SchoolResults:
    contract: PerformanceContract | None
    benchmarks: list[BenchmarkStatus] = field(default_factory=list)
    open_flags: list[InterventionFlag] = field(default_factory=list)


def _target_in_value_units(benchmark: Benchmark, result: BenchmarkResult | None) -> Decimal | None:
    """The level the observed value must reach, where the benchmark has one: its target for a value or an
    average, the baseline plus the growth for growth. A trend or a standing is not in the value's units."""
    if benchmark.kind in (BenchmarkKind.VALUE, BenchmarkKind.AGGREGATE):
        return result.target if result is not None else benchmark.target
    if benchmark.kind == BenchmarkKind.GROWTH and benchmark.baseline is not None:
        return benchmark.baseline + (result.target if result is not None else benchmark.target)
    return None


TARGET_NOTES = {
    BenchmarkKind.TREND: gettext_lazy(
        "The target is on the change from year to year, so the chart shows no target line."
    ),
    BenchmarkKind.RELATIVE: gettext_lazy(
        "The target is a standing among district schools, so the chart shows no target line."
    ),
    BenchmarkKind.GROWTH: gettext_lazy("The target line is the baseline plus the growth asked for."),
}


def school_results(*, school: School) -> SchoolResults:
    """Each benchmark of the school's active contract: its latest result, and the observed values of the
    periods up to it (the trend) with the target, plus the school's open flags. Five queries, whatever
    the contract holds."""
    open_flags = list(
        InterventionFlag.objects.filter(school=school, status__in=LIVE_FLAG_STATUSES)
        .select_related("rule")
        .order_by("-level", "-opened_at")
    )
    contract = (
        PerformanceContract.objects.filter(school=school, status=ContractStatus.ACTIVE)
        .select_related("term_start", "term_end")
        .first()
    )
    if contract is None:
        return SchoolResults(contract=None, open_flags=open_flags)
    benchmarks = list(contract.benchmarks.select_related("metric").order_by("position", "pk"))
    results: dict[int, dict[str, BenchmarkResult]] = defaultdict(dict)
    for result in BenchmarkResult.objects.filter(benchmark__contract=contract):
        results[result.benchmark_id][result.period] = result
    last = max((p for by_period in results.values() for p in by_period), default=contract.term_start.label)
    periods = previous_periods(last, TREND_PERIODS)
    observed: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for metric_id, period, value in (
        Observation.objects.filter(school=school, metric_id__in={b.metric_id for b in benchmarks}, period__in=periods)
        .order_by()
        .values_list("metric_id", "period", "value")
    ):
        observed[metric_id][period] = value
    rows = []
    for benchmark in benchmarks:
        mine = results[benchmark.pk]
        trend = [
            TrendPoint(
                period=period,
                value=observed[benchmark.metric_id].get(period),
                target=_target_in_value_units(benchmark, mine.get(period)),
                status=mine[period].status if period in mine else "",
                status_words=STATUS_WORDS.get(mine[period].status, "") if period in mine else "",
            )
            for period in periods
        ]
        # Periods before anything was observed add nothing but empty space.
        while trend and trend[0].value is None and not trend[0].status:
            trend.pop(0)
        rows.append(
            BenchmarkStatus(
                benchmark=benchmark,
                sentence=benchmark_sentence(benchmark),
                latest=mine[max(mine)] if mine else None,
                trend=trend,
                chart=trend_chart(trend, metric=benchmark.metric),
                target_note=TARGET_NOTES.get(benchmark.kind, ""),
            )
        )
    return SchoolResults(contract=contract, benchmarks=rows, open_flags=open_flags)


def runs_recent(*, limit: int = 20) -> list[EvaluationRun]:
    """The latest runs with each one's attempts, newest first."""
    return list(EvaluationRun.objects.order_by("-started_at", "-pk").prefetch_related("attempt_log")[:limit])


def eligibility_findings_open() -> QuerySet[EligibilityFinding]:
    """The schools listed as newly eligible whose episode is still open, newest first and then by school, with
    what the page shows and whether the school has since asked for or been granted the autonomy: one query
    a page."""
    same_pair = {"school_id": OuterRef("school_id"), "autonomy_id": OuterRef("autonomy_id")}
    return (
        EligibilityFinding.objects.filter(ended_at__isnull=True)
        .select_related("school", "autonomy", "run", "invited_by")
        .annotate(
            holds_now=Exists(AutonomyGrant.objects.filter(status__in=LIVE_STATUSES, **same_pair)),
            asked_now=Exists(
                RequestItem.objects.filter(
                    request__school_id=OuterRef("school_id"),
                    autonomy_id=OuterRef("autonomy_id"),
                    request__status__in=OPEN_REQUEST_STATUSES,
                )
            ),
        )
        .order_by("-found_at", "school__name", "autonomy__domain", "autonomy__display_order", "pk")
    )


def calls_open_offering(*, autonomy_ids, today: datetime.date) -> dict[int, CallForProposals]:
    """Per autonomy, the call open today (opens_on ≤ today ≤ closes_on, as CallForProposals.is_open_on)
    that offers it, the one open longest when several do: one query. An autonomy no open call offers is
    absent: a school cannot be invited to request it until one is opened."""
    offers = (
        CallForProposals.autonomies.through.objects.filter(
            autonomy_id__in=list(autonomy_ids),
            callforproposals__opens_on__lte=today,
            callforproposals__closes_on__gte=today,
        )
        .select_related("callforproposals")
        .order_by("-callforproposals__closes_on", "callforproposals__title", "callforproposals_id")
    )
    found: dict[int, CallForProposals] = {}
    for offer in offers:
        found.setdefault(offer.autonomy_id, offer.callforproposals)
    return found


def eligibility_finding_get(*, pk: int) -> EligibilityFinding:
    return get_object_or_404(EligibilityFinding, pk=pk)


@dataclass(frozen=True)
class EvidenceLine:
    key: str
    sentence: str
    status: str
    status_words: str
    value: str
    target: str
    period: str
    note: str


def _n(text) -> str:
    """A stored number without its trailing zeros ("26.0000" → "26"); anything else as it is."""
    try:
        return number(Decimal(text))
    except (ArithmeticError, TypeError, ValueError):
        return str(text)


def _observed(inputs: dict, metric, standing: Decimal | None) -> str:
    """What was observed, as the benchmark's kind measures it, written by metrics.formatting; `standing`
    is a relative benchmark's percentile (its result's value)."""
    kind, values = inputs.get("kind"), inputs.get("values")
    if values:
        listed = ", ".join(format_value(metric, v) for v in values)
        if kind == BenchmarkKind.AGGREGATE and None not in values:
            average = sum(Decimal(v) for v in values) / len(values)
            return _("average %(average)s of %(values)s") % {"average": format_value(metric, average), "values": listed}
        return _("by year: %(values)s") % {"values": listed}
    value = inputs.get("value")
    if value is None:
        return NO_DATA
    if kind == BenchmarkKind.GROWTH and inputs.get("baseline") is not None:
        change = Decimal(value) - Decimal(inputs["baseline"])
        return _("%(value)s, a change of %(change)s from the baseline %(baseline)s") % {
            "value": format_value(metric, value),
            "change": format_change(metric, change),
            "baseline": format_value(metric, inputs["baseline"]),
        }
    if kind == BenchmarkKind.RELATIVE:
        return format_standing(metric, value, percentile=standing, schools=inputs.get("schools_compared"))
    return format_value(metric, value)


def _standings(benchmarks: dict, results: dict) -> dict[str, Decimal]:
    """Each relative benchmark's percentile in the flag's evidence: as recorded with it ("standing"), or
    else its result's value for the period. One query, none when every standing was recorded."""
    recorded = {
        key: Decimal(inputs["standing"])
        for key, inputs in results.items()
        if inputs.get("kind") == BenchmarkKind.RELATIVE and inputs.get("standing") is not None
    }
    wanted = {
        benchmarks[key].pk: (key, inputs.get("period"))
        for key, inputs in results.items()
        if key in benchmarks and inputs.get("kind") == BenchmarkKind.RELATIVE and key not in recorded
    }
    if not wanted:
        return recorded
    found = BenchmarkResult.objects.filter(benchmark_id__in=wanted, value__isnull=False).values_list(
        "benchmark_id", "period", "value"
    )
    return recorded | {wanted[pk][0]: value for pk, period, value in found if wanted[pk][1] == period}


def flag_evidence(*, flag: InterventionFlag) -> list[EvidenceLine]:
    """The results the flag was opened on, as they were (flag.evidence), each benchmark named in plain
    words from its contract version. One query, and one more for a relative benchmark's percentile."""
    results = flag.evidence.get("results", {})
    contract_id = flag.evidence.get("rule", {}).get("contract")
    benchmarks = {
        b.key: b
        for b in Benchmark.objects.filter(contract_id=contract_id, key__in=list(results)).select_related("metric")
    }
    standings = _standings(benchmarks, results)
    lines = []
    for key, inputs in results.items():
        benchmark = benchmarks.get(key)
        comparator = COMPARATOR_WORDS.get(inputs.get("comparator"), inputs.get("comparator", ""))
        if benchmark is not None:
            value = _observed(inputs, benchmark.metric, standings.get(key))
            target = format_target(benchmark.kind, benchmark.metric, inputs.get("target"))
        else:  # a benchmark no longer in the contract: its numbers as stored
            value = NO_DATA if inputs.get("value") is None else _n(inputs["value"])
            target = _n(inputs.get("target", ""))
        lines.append(
            EvidenceLine(
                key=key,
                sentence=benchmark_sentence(benchmark) if benchmark else key,
                status=inputs.get("status", ""),
                status_words=STATUS_WORDS.get(inputs.get("status"), inputs.get("status", "")),
                value=value,
                target=f"{comparator} {target}".strip(),
                period=inputs.get("period", ""),
                note=_(inputs["exception"]) if inputs.get("exception") else "",
            )
        )
    return lines
