from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metrics.services import observations_import_csv


def read_csv_text(path: Path) -> str:
    """The file's text as the upload page reads it (newline="": line endings and all, so both refuse the same
    rows); the enrollment import reads its files through here too."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not a UTF-8 text file.") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: a folder, not a file.") from None


class Command(BaseCommand):
    help = (
        "Import observations from a CSV file with columns school,metric,period,value[,source]. "
        "All or nothing: one bad row refuses the file, and every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8).")

    def handle(self, *args, file, **options):
        path = Path(file)
        text = read_csv_text(path)
        report = observations_import_csv(text=text, label=path.name)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            if report.unlisted_errors:
                self.stderr.write(f"… and {report.unlisted_errors:,} more bad row(s), not listed.")
            raise CommandError(f"Nothing imported: {report.error_count} bad row(s) in {report.rows} row(s).")
        self.stdout.write(
            f"Imported {report.rows} row(s): {report.created} new, {report.updated} corrected, "
            f"{report.unchanged} unchanged."
        )
