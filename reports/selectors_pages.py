"""The public school and autonomy pages' reads, under the same rules as reports.selectors: only what is
public, through the suppression policy, in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.charts import TrendPoint, trend_chart
from accountability.models import LIVE_FLAG_STATUSES, BenchmarkResult, InterventionFlag
from autonomy.models import Autonomy, AutonomyGrant, GrantEvent
from contracts.models import ContractStatus, PerformanceContract
from metrics.formatting import format_value
from metrics.models import Metric, Observation
from reports.selectors import (
    RATING_WORDS,
    RESULT_WORDS,
    RUNG_WORDS,
    SHOWN_STATUSES,
    TREND_YEARS,
    observations_n,
    published_text,
    results_year,
    school_year_of,
    suppress_and_record,
)
from reports.services.publishing import rules_in_force
from reports.services.suppression import Cell, SuppressionResult, cells_suppress
from schools.models import School
from schools.periods import previous_school_years


@dataclass
class PublicGrant:
    grant: AutonomyGrant
    since: datetime.date
    evidence: list[str]


@dataclass
class PublicTrendRow:
    period: str
    value: str
    status: str


@dataclass
class PublicBenchmark:
    name: str
    metric_name: str
    target: str
    value: str
    status: str
    rating: str
    hidden: bool
    chart: object
    rows: list[PublicTrendRow]


@dataclass
class PublicFlag:
    rung: str
    since: datetime.date


@dataclass
class SchoolPage:
    school: School
    year: str
    results_year: str
    grants: list[PublicGrant]
    benchmarks: list[PublicBenchmark]
    flags: list[PublicFlag]
    contract_term: str


def _evidence_cells(school: School, grants: list[AutonomyGrant], metrics: dict) -> list[Cell]:
    """The values an earned grant's criteria were checked on, each with the n of its observation (one
    query, none when no grant has criteria), so that a small group's value is hidden here too."""
    checks_of = {
        grant.pk: [c for c in ((grant.evidence or {}).get("criteria") or []) if isinstance(c, dict)] for grant in grants
    }
    ns = observations_n(
        {
            (school.pk, metrics[c["metric"]].pk, str(c.get("period") or ""))
            for checks in checks_of.values()
            for c in checks
            if c.get("metric") in metrics
        }
    )
    cells = []
    for grant in grants:
        for index, check in enumerate(checks_of[grant.pk]):
            metric = metrics.get(check.get("metric"))
            try:
                value = Decimal(str(check.get("value")))
            except ArithmeticError:
                continue
            if metric is None or not value.is_finite():
                continue
            cells.append(
                Cell(
                    f"g{grant.pk}:{index}",
                    value,
                    ns.get((school.pk, metric.pk, str(check.get("period") or ""))),
                    percent=metric.unit == "percent",
                    school_code=school.code,
                    field=f"eligibility:{metric.code}",
                    period=str(check.get("period") or ""),
                )
            )
    return cells


def _metrics_by_code(codes: set[str]) -> dict:
    return {m.code: m for m in Metric.objects.filter(code__in=codes)} if codes else {}


def school_page_read(*, code: str, today: datetime.date) -> SchoolPage:
    """A school's public page: its autonomies with their evidence, its active contract's benchmarks with
    results and trends, its flags' rungs; everything through suppression. A fixed number of queries."""
    school = School.objects.select_related("network", "liaison").filter(code=code).first()
    if school is None:
        raise Http404("No such school.")
    year = school_year_of(today)
    grants = list(
        AutonomyGrant.objects.filter(school=school, status__in=SHOWN_STATUSES, starts_on__lte=today)
        .select_related("autonomy")
        .prefetch_related(
            Prefetch("events", queryset=GrantEvent.objects.order_by("at", "pk").only("grant_id", "at", "action"))
        )
        .order_by("autonomy__domain", "autonomy__display_order", "autonomy__name")
    )
    codes = {
        str(c.get("metric"))
        for g in grants
        for c in ((g.evidence or {}).get("criteria") or [])
        if isinstance(c, dict) and c.get("metric")
    }
    metrics = _metrics_by_code(codes)
    contract = (
        PerformanceContract.objects.filter(school=school, status=ContractStatus.ACTIVE)
        .select_related("term_start", "term_end")
        .first()
    )
    benchmarks = list(contract.benchmarks.select_related("metric").order_by("position", "pk")) if contract else []
    rated_year = results_year(today) if benchmarks else year
    periods = previous_school_years(rated_year, TREND_YEARS - 1) + (rated_year,) if benchmarks else ()
    periods = tuple(sorted(set(periods)))
    results = defaultdict(dict)
    observed: dict[tuple[int, str], tuple[Decimal, int | None]] = {}
    if benchmarks:
        for result in BenchmarkResult.objects.filter(benchmark__contract=contract, period__in=periods).only(
            "benchmark_id", "period", "status", "rating", "value", "target"
        ):
            results[result.benchmark_id][result.period] = result
        for metric_id, period, value, n in (
            Observation.objects.filter(
                school=school, metric_id__in={b.metric_id for b in benchmarks}, period__in=periods
            )
            .order_by()
            .values_list("metric_id", "period", "value", "n")
        ):
            observed[(metric_id, period)] = (value, n)
    cells = _evidence_cells(school, grants, metrics)
    for b in benchmarks:
        for period in periods:
            if (b.metric_id, period) in observed:
                value, n = observed[(b.metric_id, period)]
                cells.append(
                    Cell(
                        f"b{b.pk}:{period}",
                        value,
                        n,
                        percent=b.metric.unit == "percent",
                        school_code=school.code,
                        field=b.metric.code,
                        period=period,
                    )
                )
    published = suppress_and_record(cells, surface="page:school")
    public_grants = []
    for grant in grants:
        # In its status since its last change; a grant never changed since it was issued, since it started.
        changes = [event for event in grant.events.all() if event.action != "issue"]
        since = timezone.localdate(changes[-1].at) if changes else grant.starts_on
        lines = []
        checks = [c for c in ((grant.evidence or {}).get("criteria") or []) if isinstance(c, dict)]
        for index, check in enumerate(checks):
            key = f"g{grant.pk}:{index}"
            metric = metrics.get(check.get("metric"))
            if key not in published.cells or metric is None:
                continue
            lines.append(
                _("%(metric)s: %(value)s in %(period)s (%(verdict)s)")
                % {
                    "metric": metric.name,
                    "value": published_text(published, key, metric),
                    "period": check.get("period") or "—",
                    "verdict": _("met") if check.get("holds") else _("not met"),
                }
            )
        public_grants.append(PublicGrant(grant=grant, since=max(since, grant.starts_on), evidence=lines))
    public_benchmarks = [_public_benchmark(b, periods, results[b.pk], published) for b in benchmarks]
    flags = [
        PublicFlag(rung=RUNG_WORDS.get(level, str(level)), since=opened.date())
        for level, opened in InterventionFlag.objects.filter(school=school, status__in=LIVE_FLAG_STATUSES)
        .order_by("-level", "-opened_at")
        .values_list("level", "opened_at")
    ]
    term = f"{contract.term_start.label} – {contract.term_end.label}" if contract else ""
    return SchoolPage(
        school=school,
        year=year,
        results_year=rated_year,
        grants=public_grants,
        benchmarks=public_benchmarks,
        flags=flags,
        contract_term=term,
    )


