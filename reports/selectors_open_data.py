"""The open-data files' and the public API's rows, under the same rules as reports.selectors."""

import datetime

from accountability.models import BenchmarkResult
from contracts.models import ContractStatus
from reports.selectors import (
    observations_n,
    register_read,
    suppress_and_record,
)
from reports.services.suppression import Cell


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


def results_years() -> list[str]:
    """The school years with a result of an active contract, oldest first: the years with a file. One query."""
    published = BenchmarkResult.objects.filter(benchmark__contract__status=ContractStatus.ACTIVE)
    return list(published.order_by("period").values_list("period", flat=True).distinct())


def results_rows(*, surface: str, year: str = "") -> list[dict]:
    """Every result of every active contract, its value through suppression: five queries. With `year`, that
    year's rows only, suppressed with every year's cells as the whole file is: the year's file is the whole
    file's rows of that year, whatever a policy's rule across cells would hide to protect another."""
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
    ns = observations_n({(r.benchmark.contract.school_id, r.benchmark.metric_id, r.period) for r in results})
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
        if year and r.period != year:
            continue
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
