"""Writing benchmark results in bulk: the one write of the nightly run that grows with the district.

The first run of a period writes one row per benchmark, tens of thousands in a large district. Through
`bulk_create(update_conflicts=True)` on PostgreSQL every value is quoted into the SQL text in Python
(the connection binds parameters on the client), which made the write take about two thirds of the
whole run. On PostgreSQL the rows are therefore streamed with COPY into a temporary table and upserted
from it in one statement; elsewhere (SQLite in development and tests) `bulk_create` does the same job.
Both write the same columns with the same conflict rule, so the stored results are the same.
"""

import json

from django.db import connection

from accountability.models import BenchmarkResult

COLUMNS = ("benchmark_id", "period", "status", "rating", "value", "target", "inputs", "run_id", "evaluated_at")
UPDATED = ("status", "rating", "value", "target", "inputs", "run_id", "evaluated_at")
# A temporary table lives as long as the connection; it is dropped at once after use, and at the
# latest when the transaction ends, so that a run rolled back (a dry run, a held run) leaves none.
STAGING = "accountability_result_staging"


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
    table = BenchmarkResult._meta.db_table
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")
        # COPY goes through the driver's own cursor (Django's has no copy()); it is one statement, which
        # Django's query counting does not see.
        with cursor.cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row[:6] + (json.dumps(row[6]),) + row[7:])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGING} "
            f"ON CONFLICT (benchmark_id, period) DO UPDATE SET "
            + ", ".join(f"{column} = EXCLUDED.{column}" for column in UPDATED)
        )
        cursor.execute(f"DROP TABLE {STAGING}")
