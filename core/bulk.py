"""Writing many rows that carry long text or JSON, on PostgreSQL, at the cost of COPY rather than of SQL text.

Django 5.2 inserts a batch on PostgreSQL as UNNEST of one array per column, and with parameters bound on the
client the driver quotes each array in Python, one regular-expression substitution per quote character: a
row of JSON evidence or of a notice's text holds hundreds. Even written as a plain VALUES list, a batch is one
long statement the driver splits at every placeholder in Python and the server then parses: a night's 723
flags with their evidence took 0.23 s that way, 0.05 s copied in. So the nightly run's flags, findings,
notifications and emails are copied (COPY … FROM STDIN): no SQL text is built for the rows at all.

Elsewhere (SQLite in development and tests) the same calls are `bulk_create`, with the same rows stored.
"""

import datetime
import json
from collections.abc import Sequence
from contextlib import nullcontext

from django.db import IntegrityError, connection, transaction
from django.db.models import DateTimeField, JSONField, Model
from django.utils import timezone


def bulk_copy(model: type[Model], rows: list[Model], *, ids: bool = False, ignore_conflicts: bool = False) -> None:
    """Insert the rows, on PostgreSQL by COPY. Defaults and auto_now_add are filled in as a save would.

    - `ids`: each row gets its primary key, taken from the table's own sequence before the copy (as an
      insert would take it), for rows whose ids the caller needs (events pointing at them, links).
    - `ignore_conflicts`: a row that would break a unique constraint is left out, as with
      `bulk_create(ignore_conflicts=True)`. Callers read what is there first (a notice already sent), so a
      conflict is rare, left by a write that committed since: the rows are copied in a savepoint, and only
      if that breaks a constraint are they written again by bulk_create(ignore_conflicts=True). Rows left
      out would have no id, so the two options do not go together.

    Without either, a conflict is an error, as with bulk_create.
    """
    if ids and ignore_conflicts:
        raise ValueError("bulk_copy cannot give ids to rows it may leave out (ids with ignore_conflicts)")
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, ignore_conflicts=ignore_conflicts)
        return
    meta = model._meta
    if ids:
        for row, pk in zip(rows, _ids_taken(model, len(rows)), strict=True):
            row.pk = pk
    fields = [field for field in meta.concrete_fields if ids or not field.primary_key]
    writers = [(field, _writer(field)) for field in fields]
    values = ([write(field.pre_save(row, True)) for field, write in writers] for row in rows)
    columns = [field.column for field in fields]
    if ignore_conflicts:
        _copy_or_skip_conflicts(model, columns, values, lambda: rows)
        return
    copy_rows(meta.db_table, columns, values)


def bulk_copy_values(model: type[Model], rows: list[dict], *, ignore_conflicts: bool = False) -> None:
    """bulk_copy for rows given as {field's attname: value} rather than as model instances, for the thousands
    a nightly run writes (building each as a model instance cost more than copying it in). A field not named
    takes its default; auto_now and auto_now_add, now. `ignore_conflicts` as in bulk_copy. Elsewhere than
    PostgreSQL, bulk_create of the same rows.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], ignore_conflicts=ignore_conflicts)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    # As a model instance would take them: a field's own default, "" for text without one, else None.
    defaults = {
        field.attname: now
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        else field.get_default()
        for field in fields
    }
    writers = [(field.attname, _writer(field)) for field in fields]
    values = ([write(row.get(name, defaults[name])) for name, write in writers] for row in rows)
    columns = [field.column for field in fields]
    if ignore_conflicts:
        _copy_or_skip_conflicts(model, columns, values, lambda: [model(**row) for row in rows])
    else:
        copy_rows(model._meta.db_table, columns, values)


def _copy_or_skip_conflicts(model: type[Model], columns: list[str], values, instances) -> None:
    """Copy the rows in a savepoint; if one breaks a unique constraint, undo the copy and insert them all
    again, leaving out those that conflict (`instances` builds them as model instances for bulk_create)."""
    try:
        with transaction.atomic():
            copy_rows(model._meta.db_table, columns, values)
    except IntegrityError:
        model.objects.bulk_create(instances(), ignore_conflicts=True)


def copy_through_staging(table: str, columns: Sequence[str], rows, *, on_conflict: str) -> None:
    """Copy rows (tuples of the columns' values, as the database takes them) into a temporary table shaped
    like `table`, then insert them from it with `ON CONFLICT <on_conflict>` (a conflict target and action, or
    "DO NOTHING"). The temporary table is dropped at once, and in any case when the transaction ends, so
    that a rolled-back write leaves none. Four statements, whatever the number of rows."""
    quote = connection.ops.quote_name
    staging = quote(f"{table}_staging")
    listed = ", ".join(quote(column) for column in columns)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {listed} FROM {quote(table)} WITH NO DATA"
        )
        _copy_rows(cursor, f"COPY {staging} ({listed}) FROM STDIN", rows)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({listed}) SELECT {listed} FROM {staging} ON CONFLICT {on_conflict}"
        )
        cursor.execute(f"DROP TABLE {staging}")


def copy_rows(table: str, columns: Sequence[str], rows) -> None:
    """Copy rows (tuples of the columns' values, as the database takes them) into the table: one statement."""
    quote = connection.ops.quote_name
    listed = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        _copy_rows(cursor, f"COPY {quote(table)} ({listed}) FROM STDIN", rows)


def _copy_rows(cursor, sql: str, rows) -> None:
    # COPY goes through the driver's own cursor (Django's has no copy()); where queries are being counted
    # (tests pin them), it counts as the one statement it is, as an insert does, and its errors are Django's
    # (a broken unique constraint is django.db.IntegrityError), as an insert's are.
    counted = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
    with counted, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _ids_taken(model: type[Model], count: int) -> list[int]:
    """`count` new ids from the sequence behind the table's primary key (an identity or serial column)."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(meta.db_table), meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


# Values the driver adapts as they are, and that a field's own preparation returns unchanged (a CharField's
# str, an IntegerField's or a foreign key's int): the row's own value is copied without asking the field.
_AS_IS = (str, int)


def _writer(field):
    """A field's value as COPY takes it: JSON as its text, anything else as the field prepares it to be saved."""
    if isinstance(field, JSONField):
        encoder = field.encoder

        def as_json(value):
            return None if value is None else json.dumps(value, cls=encoder)

        return as_json

    # A moment that knows its time zone is one the field would save as it is (timezone.now(), as most are).
    as_is = (*_AS_IS, datetime.datetime) if isinstance(field, DateTimeField) else _AS_IS

    def prepared(value):
        if value is None or (type(value) in as_is and getattr(value, "tzinfo", True) is not None):
            return value
        return field.get_db_prep_save(value, connection)

    return prepared
