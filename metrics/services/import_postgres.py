"""The PostgreSQL import: rows streamed with COPY into a staging table, checked in SQL, merged with one upsert.

A million rows take seconds instead of minutes. Python only reads the CSV and streams the stripped
fields (`import_rows`); then, inside one transaction:

1. one query types every row (school and metric ids, the number, whether the period reads as a
   school year) into a second temporary table, with the reason for each bad row, in the words and
   order of `import_rules`; each distinct period and value text is parsed once, not once a row;
2. one query lists the first bad rows in row order and counts them all, duplicates included when
   the rows' text repeats at all;
3. if none is bad: the rows that are new or differ are set apart, the values the corrections replace
   go to ObservationRevision, and one `INSERT … ON CONFLICT DO UPDATE` writes them. Unchanged rows
   are not written at all (not even locked), so a re-import of the same file writes nothing. A load
   that rewrites a large share of the table writes the same rows the faster way (_bulk_load).

No user data is ever part of the SQL text: rows travel through COPY, everything else as parameters.
"""

import datetime

from django.db import connection, transaction

from metrics.models import Metric, Observation, ObservationRevision
from metrics.services.import_rows import MAX_LISTED_ERRORS, ImportReport, RowError, Screen, first_errors
from metrics.services.import_rules import (
    N_PATTERN,
    NUMBER_MAX_CHARS,
    NUMBER_PATTERN,
    REASONS,
    SHOWN_CHARS,
    SOURCE_CHARS,
    TOO_LARGE,
    sql_template,
)
from schools import periods
from schools.models import School

STAGING = "metrics_import_row"
CHECKED = "metrics_import_checked"
CHANGE = "metrics_import_change"
OBSERVATION = Observation._meta.db_table
REVISION = ObservationRevision._meta.db_table

# From this many rows to write, foreign keys are checked once over the table instead of once a row,
# and the non-unique indexes are rebuilt instead of updated row by row (see _bulk_load).
BULK_ROWS = 100_000

# ON COMMIT DROP for a transaction of its own; dropped explicitly too, for a caller's longer one.
DROP_TEMPORARY = f"DROP TABLE IF EXISTS pg_temp.{STAGING}, pg_temp.{CHECKED}, pg_temp.{CHANGE}"

CREATE_STAGING = f"""
    CREATE TEMP TABLE {STAGING} (
        line integer NOT NULL, school text NOT NULL, metric text NOT NULL,
        period text NOT NULL, value text NOT NULL, source text NOT NULL, n text NOT NULL
    ) ON COMMIT DROP
"""


def _shown(column: str) -> str:
    """import_rules.shown() in SQL."""
    cut = SHOWN_CHARS - 1
    return f"CASE WHEN char_length({column}) <= {SHOWN_CHARS} THEN {column} ELSE left({column}, {cut}) || '…' END"


# The reasons of import_rules in the same order, joined by "; "; computed for bad rows only.
_REASON = f"""
    concat_ws('; ',
        CASE WHEN r.school = '' THEN %(school_empty)s
             WHEN s.id IS NULL THEN format(%(school_unknown)s, {_shown("r.school")}) END,
        CASE WHEN r.metric = '' THEN %(metric_empty)s
             WHEN m.id IS NULL THEN format(%(metric_unknown)s, {_shown("r.metric")}) END,
        'period ' || p.problem,
        CASE WHEN n.number IS NULL THEN
                  CASE WHEN r.value = '' THEN %(value_empty)s ELSE format(%(value_bad)s, {_shown("r.value")}) END
             WHEN (n.number < m.min_value OR n.number > m.max_value)
                  AND m.min_value IS NOT NULL AND m.max_value IS NOT NULL
                  THEN format(%(value_outside)s, {_shown("r.value")}, m.name,
                              trim_scale(m.min_value), trim_scale(m.max_value))
             WHEN n.number < m.min_value
                  THEN format(%(value_below)s, {_shown("r.value")}, m.name, trim_scale(m.min_value))
             WHEN n.number > m.max_value
                  THEN format(%(value_above)s, {_shown("r.value")}, m.name, trim_scale(m.max_value))
             WHEN abs(n.number) >= %(too_large)s THEN format(%(value_too_large)s, {_shown("r.value")}) END,
        CASE WHEN r.n <> '' AND r.n !~ %(n_pattern)s THEN format(%(n_bad)s, {_shown("r.n")}) END
    )
"""

_BAD = """
    s.id IS NULL OR m.id IS NULL OR p.problem IS NOT NULL OR n.number IS NULL
    OR coalesce(n.number < m.min_value OR n.number > m.max_value, false)
    OR abs(n.number) >= %(too_large)s
    OR (r.n <> '' AND r.n !~ %(n_pattern)s)
"""