def _public_benchmark(benchmark, periods, results: dict, published: SuppressionResult) -> PublicBenchmark:
    metric = benchmark.metric
    rows, points = [], []
    for period in periods:
        key = f"b{benchmark.pk}:{period}"
        cell = published.cells.get(key)
        result = results.get(period)
        hidden = cell is not None and cell.hidden
        status = "" if result is None else (published.cells[key].text if hidden else RESULT_WORDS[result.status])
        if cell is None and result is None:
            continue
        value = published_text(published, key, metric) if cell is not None else str(_("No data"))
        rows.append(PublicTrendRow(period=period, value=value, status=str(status)))
        if cell is not None and not hidden and not cell.text:
            points.append(TrendPoint(period=period, value=cell.value, target=None, status="", status_words=""))
    latest = results.get(periods[-1]) if periods else None
    latest_cell = published.cells.get(f"b{benchmark.pk}:{periods[-1]}") if periods else None
    hidden = latest_cell is not None and latest_cell.hidden
    return PublicBenchmark(
        name=metric.name,
        metric_name=metric.name,
        target=format_value(metric, benchmark.target) if benchmark.kind in ("value", "aggregate") else "",
        value=rows[-1].value if rows and rows[-1].period == periods[-1] else str(_("No data")),
        status="" if latest is None or hidden else str(RESULT_WORDS[latest.status]),
        rating="" if latest is None or hidden or not latest.rating else str(RATING_WORDS.get(latest.rating, "")),
        hidden=hidden,
        chart=trend_chart(points, metric=metric) if len(points) >= 2 else None,
        rows=rows,
    )


# --- an autonomy ------------------------------------------------------------------------------------


@dataclass
class Holder:
    school: School
    grant: AutonomyGrant
    by_year: list[tuple[str, int, int]]  # (year, met, rated)


@dataclass
class AutonomyPage:
    autonomy: Autonomy
    holders: list[Holder]
    years: tuple[str, ...]


def autonomy_page_read(*, code: str, today: datetime.date) -> AutonomyPage:
    autonomy = Autonomy.objects.filter(code=code).first()
    if autonomy is None:
        raise Http404("No such autonomy.")
    year = school_year_of(today)
    years = tuple(sorted(set(previous_school_years(year, 2) + (year,))))
    grants = list(
        AutonomyGrant.objects.filter(autonomy=autonomy, status__in=SHOWN_STATUSES, starts_on__lte=today)
        .select_related("school")
        .order_by("school__name", "school_id")
    )
    school_ids = {g.school_id for g in grants}
    rows = list(
        BenchmarkResult.objects.filter(
            benchmark__contract__status=ContractStatus.ACTIVE,
            benchmark__contract__school_id__in=school_ids,
            period__in=years,
        )
        .order_by()
        .values_list("benchmark__contract__school_id", "benchmark__metric_id", "period", "status", "pk")
    )
    ns = observations_n({(s, m, p) for s, m, p, _st, _pk in rows})
    cells = [Cell(str(pk), Decimal(0), ns.get((s, m, p))) for s, m, p, _st, pk in rows]
    hidden = {key for key, cell in cells_suppress(cells, rules_in_force()).cells.items() if cell.hidden}
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for school_id, _metric, period, status, pk in rows:
        if str(pk) in hidden or status == "no_data":
            continue
        counts[(school_id, period)][0] += status == "met"
        counts[(school_id, period)][1] += 1
    holders = [
        Holder(school=g.school, grant=g, by_year=[(y, *counts.get((g.school_id, y), [0, 0])) for y in years])
        for g in grants
    ]
    return AutonomyPage(autonomy=autonomy, holders=holders, years=years)


# --- open data ----------------------------------------------------------------------------------------
