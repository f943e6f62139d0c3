"""import_enrollment: load one enrollment snapshot from a CSV file, as finance does on the upload page."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgeting.models import SnapshotKind
from budgeting.services.enrollment import enrollment_import
from core.errors import ApplicationError
from metrics.management.commands.import_observations import read_csv_text, refuse_bad_rows
from schools.models import SchoolYear


class Command(BaseCommand):
    help = (
        "Import a school year's enrollment from a CSV file with columns school,category,students. "
        "All or nothing: one bad row refuses the file, and every bad row is listed. "
        "The same file again for the same year, kind and date changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8).")
        parser.add_argument("--year", required=True, help="The school year counted, as 2027-28.")
        parser.add_argument("--kind", required=True, choices=SnapshotKind.values, help="Projected or official.")
        parser.add_argument("--as-of", required=True, dest="as_of", help="The day counted, as 2027-03-01.")

    def handle(self, *args, file, year, kind, as_of, **options):
        school_year = SchoolYear.objects.filter(label=year).first()
        if school_year is None:
            raise CommandError(f"--year: there is no school year {year!r} (as 2027-28).")
        try:
            day = datetime.date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(f"--as-of: {as_of!r} is not a date written as YYYY-MM-DD.") from None
        path = Path(file)
        text = read_csv_text(path)
        try:
            report = enrollment_import(
                actor=None, school_year=school_year, kind=kind, as_of=day, text=text, label=path.name
            )
        except ApplicationError as refused:
            raise CommandError(f"Nothing imported: {refused.message}") from None
        refuse_bad_rows(report, self.stderr)
        snapshot = report.snapshot
        if report.no_changes:
            self.stdout.write(f"No changes: {snapshot} already holds these {report.rows} count(s).")
            return
        self.stdout.write(
            f"Imported {report.rows} row(s) into {snapshot}: {report.schools:,} school(s), "
            f"{report.students:,} student(s); {report.created} new, {report.updated} changed, "
            f"{report.removed} removed, {report.unchanged} unchanged."
        )
