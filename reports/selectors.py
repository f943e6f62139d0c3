"""What the public pages, files and API publish, read from the other apps' models (read-only) and passed
through the suppression policy (reports.services.suppression) before anything leaves this module.

Only what is public is read: grants a school holds or held (never a request), active contracts (never a
draft), the results of evaluation runs, flags by their rung and date (never a note, a plan or evidence),
and people by their name (never an email). Every read is a fixed number of queries, whatever the number
of schools.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accountability.charts import TrendPoint, trend_chart
from accountability.models import LIVE_FLAG_STATUSES, BenchmarkResult, InterventionFlag
from autonomy.models import AccountabilityModel, Autonomy, AutonomyGrant, Domain, GrantEvent, GrantStatus
from contracts.models import ContractStatus, PerformanceContract
from metrics.formatting import format_value
from metrics.models import Metric, Observation
from reports.services.publishing import masked_cells_record, rules_in_force
from reports.services.suppression import Cell, PolicyRules, SuppressionResult, cells_suppress
from schools.models import Network, School, SchoolYear
from schools.periods import previous_school_years, school_year_label

TREND_YEARS = 4
SHOWN_STATUSES = (GrantStatus.ACTIVE, GrantStatus.AT_RISK, GrantStatus.SUSPENDED)

DOMAIN_WORDS = {
    Domain.PEOPLE: _("People"),
    Domain.TIME: _("Time"),
    Domain.MONEY: _("Money"),
    Domain.PROGRAM: _("Program"),
}
MODEL_WORDS = {
    AccountabilityModel.EARNED: _("Earned"),
    AccountabilityModel.FULL: _("Full, with expectations"),
    AccountabilityModel.PROGRAMMATIC: _("By request"),
}
GRANT_STATUS_WORDS = {
    GrantStatus.ACTIVE: _("Held"),
    GrantStatus.AT_RISK: _("At risk"),
    GrantStatus.SUSPENDED: _("Suspended"),
    GrantStatus.REVOKED: _("Revoked"),
    GrantStatus.EXPIRED: _("Ended"),
}
RESULT_WORDS = {"met": _("Met"), "not_met": _("Not met"), "no_data": _("No data")}
RATING_WORDS = {
    "exceeds": _("Exceeds"),
    "meets": _("Meets"),
    "does_not_meet": _("Does not meet"),
    "falls_far_below": _("Falls far below"),
}
RUNG_WORDS = {
    1: _("Notice of concern"),
    2: _("Corrective action plan required"),
    3: _("Intensified support"),
    4: _("Autonomy at risk"),
    5: _("Autonomy suspended"),
    6: _("Autonomy revoked"),
}


def school_year_of(day: datetime.date) -> str:
    """The school year a day falls in, as 2026-27 (a year starts in July)."""
    return school_year_label(day.year if day.month >= 7 else day.year - 1)


def results_year(today: datetime.date) -> str:
    """The latest school year, up to this one, for which an evaluation published results: "this year's
    result" before the first run of a new year is last year's. One query."""
    current = school_year_of(today)
    latest = (
        BenchmarkResult.objects.filter(benchmark__contract__status=ContractStatus.ACTIVE, period__lte=current)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return latest or current


def _year_start(label: str) -> datetime.date:
    year = SchoolYear.objects.filter(label=label).values_list("start_date", flat=True).first()
    return year or datetime.date(int(label[:4]), 7, 1)


def _observations_n(keys: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], int | None]:
    """The n of each (school id, metric id, period) observation: one query (none without keys)."""
    if not keys:
        return {}
    schools = {k[0] for k in keys}
    metrics = {k[1] for k in keys}
    periods = {k[2] for k in keys}
    rows = Observation.objects.filter(school_id__in=schools, metric_id__in=metrics, period__in=periods).values_list(
        "school_id", "metric_id", "period", "n"
    )
    return {(s, m, p): n for s, m, p, n in rows.order_by()}


def suppress_and_record(cells: list[Cell], *, surface: str, rules: PolicyRules | None = None) -> SuppressionResult:
    """The one door out: the cells through the policy in force, what it masked recorded (one query)."""
    rules = rules or rules_in_force()
    result = cells_suppress(cells, rules)
    masked_cells_record(surface=surface, masked=result.masked, rules=rules)
    return result


