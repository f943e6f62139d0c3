"""Observations in: every row checked, imported all or nothing, re-imports change nothing, and a
correction keeps the value it replaces (ObservationRevision).

Two entry points, one import: `observations_import_csv` for a file (the command and the admin's
upload page), `observations_import_records` for rows that arrive already split into fields (the
API's bulk endpoint). Every row is checked by the same code (`import_check`); on PostgreSQL the good
rows are streamed with COPY and merged in SQL (`import_postgres`), elsewhere merged with the ORM
(`import_python`). Both give the same report for the same rows.
"""

from collections.abc import Iterable, Mapping, Sized
from decimal import Decimal
from typing import Literal

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from core.policies import require
from metrics.policies import can_import_observations
from metrics.services.import_postgres import import_with_copy
from metrics.services.import_python import import_in_python
from metrics.services.import_rows import (
    ImportReport,
    Row,
    RowError,
    Screen,
    TooManyRows,
    UnreadableRow,
    csv_header,
    csv_rows,
    record_rows,
    unstorable_text,
)

Method = Literal["auto", "copy", "python"]


def observations_import_csv(
    *, text: str, label: str = "", actor: AbstractBaseUser | None = None, method: Method = "auto"
) -> ImportReport:
    """Import `school,metric,period,value[,source]` rows (a header first); any bad row refuses them all.

    Errors name rows as a spreadsheet numbers them: the header is row 1. `actor` is the person
    importing, checked against the policy (a management command, run by the operator, passes none).
    `method` picks the way in: "auto" is COPY on PostgreSQL and Python elsewhere.
    """
    if actor is not None:
        require(can_import_observations(actor))
    header_error, reader, header = csv_header(text)
    if header_error is not None:
        report = ImportReport()
        report.refuse([header_error])
        return report
    # Checking each field for unstorable text costs time on large files; one look at the whole text decides.
    rows = csv_rows(reader, header)
    return _import(
        rows,
        at_most=text.count("\n") + 1,
        check_characters=unstorable_text(text),
        label=label,
        method=method,
        none_reason="the file has no data rows",
        first_row=2,
    )


def observations_import_records(
    *,
    records: Iterable[Mapping[str, str | Decimal | None]],
    label: str,
    first_row: int,
    actor: AbstractBaseUser | None = None,
    method: Method = "auto",
) -> ImportReport:
    """Import rows given as mappings with the keys school, metric, period, value and optionally source.

    Errors name a row by its position counted from `first_row` (the API passes 0: list indexes).
    """
    if actor is not None:
        require(can_import_observations(actor))
    rows = record_rows(records, first_row)
    at_most = len(records) if isinstance(records, Sized) else 0
    return _import(
        rows,
        at_most=at_most,
        check_characters=True,
        label=label,
        method=method,
        none_reason="there are no rows",
        first_row=first_row,
    )


def _import(
    rows: Iterable[Row],
    *,
    at_most: int,
    check_characters: bool,
    label: str,
    method: Method,
    none_reason: str,
    first_row: int,
) -> ImportReport:
    report = ImportReport()
    screen = Screen(rows, check_characters=check_characters, at_most=at_most)
    path = import_with_copy if _uses_copy(method) else import_in_python
    try:
        with transaction.atomic():
            path(screen, report=report, label=label, now=timezone.now())
    except (TooManyRows, UnreadableRow) as stopped:  # raised while reading: nothing is kept
        report = ImportReport(rows=screen.count)
        report.refuse([stopped.error])
        return report
    if report.ok and not report.rows:
        report.refuse([RowError(first_row, none_reason)])
    return report


def _uses_copy(method: Method) -> bool:
    if method == "auto":
        return connection.vendor == "postgresql"
    if method == "copy" and connection.vendor != "postgresql":
        raise ValueError("The COPY import needs PostgreSQL.")
    return method == "copy"
