"""The PostgreSQL import: the checked rows streamed with COPY and merged in SQL.

A million rows take seconds instead of minutes. Python reads the CSV (`import_rows`) and checks each
row with the Python path's own code (`import_check`), so both paths give the same report; the good
rows are sent as typed COPY text, a block at a time. All in one transaction, kept only if no row is bad:

1. a large first load (the table empty) goes straight into the table, its constraints and other
   indexes set aside meanwhile and built again at the end (_first_bulk_load);
2. otherwise the rows go to a staging table. If the table holds none of them, they are inserted from
   there; if it does, the rows that are new or differ are set apart, the values the corrections
   replace go to ObservationRevision, and one `INSERT … ON CONFLICT DO UPDATE` writes them. Unchanged
   rows are not written at all (not even locked), so a re-import of the same file writes nothing.
   A load that writes a large share of the table writes the same rows the faster way (_bulk_load).

No user data is ever part of the SQL text: rows travel through COPY, everything else as parameters.
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction

from metrics.models import Observation, ObservationRevision
from metrics.services.import_check import GoodRow, RowCheck
from metrics.services.import_rows import ImportReport, Screen, first_errors

STAGING = "metrics_import_row"
CHANGE = "metrics_import_change"
OBSERVATION = Observation._meta.db_table
REVISION = ObservationRevision._meta.db_table

# From this many rows to write, foreign keys are checked once over the table instead of once a row,
# and the non-unique indexes are rebuilt instead of updated row by row (see _bulk_load).
BULK_ROWS = 100_000
# Rows of COPY text sent at a time: one write a block instead of one a row.
COPY_BLOCK = 5_000
# COPY's text format gives these characters a meaning; only a source can hold them (every other column
# of a good row is a number or a school year).
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

NULL = "\\N"

# ON COMMIT DROP for a transaction of its own; dropped explicitly too, for a caller's longer one.
DROP_TEMPORARY = f"DROP TABLE IF EXISTS pg_temp.{STAGING}, pg_temp.{CHANGE}"

CREATE_STAGING = f"""
    CREATE TEMP TABLE {STAGING} (
        school_id integer NOT NULL, metric_id integer NOT NULL, period text NOT NULL,
        value numeric(14, 4) NOT NULL, source text NOT NULL, n integer
    ) ON COMMIT DROP
"""

COLUMNS = "school_id, metric_id, period, value, source, n"
COPY_STAGING = f"COPY {STAGING} ({COLUMNS}) FROM STDIN"
COPY_OBSERVATIONS = f"COPY {OBSERVATION} ({COLUMNS}) FROM STDIN"

# Whether the table holds any of the rows: if not, every row is new and nothing needs comparing.
ANY_HELD = f"""
    SELECT EXISTS (SELECT FROM {OBSERVATION})
       AND EXISTS (SELECT FROM {STAGING} s JOIN {OBSERVATION} o
                   ON o.school_id = s.school_id AND o.metric_id = s.metric_id AND o.period = s.period)
"""

# What differs from the table: new rows (no observation_id) and changed ones. An empty source or n keeps
# the observation's, as in the Python path.
CHANGES = f"""
    CREATE TEMP TABLE {CHANGE} ON COMMIT DROP AS
    SELECT s.school_id, s.metric_id, s.period, s.value, s.source, s.n,
           o.id AS observation_id, o.value AS old_value, o.source AS old_source
    FROM {STAGING} s
    LEFT JOIN {OBSERVATION} o ON o.school_id = s.school_id AND o.metric_id = s.metric_id AND o.period = s.period
    WHERE o.id IS NULL OR o.value <> s.value OR (s.source <> '' AND o.source <> s.source)
       OR (s.n IS NOT NULL AND o.n IS DISTINCT FROM s.n)
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

# Every staged row, when the table holds none of them (the lock keeps it so until the commit).
INSERT_ALL = f"""
    INSERT INTO {OBSERVATION} (created_at, updated_at, school_id, metric_id, period, value, source, n)
    SELECT %(now)s, %(now)s, school_id, metric_id, period, value, source, n FROM {STAGING}
"""

# The upsert in two statements, for _bulk_load.
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
    """Check and write; keep the writes only when no row is bad; the temporary tables go with the transaction."""
    check = RowCheck(value_form=str)
    with transaction.atomic(), connection.cursor() as cursor:
        # Hash joins over a million rows want more than the default 4 MB; the JIT compiler costs these
        # few large queries more than it saves (each measured slower with it).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(DROP_TEMPORARY)
        set_aside = _first_bulk_load(cursor, at_most=screen.at_most)
        if set_aside is not None:
            defaults = _stamp_by_default(cursor, now)
            with cursor.copy(COPY_OBSERVATIONS) as copy:
                written = _stream(copy, check.good_rows(screen))
            _restore_defaults(cursor, defaults)
        else:
            cursor.execute(CREATE_STAGING)
            with cursor.copy(COPY_STAGING) as copy:
                written = _stream(copy, check.good_rows(screen))
        report.rows = screen.count
        if check.error_count or screen.errors:
            errors = first_errors(screen.errors, check.errors)
            report.refuse(errors, count=check.error_count + len(screen.errors))
        elif set_aside is not None:
            _put_back(cursor, *set_aside)
            report.created = written
        elif written:
            report.created, report.updated = _merge(cursor, label=label, now=now, staged=written)
            report.unchanged = written - report.created - report.updated
        cursor.execute(DROP_TEMPORARY)
        if not report.ok:
            transaction.set_rollback(True)  # what a first load wrote goes, and the table is as it was