def published_text(result: SuppressionResult, key: str, metric) -> str:
    cell = result[key]
    if cell.text:
        return cell.text
    return format_value(metric, cell.value)


# --- the register ---------------------------------------------------------------------------------


@dataclass
class RegisterRow:
    school: School
    grants: list[AutonomyGrant] = field(default_factory=list)
    met: int = 0
    rated: int = 0


@dataclass
class Register:
    year: str
    results_year: str
    rows: list[RegisterRow]
    autonomies: list[Autonomy]
    holders: dict[int, int]  # autonomy id → schools holding it
    changes: dict[str, int]  # granted, at_risk, suspended, revoked this school year
    networks: list[Network]


def _held_grants(today: datetime.date):
    return (
        AutonomyGrant.objects.filter(status__in=SHOWN_STATUSES, starts_on__lte=today)
        .select_related("autonomy")
        .only(
            "school_id",
            "status",
            "starts_on",
            "model",
            "autonomy__code",
            "autonomy__name",
            "autonomy__domain",
            "autonomy__display_order",
        )
        .order_by("autonomy__domain", "autonomy__display_order", "autonomy__name")
    )


def _ratings(school_ids: set[int] | None, year: str) -> dict[int, tuple[int, int]]:
    """Per school, (benchmarks met, benchmarks with a published result) this year on its active contract:
    a result whose value the policy hides is not counted, as its status would tell the hidden value."""
    results = BenchmarkResult.objects.filter(benchmark__contract__status=ContractStatus.ACTIVE, period=year)
    if school_ids is not None:
        results = results.filter(benchmark__contract__school_id__in=school_ids)
    rows = list(
        results.order_by().values_list("benchmark__contract__school_id", "benchmark__metric_id", "status", "pk")
    )
    ns = _observations_n({(s, m, year) for s, m, _status, _pk in rows})
    cells = [Cell(str(pk), Decimal(0), ns.get((s, m, year))) for s, m, _status, pk in rows]
    hidden = {key for key, cell in cells_suppress(cells, rules_in_force()).cells.items() if cell.hidden}
    counts: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for school_id, _metric, status, pk in rows:
        if str(pk) in hidden or status == "no_data":
            continue
        met, rated = counts[school_id]
        counts[school_id] = (met + (status == "met"), rated + 1)
    return counts


def _changes_this_year(start: datetime.date) -> dict[str, int]:
    counts = {"granted": 0, "at_risk": 0, "suspended": 0, "revoked": 0}
    for from_status, to_status in GrantEvent.objects.filter(at__date__gte=start).values_list(
        "from_status", "to_status"
    ):
        if not from_status and to_status in (GrantStatus.ACTIVE, GrantStatus.AT_RISK):
            counts["granted"] += 1
        elif to_status in counts and from_status != to_status:
            counts[to_status] += 1
    return counts


def register_read(
    *, today: datetime.date, domain: str = "", model: str = "", network: Network | None = None
) -> Register:
    """Every school with the autonomies it holds, filtered; the totals. Seven queries for any district."""
    year = school_year_of(today)
    schools = School.objects.select_related("network").only("code", "name", "grade_band", "network__name")
    if network is not None:
        schools = schools.filter(network=network)
    grants = _held_grants(today)
    if domain:
        grants = grants.filter(autonomy__domain=domain)
    if model:
        grants = grants.filter(model=model)
    by_school: dict[int, list[AutonomyGrant]] = defaultdict(list)
    for grant in grants:
        by_school[grant.school_id].append(grant)
    rated_year = results_year(today)
    ratings = _ratings(None, rated_year)
    rows = []
    for school in schools.order_by("name", "id"):
        if (domain or model) and not by_school.get(school.pk):
            continue
        met, rated = ratings.get(school.pk, (0, 0))
        rows.append(RegisterRow(school=school, grants=by_school.get(school.pk, []), met=met, rated=rated))
    holders: dict[int, int] = defaultdict(int)
    shown_ids = {row.school.pk for row in rows}
    for school_id, held in by_school.items():
        if school_id in shown_ids:
            for grant in held:
                if grant.status != GrantStatus.SUSPENDED:
                    holders[grant.autonomy_id] += 1
    autonomies = Autonomy.objects.order_by("domain", "display_order", "name")
    if domain:
        autonomies = autonomies.filter(domain=domain)
    if model:
        autonomies = autonomies.filter(model=model)
    return Register(
        year=year,
        results_year=rated_year,
        rows=rows,
        autonomies=list(autonomies.only("code", "name", "domain", "model", "display_order")),
        holders=dict(holders),
        changes=_changes_this_year(_year_start(year)),
        networks=list(Network.objects.order_by("name")),
    )


