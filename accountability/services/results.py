"""Writing benchmark results in bulk: the one write of the nightly run that grows with the district.

The first run of a period writes one row per benchmark, tens of thousands in a large district. Through
`bulk_create(update_conflicts=True)` on PostgreSQL every value is quoted into the SQL text in Python
(the connection binds parameters on the client), which made the write take about two thirds of the
whole run. On PostgreSQL the rows are therefore streamed with COPY into a temporary table and upserted
from it in one statement (core.bulk.copy_through_staging); elsewhere (SQLite in development and tests)
`bulk_create` does the same job. Both write the same columns with the same conflict rule, so the stored
results are the same.
"""

import json

from django.db import connection

from accountability.models import BenchmarkResult
from core.bulk import copy_through_staging

COLUMNS = ("benchmark_id", "period", "status", "rating", "value", "target", "inputs", "run_id", "evaluated_at")
UPDATED = ("status", "rating", "value", "target", "inputs", "run_id", "evaluated_at")


def results_upsert(*, rows: list[tuple]) -> None:
    """Insert or update one result per (benchmark, period); each row holds the COLUMNS in order.

    Expects to run inside the evaluation's transaction.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_upsert(rows)
        return
    BenchmarkResult.objects.bulk_create(
        [BenchmarkResult(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["benchmark", "period"],
        update_fields=[column.removesuffix("_id") for column in UPDATED],
    )


def _copy_upsert(rows: list[tuple]) -> None:
    copied = (row[:6] + (json.dumps(row[6]),) + row[7:] for row in rows)
    updated = ", ".join(f"{column} = EXCLUDED.{column}" for column in UPDATED)
    copy_through_staging(
        BenchmarkResult._meta.db_table, COLUMNS, copied, on_conflict=f"(benchmark_id, period) DO UPDATE SET {updated}"
    )
