from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metrics.services import observations_import_csv


class Command(BaseCommand):
    help = (
        "Import observations from a CSV file with columns school,metric,period,value[,source]. "
        "All or nothing: one bad row refuses the file, and every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8).")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            # newline="": the text as the upload page reads it, line endings and all, so both refuse the same rows.
            with path.open(encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not a UTF-8 text file.") from None
        except IsADirectoryError:
            raise CommandError(f"{file}: a folder, not a file.") from None
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