# --- a school ---------------------------------------------------------------------------------------


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
    ns = _observations_n(
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
        .prefetch_related(Prefetch("events", queryset=GrantEvent.objects.order_by("at", "pk").only("grant_id", "at")))
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
        events = list(grant.events.all())
        since = events[-1].at.date() if events else grant.starts_on
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
    ns = _observations_n({(s, m, p) for s, m, p, _st, _pk in rows})
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


def register_rows(*, today: datetime.date) -> list[dict]:
    """The register as rows, one per school and autonomy it holds (a school holding none: one row)."""
    register = register_read(today=today)
    rows = []
    for row in register.rows:
        base = {
            "school": row.school.code,
            "school_name": row.school.name,
            "network": row.school.network.name if row.school.network else "",
            "benchmarks_met": row.met,
            "benchmarks_rated": row.rated,
        }
        if not row.grants:
            rows.append(
                {**base, "autonomy": "", "autonomy_name": "", "domain": "", "model": "", "status": "", "since": ""}
            )
        for grant in row.grants:
            rows.append(
                {
                    **base,
                    "autonomy": grant.autonomy.code,
                    "autonomy_name": grant.autonomy.name,
                    "domain": grant.autonomy.domain,
                    "model": grant.model,
                    "status": grant.status,
                    "since": grant.starts_on.isoformat(),
                }
            )
    return rows


def results_rows(*, surface: str) -> list[dict]:
    """Every result of every active contract, its value through suppression: five queries."""
    results = list(
        BenchmarkResult.objects.filter(benchmark__contract__status=ContractStatus.ACTIVE)
        .select_related("benchmark__metric", "benchmark__contract__school")
        .only(
            "period",
            "status",
            "rating",
            "value",
            "target",
            "benchmark__key",
            "benchmark__kind",
            "benchmark__metric__code",
            "benchmark__metric__name",
            "benchmark__metric__unit",
            "benchmark__metric__precision",
            "benchmark__metric__count_noun",
            "benchmark__metric__count_noun_plural",
            "benchmark__contract__school__code",
            "benchmark__metric_id",
            "benchmark__contract__school_id",
        )
        .order_by("benchmark__contract__school__code", "benchmark__position", "benchmark_id", "period")
    )
    ns = _observations_n({(r.benchmark.contract.school_id, r.benchmark.metric_id, r.period) for r in results})
    cells = []
    for r in results:
        metric = r.benchmark.metric
        cells.append(
            Cell(
                str(r.pk),
                r.value,
                ns.get((r.benchmark.contract.school_id, r.benchmark.metric_id, r.period)),
                percent=metric.unit == "percent" and r.benchmark.kind in ("value", "aggregate"),
                school_code=r.benchmark.contract.school.code,
                field=metric.code,
                period=r.period,
            )
        )
    published = suppress_and_record(cells, surface=surface)
    rows = []
    for r in results:
        cell = published[str(r.pk)]
        rows.append(
            {
                "school": r.benchmark.contract.school.code,
                "metric": r.benchmark.metric.code,
                "metric_name": r.benchmark.metric.name,
                "benchmark": r.benchmark.key,
                "period": r.period,
                "value": cell.text or ("" if cell.value is None else format(cell.value.normalize(), "f")),
                "target": format(r.target.normalize(), "f"),
                "status": cell.text if cell.hidden else r.status,
                "rating": cell.text if cell.hidden else r.rating,
            }
        )
    return rows
