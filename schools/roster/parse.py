"""Reading a OneRoster CSV file set (1EdTech OneRoster 1.1 and 1.2, CSV binding): pure, no database.

Read: `manifest.csv` (manifest.version, oneroster.version 1.1 or 1.2, file.orgs, file.users and in 1.2
file.roles, each bulk, delta or absent), `orgs.csv`, `users.csv` and, in 1.2, `roles.csv`. The other files
of a set (classes, enrollments, courses, demographics…) may be present and are not read: the portal keeps
the district's organization and staff, not its classes.

Of 1.1's users.csv: sourcedId, status, enabledUser, orgSourcedIds, role, username, givenName, familyName,
identifier, email. Of 1.2's: sourcedId, status, enabledUser, username, givenName, familyName,
preferredGivenName and preferredFamilyName (shown in place of the legal names when given), identifier,
email; a person's roles come from roles.csv (userSourcedId, role, roleType primary or secondary,
orgSourcedId, beginDate and endDate: a role outside its dates is not held today). Other columns are
accepted and not read (userMasterIdentifier, grades, password — a password in the file is never used),
as are `metadata.` extension columns; a column the standard does not name is refused.

Every problem is collected, never the first only, each naming its file and line as a spreadsheet numbers
them (the header is line 1), and the set is refused whole (RosterRefused). Text is UTF-8 with or without
a byte order mark; quoted fields may hold commas (orgSourcedIds "s1,s2").
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from schools.roster.columns import (
    MODES,
    ORG_TYPES,
    ORGS_COLUMNS,
    READ_FILES,
    REQUIRED,
    ROLES_COLUMNS,
    STATUSES,
    USERS_COLUMNS,
    VERSIONS,
)

# The largest file set read, zipped or not, and the most rows in one file: a district of 2,000 schools
# and 100,000 staff and students fits with room to spare.
MAX_SET_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class RosterError:
    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line else self.file
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "reason": self.reason}


class RosterRefused(Exception):
    """The file set is refused whole; `errors` names every problem found. `roster` holds the sound rows
    when every file could be read, so that the rows are also checked against the portal and all the
    problems are listed at once."""

    def __init__(self, errors: list[RosterError], *, roster: "Roster | None" = None):
        super().__init__(f"{len(errors)} problem(s) in the roster files")
        self.errors = errors
        self.roster = roster


@dataclass(frozen=True)
class Org:
    sourced_id: str
    status: str
    name: str
    type: str
    identifier: str
    line: int


@dataclass(frozen=True)
class RoleAt:
    org: str
    role: str
    primary: bool
    file: str
    line: int


@dataclass
class Person:
    sourced_id: str
    status: str
    enabled: bool
    username: str
    first_name: str
    last_name: str
    email: str
    line: int
    roles: list[RoleAt] = field(default_factory=list)


@dataclass
class Roster:
    version: str
    modes: dict[str, str]  # orgs, users, roles → bulk, delta or absent
    orgs: list[Org]
    people: list[Person]
    # The sourcedIds of rows refused here: the plan does not report again what points at them.
    skipped: set[str] = field(default_factory=set)


# --- the files ------------------------------------------------------------------------------------------


def roster_files_read(*, path: Path) -> dict[str, bytes]:
    """The CSV files of a set given as a folder or a .zip, by lower-case name (manifest.csv…)."""
    if path.is_dir():
        files = {child.name.lower(): child for child in path.iterdir() if child.suffix.lower() == ".csv"}
        if sum(child.stat().st_size for child in files.values()) > MAX_SET_BYTES:
            raise RosterRefused([RosterError(path.name, None, _too_large())])
        return {name: child.read_bytes() for name, child in files.items()}
    return roster_files_unzip(data=path.read_bytes(), name=path.name)


def roster_files_unzip(*, data: bytes, name: str) -> dict[str, bytes]:
    """The CSV files in a .zip, at its top or in one folder; sizes checked before anything is expanded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
        csvs = [
            info
            for info in members
            if info.filename.lower().endswith(".csv") and "__macosx" not in info.filename.lower()
        ]
        if sum(info.file_size for info in csvs) > MAX_SET_BYTES:
            raise RosterRefused([RosterError(name, None, _too_large())])
        return {Path(info.filename).name.lower(): archive.read(info) for info in csvs}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise RosterRefused([RosterError(name, None, "is not a readable .zip file")]) from None


def _too_large() -> str:
    return f"the files together are larger than {MAX_SET_BYTES // (1024 * 1024)} MB"


# --- the set --------------------------------------------------------------------------------------------