def _first_bulk_load(cursor, *, at_most: int) -> tuple[list, list] | None:
    """When the rows go straight into the table: it is empty and there can be BULK_ROWS of them (a first
    load). Then the table is locked, its constraints and other indexes set aside (what they were is
    returned, to put back), and the rows are copied in as they are checked: nothing compares them with
    anything, and COPY writes rows in batches where INSERT … SELECT writes them one at a time.
    Otherwise None: the rows are staged and merged (_merge)."""
    if at_most < BULK_ROWS:
        return None
    # Other writers wait from here on, so the table is still empty when written.
    cursor.execute(f"LOCK TABLE {OBSERVATION} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute(f"SELECT EXISTS (SELECT FROM {OBSERVATION})")
    if cursor.fetchone()[0]:
        return None
    return _set_aside(cursor)


def _stamp_by_default(cursor, now: datetime.datetime) -> list[tuple[str, str | None]]:
    """Make `now` the default of the time stamps for the load, as reading a time stamp from each row of COPY
    text would cost PostgreSQL about as much as the rest of the row; the defaults they had, to put back."""
    cursor.execute(
        """SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid = %s::regclass AND a.attname IN ('created_at', 'updated_at') ORDER BY a.attname""",
        [OBSERVATION],
    )
    defaults = cursor.fetchall()
    stamp = f"'{now.isoformat()}'::timestamptz"  # the clock's, never user data
    cursor.execute(
        f"ALTER TABLE {OBSERVATION} {', '.join(f'ALTER {name} SET DEFAULT {stamp}' for name, _ in defaults)}"
    )
    return defaults


def _restore_defaults(cursor, defaults: list[tuple[str, str | None]]) -> None:
    changes = (f"ALTER {name} {'DROP DEFAULT' if old is None else f'SET DEFAULT {old}'}" for name, old in defaults)
    cursor.execute(f"ALTER TABLE {OBSERVATION} {', '.join(changes)}")


def _stream(copy, rows: Iterable[GoodRow]) -> int:
    """Write the rows as COPY text, a block at a time; how many were written."""
    lines, count = [], 0
    append = lines.append
    for school_id, metric_id, period, value, source, n in rows:
        if "\\" in source or not source.isprintable():  # a tab, a line break or another control character
            source = source.translate(COPY_ESCAPES)
        append(f"{school_id}\t{metric_id}\t{period}\t{value}\t{source}\t{NULL if n is None else n}\n")
        if len(lines) == COPY_BLOCK:
            copy.write("".join(lines))
            count += COPY_BLOCK
            lines.clear()
    copy.write("".join(lines))
    return count + len(lines)


def _merge(cursor, *, label: str, now: datetime.datetime, staged: int) -> tuple[int, int]:
    """Write what differs; the counts of rows created and updated."""
    # Readers go on; other writers wait, so the values read here are still current when written.
    cursor.execute(f"LOCK TABLE {OBSERVATION} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [OBSERVATION])
    (table_rows,) = cursor.fetchone()
    cursor.execute(ANY_HELD)
    (any_held,) = cursor.fetchone()
    if not any_held:
        created, updated = staged, 0
        inserts, updates = INSERT_ALL, None
    else:
        cursor.execute(CHANGES)
        cursor.execute(
            f"""SELECT count(*) FILTER (WHERE observation_id IS NULL),
                       count(*) FILTER (WHERE observation_id IS NOT NULL) FROM {CHANGE}"""
        )
        created, updated = cursor.fetchone()
        if updated:
            cursor.execute(REVISIONS, {"now": now, "label": label[:200]})
        inserts, updates = INSERT_NEW, UPDATE_CHANGED
    written = created + updated
    if written >= BULK_ROWS and written * 4 >= table_rows + created:
        _bulk_load(cursor, now=now, inserts=inserts if created else None, updates=updates if updated else None)
    elif not any_held:
        cursor.execute(INSERT_ALL, {"now": now})
    elif written:
        cursor.execute(UPSERT, {"now": now})
    return created, updated


def _bulk_load(cursor, *, now: datetime.datetime, inserts: str | None, updates: str | None) -> None:
    """The rows written with the table's foreign keys, unique constraints and other indexes set aside.

    Checking a foreign key costs a lookup for each row, and so does keeping each index up to date;
    when the load is a large share of the table, one join checks every row at once and a sort builds
    each index, several times faster (the PostgreSQL manual's advice for populating a database).
    Without the unique constraint there is nothing for ON CONFLICT to arbitrate on, so new rows are
    inserted and changed ones updated; the exclusive lock means nobody else can write in between.
    Everything is put back as the catalog defined it, in the same transaction: if anything fails,
    nothing changed. The price: readers of the observations wait until the import commits.
    """
    set_aside = _set_aside(cursor)
    for statement in (inserts, updates):
        if statement:
            cursor.execute(statement, {"now": now})
    _put_back(cursor, *set_aside)


def _set_aside(cursor) -> tuple[list, list]:
    """Lock the table and drop its foreign keys, unique constraints and other indexes; what they were, to put
    back (_put_back)."""
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
    return constraints, indexes


def _put_back(cursor, constraints: list, indexes: list) -> None:
    """The indexes and constraints _set_aside dropped, built again: every row checked at once."""
    for _, definition in indexes:
        cursor.execute(definition)
    quote = connection.ops.quote_name
    for name, definition, _ in constraints:
        cursor.execute(f"ALTER TABLE {OBSERVATION} ADD CONSTRAINT {quote(name)} {definition}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # The planner's statistics would describe the table before the load until autovacuum comes by.
    cursor.execute(f"ANALYZE {OBSERVATION}")
