import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accountability.models import RunStatus
from accountability.services import SUMMARY_KEYS, RunInProgress, RunTrigger, evaluation_run
from core.errors import ApplicationError


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: '{value}' is not a date written as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Evaluate every active contract's benchmarks as of a date (the nightly job, synchronously)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="The date to evaluate as of, YYYY-MM-DD (default: today).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Compute and print what a run would do, and change nothing."
        )

    def handle(self, *args, as_of=None, as_json=False, dry_run=False, **options):
        day = _date(as_of) if as_of else timezone.localdate()
        try:
            run = evaluation_run(as_of=day, trigger=RunTrigger.MANUAL, dry_run=dry_run)
        except RunInProgress as busy:
            raise CommandError(str(busy)) from None
        except ApplicationError as refused:
            raise CommandError(f"--as-of: {refused.message}") from None
        if run.status == RunStatus.FAILED:  # attempts kept dying with their worker: the run says why
            raise CommandError(run.error)
        summary = {key: run.counts.get(key, 0) for key in SUMMARY_KEYS}
        if as_json:
            self.stdout.write(json.dumps(summary))
        else:
            for key, value in summary.items():
                self.stdout.write(f"{key}: {value}")
            if run.status == RunStatus.HELD:
                # Held is a normal outcome, not an error: an admin confirms or discards it on the page.
                self.stdout.write(f"status: held\nreason: {run.held_reason}")