def roster_parse(*, files: dict[str, bytes], today: datetime.date) -> Roster:
    """The set's organizations and people, every row checked; RosterRefused naming every problem."""
    errors: list[RosterError] = []
    manifest = _manifest(files, errors)
    if manifest is None:
        raise RosterRefused(errors)
    version, modes = manifest
    roster = Roster(version=version, modes=modes, orgs=[], people=[])
    readable = True
    if modes["orgs"] != "absent":
        readable &= _orgs(files, roster, errors)
    if modes["users"] != "absent":
        readable &= _users(files, roster, errors)
        if version == "1.2":
            readable &= _roles(files, roster, today, errors)
    if errors:
        raise RosterRefused(errors, roster=roster if readable else None)
    return roster


def _manifest(files: dict[str, bytes], errors: list[RosterError]) -> tuple[str, dict[str, str]] | None:
    name = "manifest.csv"
    if name not in files:
        errors.append(RosterError(name, None, "is missing: every OneRoster file set has one"))
        return None
    table = _table(files, name, ("propertyName", "value"), ("propertyName", "value"), errors)
    if table is None:
        return None
    properties: dict[str, tuple[str, int]] = {}
    for line, row in table:
        key = row["propertyName"]
        if key in properties:
            errors.append(RosterError(name, line, f"{key} is given twice (also on line {properties[key][1]})"))
        properties[key] = (row["value"], line)
    version, version_line = properties.get("oneroster.version", ("", None))
    if not version_line:
        errors.append(RosterError(name, None, "has no oneroster.version row"))
    elif version not in VERSIONS:
        reason = f"oneroster.version is {version!r}; the portal reads 1.1 and 1.2"
        errors.append(RosterError(name, version_line, reason))
    if "manifest.version" not in properties:
        errors.append(RosterError(name, None, "has no manifest.version row"))
    modes = {}
    for kind in READ_FILES:
        if kind == "roles" and version != "1.2":
            modes[kind] = "absent"
            continue
        mode, line = properties.get(f"file.{kind}", ("", None))
        if not line:
            errors.append(RosterError(name, None, f"has no file.{kind} row (bulk, delta or absent)"))
            continue
        if mode not in MODES:
            errors.append(RosterError(name, line, f"file.{kind} is {mode!r}; write bulk, delta or absent"))
            continue
        if mode != "absent" and f"{kind}.csv" not in files:
            errors.append(RosterError(name, line, f"names {kind}.csv as {mode}, and the set has no {kind}.csv"))
        modes[kind] = mode
    if version == "1.2" and modes.get("users", "absent") != "absent" and modes.get("roles") == "absent":
        errors.append(RosterError(name, None, "file.roles is absent: in 1.2 a person's roles are in roles.csv"))
    if errors:
        return None
    return version, modes


