"""Enrollment in: snapshots imported from a file, projected from earlier years, adjusted one count at a time.

A snapshot is what allocations are computed on, so the rules protect what was computed:
- an import is all or nothing, and every bad row is named (read by the same CSV rules as the
  observation import, metrics.services.import_rows: bare CRs, over-long fields, too many rows, NULs);
- re-importing the same counts for the same (year, kind, day) changes nothing and says so;
- different counts for the same day replace the snapshot's counts in one transaction, but only while no
  allocation set was computed on it: after that a changed count would make its allocations lie;
- a projected snapshot can be adjusted by hand (finance knows a new housing estate opens); an official
  count cannot: it is what was counted, and is corrected by importing the corrected file.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from budgeting.models import CategoryKind, EnrollmentCategory, EnrollmentCount, EnrollmentSnapshot, SnapshotKind
from budgeting.models import SnapshotSource as Source
from budgeting.policies import can_manage_budgeting
from budgeting.services.enrollment_projection import YearCounts, district_projection
from core.errors import ApplicationError, Conflict
from core.limits import SHORT_TEXT
from core.parsing import parse_id
from core.policies import require
from metrics.services.import_rows import (
    MAX_LISTED_ERRORS,
    ImportReport,
    RowError,
    Screen,
    TooManyRows,
    UnreadableRow,
    csv_fields,
    csv_header,
    first_errors,
    unstorable_text,
)
from metrics.services.import_rules import shown
from schools.models import School, SchoolYear

COLUMNS = ("school", "category", "students")
# More students than any school has in one category: a typing slip (an extra zero), not a count.
MAX_STUDENTS = 100_000
USED_BY_ALLOCATIONS = (
    "Allocations were computed on this snapshot: its counts stay as they were. "
    "Import the new counts under another date and compute a true-up on them."
)
OFFICIAL_NOT_ADJUSTED = "An official count is not changed by hand: import the corrected file for its date instead."
BATCH = 1000
CREATED, REPLACED, UNCHANGED = "created", "replaced", "unchanged"

Counts = dict[tuple[int, int], int]  # (school id, category id) → students


@dataclass
class EnrollmentImportReport(ImportReport):
    """The observation import's report (rows, bad rows), plus what happened to the snapshot: `created`,
    `replaced` (its counts changed) or `unchanged` (the same counts again: "no changes")."""

    snapshot: EnrollmentSnapshot | None = None
    outcome: str = ""
    removed: int = 0
    schools: int = 0
    students: int = 0

    @property
    def no_changes(self) -> bool:
        return self.outcome == UNCHANGED


def enrollment_import(
    *,
    actor: AbstractBaseUser | None,
    school_year: SchoolYear,
    kind: str,
    as_of,
    text: str | None = None,
    rows: Iterable[Mapping[str, object]] | None = None,
    label: str = "",
) -> EnrollmentImportReport:
    """Import `school,category,students` rows as the (year, kind, day) snapshot, all or nothing.

    Give the file's `text` (a header first; rows are numbered as a spreadsheet shows them, the header
    being row 1) or `rows` already split into mappings (numbered from 2, as if under a header). `actor`
    is checked against the policy; a management command, run by the operator, passes None.
    """
    if actor is not None:
        require(can_manage_budgeting(actor))
    if kind not in SnapshotKind.values:
        raise ApplicationError("Choose projected or official.", fields={"kind": ["Choose projected or official."]})
    report = EnrollmentImportReport()
    if text is not None:
        header_error, reader, header = csv_header(text, columns=COLUMNS, required=COLUMNS)
        if header_error is not None:
            report.refuse([header_error])
            return report
        screen = Screen(csv_fields(reader, header, COLUMNS), check_characters=unstorable_text(text))
    else:
        screen = Screen(_record_fields(rows or ()), check_characters=True)
    try:
        counts, errors, error_count = _checked_counts(screen)
    except (TooManyRows, UnreadableRow) as stopped:  # raised while reading: nothing is kept
        report.rows = screen.count
        report.refuse([stopped.error])
        return report
    report.rows = screen.count
    if error_count or screen.errors:
        report.refuse(first_errors(screen.errors, errors), count=error_count + len(screen.errors))
        return report
    if not counts:
        report.refuse([RowError(2, "the file has no data rows")])
        return report
    _write(
        report,
        school_year=school_year,
        kind=kind,
        as_of=as_of,
        source=Source.IMPORT,
        label=label,
        actor=actor,
        counts=counts,
    )
    return report


def enrollment_project(*, actor: AbstractBaseUser | None, school_year: SchoolYear, as_of) -> EnrollmentImportReport:
    """Write the year's PROJECTED snapshot for `as_of` from the three school years before it, each by its
    latest official count (the rule: budgeting.services.enrollment_projection). The year just before
    must have been counted; the projection replaces an earlier projection of the same day on the same
    terms as an import (not once allocations use it)."""
    if actor is not None:
        require(can_manage_budgeting(actor))
    counted, years = _official_history(school_year)
    grade_order = list(EnrollmentCategory.objects.filter(kind=CategoryKind.GRADE).values_list("pk", flat=True))
    projected = district_projection(years, grade_order=grade_order)
    counts = {(school, category): n for school, by_category in projected.items() for category, n in by_category.items()}
    if not counts:
        message = f"The official count of {counted[0]} has no students by grade band to project from."
        raise ApplicationError(message, fields={"school_year": [message]})
    report = EnrollmentImportReport(rows=len(counts))
    _write(
        report,
        school_year=school_year,
        kind=SnapshotKind.PROJECTED,
        as_of=as_of,
        source=Source.PROJECTION,
        label=f"Projected from official counts of {', '.join(counted)}",
        actor=actor,
        counts=counts,
    )
    return report


def _official_history(school_year: SchoolYear) -> tuple[list[str], list[YearCounts | None]]:
    """The labels of the years counted (newest first), and the counts of the three years before
    `school_year`, oldest first, each by its latest official snapshot (None for a year never counted)."""
    earlier = list(SchoolYear.objects.filter(start_date__lt=school_year.start_date).order_by("-start_date")[:3])
    if not earlier:
        message = f"There is no school year before {school_year.label} to project it from."
        raise ApplicationError(message, fields={"school_year": [message]})
    latest = {}
    official = EnrollmentSnapshot.objects.filter(school_year__in=earlier, kind=SnapshotKind.OFFICIAL)
    for snapshot in official.order_by("as_of", "pk"):
        latest[snapshot.school_year_id] = snapshot.pk  # the last one of each year wins
    if earlier[0].pk not in latest:
        message = (
            f"There is no official count of {earlier[0].label} to project {school_year.label} from: import it first."
        )
        raise ApplicationError(message, fields={"school_year": [message]})
    oldest_first = list(reversed(earlier))
    years: list[YearCounts | None] = [{} if year.pk in latest else None for year in oldest_first]
    position = {latest[year.pk]: index for index, year in enumerate(oldest_first) if year.pk in latest}
    rows = EnrollmentCount.objects.filter(snapshot_id__in=position)
    for snapshot_id, school_id, category_id, students in rows.values_list(
        "snapshot_id", "school_id", "category_id", "students"
    ):
        years[position[snapshot_id]].setdefault(school_id, {})[category_id] = students
    return [year.label for year in earlier if year.pk in latest], years


def enrollment_count_set(
    *,
    actor: AbstractBaseUser,
    snapshot: EnrollmentSnapshot,
    school: School,
    category: EnrollmentCategory,
    students: int,
) -> EnrollmentCount:
    """Set one school's students in one category of a projected snapshot (a count not there yet is added).
    Under the snapshot's row lock, as an import's replacement is: the two take turns."""
    require(can_manage_budgeting(actor))
    if isinstance(students, bool) or not isinstance(students, int) or not 0 <= students <= MAX_STUDENTS:
        message = f"Students is a whole number from 0 to {MAX_STUDENTS:,}."
        raise ApplicationError(message, fields={"students": [message]})
    with transaction.atomic():
        locked = EnrollmentSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        if refusal := snapshot_adjust_refusal(locked):
            raise (Conflict if refusal == USED_BY_ALLOCATIONS else ApplicationError)(refusal)
        count, _ = EnrollmentCount.objects.update_or_create(
            snapshot=locked, school=school, category=category, defaults={"students": students}
        )
    return count


def snapshot_adjust_refusal(snapshot: EnrollmentSnapshot) -> str | None:
    """Why a snapshot's counts cannot be adjusted by hand, or None: the one home of the rule, asked by the
    service (under the row lock) and by the snapshot page (to offer the adjustment or say why not)."""
    if snapshot.kind == SnapshotKind.OFFICIAL:
        return OFFICIAL_NOT_ADJUSTED
    if snapshot.allocation_sets.exists():
        return USED_BY_ALLOCATIONS
    return None


def _record_fields(records: Iterable[Mapping[str, object]]) -> Iterator[tuple[str, ...]]:
    for line, record in enumerate(records, 2):
        yield (line, *("" if record.get(column) is None else str(record.get(column)).strip() for column in COLUMNS))


def _checked_counts(rows: Iterable[tuple[str, ...]]) -> tuple[Counts, list[RowError], int]:
    """Every row checked alone, then every school as a whole; the counts only when nothing is wrong."""
    schools = dict(School.objects.values_list("code", "pk"))
    categories = {category.code: category for category in EnrollmentCategory.objects.all()}
    first_row_of: dict[tuple[int, int], int] = {}
    counts: Counts = {}
    problems_at: dict[int, list[str]] = {}
    school_rows: dict[int, tuple[int, str]] = {}  # school id → its first row, its code as written
    grade_rows: set[int] = set()
    for line, school_code, category_code, raw in rows:
        problems = []
        school_id = schools.get(school_code)
        if not school_code:
            problems.append("school is empty")
        elif school_id is None:
            problems.append(f"unknown school '{shown(school_code)}'")
        category = categories.get(category_code)
        if not category_code:
            problems.append("category is empty")
        elif category is None:
            problems.append(f"unknown category '{shown(category_code)}'; the categories are {', '.join(categories)}")
        students, problem = _students(raw)
        if problem:
            problems.append(problem)
        if school_id is not None:
            school_rows.setdefault(school_id, (line, school_code))
            if category is not None and category.kind == CategoryKind.GRADE:
                grade_rows.add(school_id)
        if not problems:
            first = first_row_of.setdefault((school_id, category.pk), line)
            if first != line:
                problems.append(f"duplicate of row {first} ({school_code}, {category_code})")
            else:
                counts[(school_id, category.pk)] = students
        if problems:
            problems_at[line] = problems
    _check_schools(counts, categories.values(), school_rows, grade_rows, problems_at, first_row_of)
    errors = [RowError(line, "; ".join(problems)) for line, problems in sorted(problems_at.items())]
    return ({} if errors else counts), errors[:MAX_LISTED_ERRORS], len(errors)


def _students(raw: str) -> tuple[int | None, str | None]:
    """ASCII digits only (core.parsing): "٣" or "３" would read as a number no spreadsheet shows."""
    if not raw:
        return None, "students is empty"
    if raw.startswith("-") and parse_id(raw[1:]) is not None:
        return None, f"students {shown(raw)} is negative; a count is 0 or more"
    number = parse_id(raw)
    if number is None:
        return None, f"students '{shown(raw)}' is not a whole number"
    if number > MAX_STUDENTS:
        return None, f"students {shown(raw)} is more than {MAX_STUDENTS:,}: check for a typing slip"
    return number, None


def _check_schools(counts: Counts, categories, school_rows, grade_rows: set[int], problems_at, first_row_of) -> None:
    """A school's students are counted by grade band (bands partition them, needs overlap): a school with
    no grade band row has no students the formula can fund, and a need cannot count more students than
    the school has. `grade_rows` are the schools with a grade band row, good or bad (a bad one says why)."""
    grade_ids = {category.pk for category in categories if category.kind == CategoryKind.GRADE}
    codes = {category.pk: category.code for category in categories}
    totals: dict[int, int] = {}
    for (school_id, category_id), students in counts.items():
        if category_id in grade_ids:
            totals[school_id] = totals.get(school_id, 0) + students
    bands = ", ".join(code for pk, code in codes.items() if pk in grade_ids)
    for school_id, (line, code) in school_rows.items():
        if school_id not in grade_rows:
            problems_at.setdefault(line, []).append(
                f"school {shown(code)} has no grade band rows ({bands}): "
                "every school's students are counted by grade band"
            )
    for (school_id, category_id), students in counts.items():
        if category_id not in grade_ids and school_id in grade_rows and students > totals.get(school_id, 0):
            problems_at.setdefault(first_row_of[(school_id, category_id)], []).append(
                f"{students:,} students in {codes[category_id]} but the school has {totals.get(school_id, 0):,} "
                "by grade band"
            )


def _write(report: EnrollmentImportReport, *, school_year, kind, as_of, source, label, actor, counts: Counts) -> None:
    """Create the snapshot, or bring an existing one's counts to `counts` (nothing written if they are
    already so), in one transaction under the snapshot's row lock."""
    report.schools = len({school for school, _ in counts})
    grade_ids = set(EnrollmentCategory.objects.filter(kind=CategoryKind.GRADE).values_list("pk", flat=True))
    report.students = sum(n for (_, category), n in counts.items() if category in grade_ids)
    try:
        with transaction.atomic():
            snapshot, made = EnrollmentSnapshot.objects.get_or_create(
                school_year=school_year,
                kind=kind,
                as_of=as_of,
                defaults={"source": source, "label": label[:SHORT_TEXT], "created_by": actor},
            )
            snapshot = EnrollmentSnapshot.objects.select_for_update().get(pk=snapshot.pk)
            report.snapshot = snapshot
            existing = {
                (school, category): (pk, students)
                for pk, school, category, students in snapshot.counts.values_list(
                    "pk", "school_id", "category_id", "students"
                )
            }
            created = [key for key in counts if key not in existing]
            changed = [key for key in counts if key in existing and existing[key][1] != counts[key]]
            removed = [pk for key, (pk, _) in existing.items() if key not in counts]
            report.unchanged = len(counts) - len(created) - len(changed)
            if not made and not (created or changed or removed):
                report.outcome = UNCHANGED
                return
            if not made and snapshot.allocation_sets.exists():
                raise Conflict(USED_BY_ALLOCATIONS)
            EnrollmentCount.objects.filter(pk__in=removed).delete()
            EnrollmentCount.objects.bulk_create(
                [
                    EnrollmentCount(snapshot=snapshot, school_id=s, category_id=c, students=counts[s, c])
                    for s, c in created
                ],
                batch_size=BATCH,
            )
            updates = [EnrollmentCount(pk=existing[key][0], students=counts[key]) for key in changed]
            EnrollmentCount.objects.bulk_update(updates, ["students"], batch_size=BATCH)
            if not made:
                snapshot.source, snapshot.label = source, label[:SHORT_TEXT]
                snapshot.save(update_fields=["source", "label", "updated_at"])
    except IntegrityError:  # somebody created the same snapshot at the same moment
        raise Conflict("Somebody imported this snapshot at the same moment: reload and check it.") from None
    report.created, report.updated, report.removed = len(created), len(changed), len(removed)
    report.outcome = CREATED if made else REPLACED
