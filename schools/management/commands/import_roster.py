"""import_roster: the district's organization and staff from OneRoster 1.1 or 1.2 CSV files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.roster.imports import roster_import_files
from schools.roster.parse import RosterRefused, roster_files_read


class Command(BaseCommand):
    help = (
        "Import the district's schools and staff from a OneRoster CSV file set (a folder or a .zip holding "
        "manifest.csv, orgs.csv, users.csv and, in 1.2, roles.csv). All or nothing: every bad row is listed "
        "with its file and line. The same files again change nothing. --dry-run shows what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A folder or a .zip with the OneRoster CSV files.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")

    def handle(self, *args, path, dry_run, **options):
        location = Path(path)
        if not location.exists():
            raise CommandError(f"{path}: no such folder or file.")
        try:
            plan = roster_import_files(files=roster_files_read(path=location), dry_run=dry_run)
        except RosterRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(refused.errors)} problem(s) in the roster files.") from None
        self.stdout.write(f"version: {plan.version}")
        self.stdout.write(f"dry_run: {'yes' if dry_run else 'no'}")
        for name, value in plan.counts.items():
            self.stdout.write(f"{name}: {value}")
        self.stdout.write(f"changes: {len(plan.changes)}")
        for change in plan.changes:
            detail = f" ({change.detail})" if change.detail else ""
            self.stdout.write(f"{change.kind} {change.action}: {change.name}{detail}")
