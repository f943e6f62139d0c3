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


def refuse_bad_rows(report, stderr) -> None:
    """A file refused (report.ok false): every bad row listed on stderr, as the upload page lists them, and
    the command fails; the enrollment import refuses its files through here too."""
    if report.ok:
        return
    for error in report.errors:
        stderr.write(str(error))
    if report.unlisted_errors:
        stderr.write(f"… and {report.unlisted_errors:,} more bad row(s), not listed.")
    raise CommandError(f"Nothing imported: {report.error_count} bad row(s) in {report.rows} row(s).")


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
        refuse_bad_rows(report, self.stderr)
        self.stdout.write(
            f"Imported {report.rows} row(s): {report.created} new, {report.updated} corrected, "
            f"{report.unchanged} unchanged."
        )
