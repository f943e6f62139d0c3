"""Inserting many rows that carry long text or JSON, on PostgreSQL, at the cost libpq sets rather than Python.

Django 5.2 inserts a batch on PostgreSQL as UNNEST of one array per column, and with parameters bound on the
client the driver quotes each array in Python, one regular-expression substitution per quote character: a
row of JSON evidence or of a notice's text holds hundreds, and a night's thousands of flags, findings and
messages paid about a second for it. With any SQL expression among the values Django writes a plain VALUES
list instead, whose parameters libpq quotes in C, three to four times faster. The expression is the first
row's own value of one column, as a literal: the rows written are the same. Rows whose ids are not needed
back are cheaper still copied in (bulk_copy).
"""

import json
from contextlib import nullcontext

from django.db import connection
from django.db.models import JSONField, Model, Value


def bulk_insert(model: type[Model], rows: list[Model], *, literal: str, **options) -> list[Model]:
    """`model.objects.bulk_create(rows, **options)`, written as a VALUES list (above). `literal` names a
    column whose value the first row has set (not a default the database fills in)."""
    if not rows:
        return rows
    first = rows[0]
    value = getattr(first, literal)
    setattr(first, literal, Value(value, output_field=model._meta.get_field(literal)))
    try:
        return model.objects.bulk_create(rows, **options)
    finally:
        setattr(first, literal, value)


def bulk_copy(model: type[Model], rows: list[Model]) -> None:
    """Insert rows whose ids nobody needs back, on PostgreSQL by COPY: no SQL text to build or quote at all
    (tens of thousands of rows with JSON in a nightly run); elsewhere by bulk_create. Defaults and
    auto_now_add are filled in as a save would; conflicts are errors, as with bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        # COPY goes through the driver's own cursor (Django's has no copy()); where queries are being
        # counted (tests pin them), it counts as the one statement it is, as the insert does elsewhere.
        counted = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        with counted, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([_copied(field, field.pre_save(row, True)) for field in fields])


def _copied(field, value):
    if value is None:
        return None
    if isinstance(field, JSONField):
        return json.dumps(value, cls=field.encoder)
    return field.get_db_prep_save(value, connection)