# Each row typed once. A period or a value text is parsed once however many rows repeat it; the
# CASEs keep a cast away from text the pattern refused, so no row can make the query fail. A period's
# problem is schools.periods' own SQL, in the same words as the Python path.
CHECK = f"""
    CREATE TEMP TABLE {CHECKED} ON COMMIT DROP AS
    WITH periods AS MATERIALIZED (
        SELECT period, {periods.problem_sql("period")} AS problem
        FROM (SELECT DISTINCT period FROM {STAGING}) distinct_periods
    ), numbers AS MATERIALIZED (
        SELECT value, CASE WHEN char_length(value) <= %(number_max)s AND value ~ %(number)s
                           THEN value::numeric END AS number
        FROM (SELECT DISTINCT value FROM {STAGING}) distinct_values
    )
    SELECT r.line, s.id AS school_id, m.id AS metric_id, r.period,
           round(n.number, 4) AS value, left(r.source, {SOURCE_CHARS}) AS source,
           CASE WHEN r.n ~ %(n_pattern)s THEN r.n::integer END AS n,
           CASE WHEN {_BAD} THEN {_REASON} END AS reason,
           r.school, r.metric
    FROM {STAGING} r
    JOIN periods p ON p.period = r.period
    JOIN numbers n ON n.value = r.value
    LEFT JOIN {School._meta.db_table} s ON s.code = r.school
    LEFT JOIN {Metric._meta.db_table} m ON m.code = r.metric
"""

# The first bad rows in row order, and how many there are.
BAD_ROWS = f"""
    SELECT line, reason, count(*) OVER () FROM {CHECKED} WHERE reason IS NOT NULL ORDER BY line LIMIT %(listed)s
"""

# The same with duplicates, when the text repeats: a duplicate is a good row whose school, metric and
# period an earlier good row already had, as in the Python path.
BAD_OR_DUPLICATE_ROWS = f"""
    WITH repeated AS (
        SELECT school_id, metric_id, period, min(line) AS first_line
        FROM {CHECKED} WHERE reason IS NULL
        GROUP BY school_id, metric_id, period HAVING count(*) > 1
    ), bad AS (
        SELECT line, reason FROM {CHECKED} WHERE reason IS NOT NULL
        UNION ALL
        SELECT c.line, format(%(duplicate)s, r.first_line, c.school, c.metric, c.period)
        FROM {CHECKED} c JOIN repeated r USING (school_id, metric_id, period)
        WHERE c.reason IS NULL AND c.line > r.first_line
    )
    SELECT line, reason, count(*) OVER () FROM bad ORDER BY line LIMIT %(listed)s
"""

PARAMETERS = {
    "number": NUMBER_PATTERN,
    "n_pattern": N_PATTERN,
    "number_max": NUMBER_MAX_CHARS,
    **periods.PARAMETERS,
    "too_large": TOO_LARGE,
    "listed": MAX_LISTED_ERRORS,
    **{key: sql_template(key) for key in REASONS},
}

# What differs from the table: new rows (no observation_id) and changed ones. An empty source or n keeps
# the observation's, as in the Python path.
CHANGES = f"""
    CREATE TEMP TABLE {CHANGE} ON COMMIT DROP AS
    SELECT c.school_id, c.metric_id, c.period, c.value, c.source, c.n,
           o.id AS observation_id, o.value AS old_value, o.source AS old_source
    FROM {CHECKED} c
    LEFT JOIN {OBSERVATION} o ON o.school_id = c.school_id AND o.metric_id = c.metric_id AND o.period = c.period
    WHERE o.id IS NULL OR o.value <> c.value OR (c.source <> '' AND o.source <> c.source)
       OR (c.n IS NOT NULL AND o.n IS DISTINCT FROM c.n)
"""

REVISIONS = f"""
    INSERT INTO {REVISION} (observation_id, value, source, replaced_at, replaced_by_import)
    SELECT observation_id, old_value, old_source, %(now)s, %(label)s
    FROM {CHANGE} WHERE observation_id IS NOT NULL
"""

UPSERT = f"""
    INSERT INTO {OBSERVATION} AS o (created_at, updated_at, school_id, metric_id, period, value, source, n)
    SELECT %(now)s, %(now)s, school_id, metric_id, period, value, source, n FROM {CHANGE}
    ON CONFLICT (school_id, metric_id, period) DO UPDATE
       SET value = EXCLUDED.value,
           source = CASE WHEN EXCLUDED.source = '' THEN o.source ELSE EXCLUDED.source END,
           n = coalesce(EXCLUDED.n, o.n),
           updated_at = EXCLUDED.updated_at
       WHERE o.value <> EXCLUDED.value OR (EXCLUDED.source <> '' AND o.source <> EXCLUDED.source)
          OR (EXCLUDED.n IS NOT NULL AND o.n IS DISTINCT FROM EXCLUDED.n)
"""