def _table(
    files: dict[str, bytes], name: str, columns: tuple[str, ...], required: tuple[str, ...], errors: list[RosterError]
) -> list[tuple[int, dict[str, str]]] | None:
    """The rows of one file as (line, {column: stripped text}); None when the file cannot be read."""
    try:
        text = files[name].decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.append(RosterError(name, None, "is not UTF-8 text; save it as “CSV UTF-8”"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        errors.append(RosterError(name, 1, f"cannot be read as CSV ({error})"))
        return None
    if not header:
        errors.append(RosterError(name, 1, "is empty: the first line names the columns"))
        return None
    header = [cell.strip() for cell in header]
    by_lower = {column.lower(): column for column in columns}
    names = [by_lower.get(cell.lower(), cell) for cell in header]
    problems = []
    missing = [column for column in required if column not in names]
    unknown = [cell for cell in names if cell not in columns and not cell.lower().startswith("metadata.")]
    twice = sorted({cell for cell in names if names.count(cell) > 1})
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"column(s) the standard does not name: {', '.join(unknown)}")
    if twice:
        problems.append(f"column(s) named twice: {', '.join(twice)}")
    if problems:
        errors.append(RosterError(name, 1, "; ".join(problems)))
        return None
    rows = []
    line = 1
    try:
        for line, record in enumerate(reader, 2):
            if line > MAX_ROWS + 1:
                errors.append(RosterError(name, line, f"has more than {MAX_ROWS:,} rows"))
                return None
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(names):
                errors.append(RosterError(name, line, f"has {len(record)} fields; the header names {len(names)}"))
                continue
            record = record + [""] * (len(names) - len(record))
            rows.append((line, {column: cell.strip() for column, cell in zip(names, record, strict=True)}))
    except csv.Error as error:
        errors.append(RosterError(name, line + 1, f"cannot be read as CSV ({error})"))
        return None
    return rows


def _common(name: str, line: int, row: dict[str, str], seen: dict[str, int], errors: list[RosterError]) -> bool:
    """The sourcedId (present, not repeated) and status every file shares; False if the row is bad."""
    ok = True
    sourced_id = row["sourcedId"]
    if not sourced_id:
        errors.append(RosterError(name, line, "sourcedId is empty"))
        ok = False
    elif sourced_id in seen:
        errors.append(RosterError(name, line, f"sourcedId {sourced_id!r} is also on line {seen[sourced_id]}"))
        ok = False
    else:
        seen[sourced_id] = line
    if row.get("status", "") not in STATUSES:
        errors.append(RosterError(name, line, f"status is {row['status']!r}; write active or tobedeleted"))
        ok = False
    return ok


def _orgs(files: dict[str, bytes], roster: Roster, errors: list[RosterError]) -> bool:
    """The sound rows of orgs.csv onto the roster; False when the file cannot be read at all."""
    name = "orgs.csv"
    table = _table(files, name, ORGS_COLUMNS, REQUIRED["orgs"], errors)
    seen: dict[str, int] = {}
    for line, row in table or []:
        ok = _common(name, line, row, seen, errors)
        if not row["name"] and row["status"] != "tobedeleted":
            errors.append(RosterError(name, line, "name is empty"))
            ok = False
        if row["type"] not in ORG_TYPES:
            errors.append(RosterError(name, line, f"type is {row['type']!r}; write one of {', '.join(ORG_TYPES)}"))
            ok = False
        if ok:
            roster.orgs.append(Org(row["sourcedId"], row["status"], row["name"], row["type"], row["identifier"], line))
        else:
            roster.skipped.add(row["sourcedId"])
    return table is not None


def _users(files: dict[str, bytes], roster: Roster, errors: list[RosterError]) -> bool:
    """The sound rows of users.csv onto the roster; False when the file cannot be read at all."""
    name, version = "users.csv", roster.version
    table = _table(files, name, USERS_COLUMNS[version], REQUIRED[f"users.{version}"], errors)
    seen: dict[str, int] = {}
    for line, row in table or []:
        ok = _common(name, line, row, seen, errors)
        enabled = row["enabledUser"].lower()
        if enabled not in ("true", "false"):
            errors.append(RosterError(name, line, f"enabledUser is {row['enabledUser']!r}; write true or false"))
            ok = False
        if not row["username"]:
            errors.append(RosterError(name, line, "username is empty"))
            ok = False
        first = row.get("preferredGivenName") or row["givenName"]
        last = row.get("preferredFamilyName") or row["familyName"]
        person = Person(
            sourced_id=row["sourcedId"],
            status=row["status"],
            enabled=enabled == "true",
            username=row["username"][:150],
            first_name=first[:150],
            last_name=last[:150],
            email=row["email"][:254],
            line=line,
        )
        if version == "1.1":
            orgs = [org.strip() for org in row["orgSourcedIds"].split(",") if org.strip()]
            if not row["role"]:
                errors.append(RosterError(name, line, "role is empty"))
                ok = False
            if not orgs:
                errors.append(RosterError(name, line, "orgSourcedIds is empty"))
                ok = False
            person.roles = [RoleAt(org, row["role"], True, name, line) for org in orgs]
        if ok:
            roster.people.append(person)
        else:
            roster.skipped.add(row["sourcedId"])
    return table is not None


def _roles(files: dict[str, bytes], roster: Roster, today: datetime.date, errors: list[RosterError]) -> bool:
    """1.2's roles.csv, each role held today added to its person; False when the file cannot be read."""
    name = "roles.csv"
    table = _table(files, name, ROLES_COLUMNS, REQUIRED["roles"], errors)
    by_id = {person.sourced_id: person for person in roster.people}
    seen: dict[str, int] = {}
    for line, row in table or []:
        ok = _common(name, line, row, seen, errors)
        person = by_id.get(row["userSourcedId"])
        if person is None and row["userSourcedId"] in roster.skipped:
            ok = False  # its person's row is refused already
        elif person is None:
            errors.append(RosterError(name, line, f"userSourcedId {row['userSourcedId']!r} is not in users.csv"))
            ok = False
        if row["roleType"] not in ("primary", "secondary"):
            errors.append(RosterError(name, line, f"roleType is {row['roleType']!r}; write primary or secondary"))
            ok = False
        if not row["role"]:
            errors.append(RosterError(name, line, "role is empty"))
            ok = False
        dates = {}
        for column in ("beginDate", "endDate"):
            try:
                dates[column] = datetime.date.fromisoformat(row[column]) if row[column] else None
            except ValueError:
                errors.append(RosterError(name, line, f"{column} is {row[column]!r}; write a date as 2026-07-01"))
                ok = False
        if not ok or row["status"] == "tobedeleted":
            continue
        if (dates["beginDate"] and dates["beginDate"] > today) or (dates["endDate"] and dates["endDate"] < today):
            continue  # not held today
        person.roles.append(RoleAt(row["orgSourcedId"], row["role"], row["roleType"] == "primary", name, line))
    return table is not None
