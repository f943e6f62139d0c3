"""Reading observation rows for an import: the CSV header, each row as stripped text, and the report.

Both ways of importing (SQL on PostgreSQL, Python elsewhere) read their rows through here, so they
see exactly the same text: a row is `(row number, school, metric, period, value, source, n)`, every
field a `str` stripped as Python strips it. Row numbers are what a spreadsheet shows: the header is
row 1, blank lines count but are skipped.
"""

import csv
import heapq
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

COLUMNS = ("school", "metric", "period", "value", "source", "n")
REQUIRED_COLUMNS = COLUMNS[:4]
MAX_ROWS = 2_000_000
# A report names every bad row, but a page or a terminal can only show so many: the first ones, in row
# order, and how many more there are.
MAX_LISTED_ERRORS = 1_000

Row = tuple[int, str, str, str, str, str, str]


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_LISTED_ERRORS bad rows, in row order
    error_count: int = 0  # every bad row, listed or not

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def unlisted_errors(self) -> int:
        return self.error_count - len(self.errors)

    def refuse(self, errors: list[RowError], *, count: int | None = None) -> None:
        """Record the bad rows (already in row order) that refuse the whole import."""
        self.errors = errors[:MAX_LISTED_ERRORS]
        self.error_count = len(errors) if count is None else count
        self.created = self.updated = self.unchanged = 0


class TooManyRows(Exception):
    def __init__(self, row: int):
        super().__init__(row)
        self.error = RowError(row, f"there are more than {MAX_ROWS:,} rows; split them into smaller imports")


class UnreadableRow(Exception):
    """A row the CSV reader cannot split into fields: the import stops there and refuses the file."""

    def __init__(self, row: int, error: csv.Error):
        super().__init__(row)
        self.error = RowError(row, unreadable_reason(error))


# The csv module's own limit on one field; a longer one is refused, never read.
MAX_FIELD_CHARS = csv.field_size_limit()


def unreadable_reason(error: csv.Error) -> str:
    """What a person can fix, for the csv module's errors: the module names no row and speaks of files."""
    message = str(error)
    if "new-line character" in message:
        return (
            "holds a carriage return (CR) outside quotes: a line ending in a bare CR or a stray CR inside a "
            "field; save the file again as “CSV UTF-8”"
        )
    if "field larger than field limit" in message:
        return f"has a field longer than {MAX_FIELD_CHARS:,} characters"
    return f"cannot be read as CSV ({message})"


def csv_header(
    text: str, *, columns: tuple[str, ...] = COLUMNS, required: tuple[str, ...] = REQUIRED_COLUMNS
) -> tuple[RowError | None, Iterator[list[str]] | None, list[str]]:
    """The CSV reader positioned after the header, and the header's names; or what is wrong with the header.

    `columns` and `required` default to the observations'; another import (enrollment) names its own, so
    every file the portal reads is read, and refused, by the same rules.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return RowError(1, "the file is empty"), None, []
    reader = csv.reader(io.StringIO(text))
    try:
        first = next(reader)
    except csv.Error as error:
        return RowError(1, unreadable_reason(error)), None, []
    # A blank name (a trailing comma, an empty spreadsheet column) marks cells that are not read.
    header = [name.strip().lower() for name in first]
    problems = []
    missing = [column for column in required if column not in header]
    unknown = [name for name in header if name and name not in columns]
    twice = sorted({name for name in header if name in columns and header.count(name) > 1})
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(columns)}")
    if twice:
        problems.append(f"column(s) named twice: {', '.join(twice)}")
    if problems:
        return RowError(1, "; ".join(problems)), None, header
    return None, reader, header


def csv_rows(reader: Iterator[list[str]], header: list[str]) -> Iterator[Row]:
    """Rows from row 2 on; a short row reads as blanks, extra cells beyond the header are ignored."""
    width = len(header)
    school, metric, period, value = (header.index(column) for column in REQUIRED_COLUMNS)
    source = header.index("source") if "source" in header else None
    n = header.index("n") if "n" in header else None
    # Unrolled for the shapes of header: this loop runs once per row of files of a million rows.
    line = 1
    try:
        for line, record in enumerate(reader, 2):
            if not record:
                continue
            if len(record) < width:
                record.extend([""] * (width - len(record)))
            yield (
                line,
                record[school].strip(),
                record[metric].strip(),
                record[period].strip(),
                record[value].strip(),
                "" if source is None else record[source].strip(),
                "" if n is None else record[n].strip(),
            )
    except csv.Error as error:  # raised reading the row after the last one read
        raise UnreadableRow(line + 1, error) from None


def csv_fields(reader: Iterator[list[str]], header: list[str], columns: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """`(row number, *the columns' stripped text)` from row 2 on, for an import other than the observations'
    (whose own loop, csv_rows, is unrolled for speed): the same blank lines skipped, short rows read as
    blanks, columns missing from the header read as blanks, and the same refusal of an unreadable row."""
    width = len(header)
    indexes = [header.index(column) if column in header else None for column in columns]
    line = 1
    try:
        for line, record in enumerate(reader, 2):
            if not record:
                continue
            if len(record) < width:
                record.extend([""] * (width - len(record)))
            yield (line, *("" if index is None else record[index].strip() for index in indexes))
    except csv.Error as error:  # raised reading the row after the last one read
        raise UnreadableRow(line + 1, error) from None


def record_rows(records: Iterable[Mapping[str, str | Decimal | None]], first_row: int) -> Iterator[Row]:
    for line, record in enumerate(records, first_row):
        yield (line, *(_text(record.get(column)) for column in COLUMNS))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def unstorable_text(text: str) -> bool:
    """Whether the text holds what no database column stores: a NUL, or half of a UTF-16 surrogate pair."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Screen:
    """Counts the rows, stops at MAX_ROWS, and sets aside rows whose text no database can store.

    Those rows are refused here, before either path sees them, with one reason; every other check is
    the path's. Checking each field costs time on large files, so a caller that knows the whole text
    is clean says so (`check_characters=False`).
    """

    def __init__(self, rows: Iterable[Row], *, check_characters: bool, at_most: int = 0):
        self._rows = rows
        self._check = check_characters
        # As many rows as there can be, when the caller knows (the lines of a file), else 0: a path may
        # choose how to write by it before reading them.
        self.at_most = at_most
        self.count = 0
        self.errors: list[RowError] = []

    def __iter__(self) -> Iterator[Row]:
        count, check = 0, self._check
        try:
            for row in self._rows:
                count += 1
                if count > MAX_ROWS:
                    raise TooManyRows(row[0])
                if check and any(unstorable_text(text) for text in row[1:]):
                    self.errors.append(RowError(row[0], _unstorable_reason(row[1:])))
                    continue
                yield row
        finally:
            self.count = count


def _unstorable_reason(fields) -> str:
    if any("\x00" in text for text in fields):
        return "contains a NUL character"
    return "contains characters that are not valid text (broken UTF-16 surrogates)"


def first_errors(*sorted_lists: list[RowError]) -> list[RowError]:
    """The first MAX_LISTED_ERRORS of several lists each in row order, in row order."""
    return list(islice(heapq.merge(*sorted_lists, key=lambda error: error.row), MAX_LISTED_ERRORS))