# The same write in two statements, for _bulk_load.
INSERT_NEW = f"""
    INSERT INTO {OBSERVATION} (created_at, updated_at, school_id, metric_id, period, value, source, n)
    SELECT %(now)s, %(now)s, school_id, metric_id, period, value, source, n FROM {CHANGE}
    WHERE observation_id IS NULL
"""

UPDATE_CHANGED = f"""
    UPDATE {OBSERVATION} o
    SET value = c.value, source = CASE WHEN c.source = '' THEN o.source ELSE c.source END,
        n = coalesce(c.n, o.n), updated_at = %(now)s
    FROM {CHANGE} c WHERE o.id = c.observation_id
"""


def import_with_copy(screen: Screen, *, report: ImportReport, label: str, now: datetime.datetime) -> None:
    """Stage, check, and merge only when no row is bad; the temporary tables go with the transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Hash joins and the duplicate check over a million rows want more than the default 4 MB; the
        # JIT compiler costs these few large queries more than it saves (each measured slower with it).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(DROP_TEMPORARY)
        cursor.execute(CREATE_STAGING)
        with cursor.copy(f"COPY {STAGING} (line, school, metric, period, value, source, n) FROM STDIN") as copy:
            for row in screen:
                copy.write_row(row)
        report.rows = screen.count
        cursor.execute(CHECK, PARAMETERS)
        if screen.repeats:
            # Temporary tables have no statistics until analyzed: without them the planner sorts a
            # million rows to find duplicates where hashing them is several times faster.
            cursor.execute(f"ANALYZE {CHECKED}")
            cursor.execute(BAD_OR_DUPLICATE_ROWS, PARAMETERS)
        else:
            cursor.execute(BAD_ROWS, PARAMETERS)
        found = cursor.fetchall()
        errors = [RowError(line, reason) for line, reason, _ in found]
        error_count = found[0][2] if found else 0
        if error_count or screen.errors:
            report.refuse(first_errors(screen.errors, errors), count=error_count + len(screen.errors))
        elif screen.count:
            report.created, report.updated = _merge(cursor, label=label, now=now)
            report.unchanged = screen.count - report.created - report.updated
        cursor.execute(DROP_TEMPORARY)


def _merge(cursor, *, label: str, now: datetime.datetime) -> tuple[int, int]:
    """Write what differs; the counts of rows created and updated."""
    # Readers go on; other writers wait, so the values read here are still current when written.
    cursor.execute(f"LOCK TABLE {OBSERVATION} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute(CHANGES)
    cursor.execute(
        f"""SELECT count(*) FILTER (WHERE observation_id IS NULL), count(*) FILTER (WHERE observation_id IS NOT NULL),
                   (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass)
            FROM {CHANGE}""",
        [OBSERVATION],
    )
    created, updated, table_rows = cursor.fetchone()
    if updated:
        cursor.execute(REVISIONS, {"now": now, "label": label[:200]})
    written = created + updated
    if written >= BULK_ROWS and written * 4 >= table_rows + created:
        _bulk_load(cursor, now=now, created=created, updated=updated)
    elif written:
        cursor.execute(UPSERT, {"now": now})
    return created, updated


def _bulk_load(cursor, *, now: datetime.datetime, created: int, updated: int) -> None:
    """The rows written with the table's foreign keys, unique constraints and other indexes set aside.

    Checking a foreign key costs a lookup for each row, and so does keeping each index up to date;
    when the load is a large share of the table, one join checks every row at once and a sort builds
    each index, several times faster (the PostgreSQL manual's advice for populating a database).
    Without the unique constraint there is nothing for ON CONFLICT to arbitrate on, so new rows are
    inserted and changed ones updated; the exclusive lock means nobody else can write in between.
    Everything is put back as the catalog defined it, in the same transaction: if anything fails,
    nothing changed. The price: readers of the observations wait until the import commits.
    """
    cursor.execute(f"LOCK TABLE {OBSERVATION} IN ACCESS EXCLUSIVE MODE")
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # each index sorted in memory
    # ALTER TABLE refuses while a deferred check of an earlier write in the transaction is pending:
    # run those checks now, as Django's check_constraints() does, and defer again afterwards.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC, conname""",
        [OBSERVATION],
    )
    constraints = cursor.fetchall()  # unique ones first: put back before the foreign keys
    cursor.execute(
        """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
             AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid)""",
        [OBSERVATION],
    )
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    for name, _, _ in constraints:
        cursor.execute(f"ALTER TABLE {OBSERVATION} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    if created:
        cursor.execute(INSERT_NEW, {"now": now})
    if updated:
        cursor.execute(UPDATE_CHANGED, {"now": now})
    for _, definition in indexes:
        cursor.execute(definition)
    for name, definition, _ in constraints:
        cursor.execute(f"ALTER TABLE {OBSERVATION} ADD CONSTRAINT {quote(name)} {definition}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # The planner's statistics would describe the table before the load until autovacuum comes by.
    cursor.execute(f"ANALYZE {OBSERVATION}")
