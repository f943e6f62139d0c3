"""Writing benchmark results in bulk: the one write of the nightly run that grows with the district.

The first run of a period writes one row per benchmark, tens of thousands in a large district. Through
`bulk_create(update_conflicts=True)` on PostgreSQL every value is quoted into the SQL text in Python
(the connection binds parameters on the client), which made the write take about two thirds of the
whole run. On PostgreSQL the rows are therefore streamed with COPY: a period's first results straight into
the table, changed ones into a temporary table and upserted from it in one statement
(core.bulk.copy_through_staging). Elsewhere (SQLite in development and tests) `bulk_create` does the same
job. Both write the same columns with the same conflict rule, so the stored results are the same.
"""

import json

from django.db import IntegrityError, connection, transaction

from accountability.models import BenchmarkResult
from core.bulk import copy_rows, copy_through_staging

COLUMNS = ("benchmark_id", "period", "status", "rating", "value", "target", "inputs", "run_id", "evaluated_at")
UPDATED = ("status", "rating", "value", "target", "inputs", "run_id", "evaluated_at")


def results_upsert(*, rows: list[tuple], new: bool = False) -> None:
    """Insert or update one result per (benchmark, period); each row holds the COLUMNS in order.

    `new` says that no row had a stored result when the caller looked (a period's first run): on PostgreSQL
    they are then copied straight into the table, with no temporary table and no conflict to look for. A
    run for another date of the same period may have written some since (each date has its own lock): then
    the copy is undone and the rows are upserted after all. Expects to run inside the evaluation's transaction.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        if new:
            try:
                with transaction.atomic():
                    copy_rows(BenchmarkResult._meta.db_table, COLUMNS, _copied(rows))
                return
            except IntegrityError:
                pass
        updated = ", ".join(f"{column} = EXCLUDED.{column}" for column in UPDATED)
        copy_through_staging(
            BenchmarkResult._meta.db_table,
            COLUMNS,
            _copied(rows),
            on_conflict=f"(benchmark_id, period) DO UPDATE SET {updated}",
        )
        return
    BenchmarkResult.objects.bulk_create(
        [BenchmarkResult(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["benchmark", "period"],
        update_fields=[column.removesuffix("_id") for column in UPDATED],
    )


def _copied(rows: list[tuple]):
    return (row[:6] + (json.dumps(row[6]),) + row[7:] for row in rows)
