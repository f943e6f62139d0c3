"""The roster import's entry points: a file set checked (a dry run) or imported, all or nothing; and the
record of an upload on the autonomy office's page, checked by a task and applied by another on request.

`roster_import_files` is the one path: the command calls it directly; the page's tasks call it through
`roster_import_check` and `roster_import_apply`, so both refuse and count exactly alike.
"""

import datetime
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict
from core.policies import require
from schools.models import District
from schools.policies import autonomy_office
from schools.roster.apply import roster_plan_apply
from schools.roster.changes import Plan
from schools.roster.models import RosterImport, RosterImportStatus
from schools.roster.parse import RosterError, RosterRefused, roster_files_unzip, roster_parse
from schools.roster.plan import roster_plan

# The page shows the first changes and bad rows of a file set; the command prints them all.
MAX_SHOWN = 500


FAILED_MESSAGE = "The import stopped on an unexpected error and nothing was changed. Check the files again."


class RosterStale(Conflict):
    """What would be applied now is not what was checked: the portal changed in between."""


def roster_import_files(
    *, files: dict[str, bytes], dry_run: bool, today: datetime.date | None = None, expected_digest: str = ""
) -> Plan:
    """Parse, plan and, unless `dry_run`, apply in one transaction; RosterRefused names every bad row and
    nothing is written. With `expected_digest`, a plan that differs from the one checked is refused
    (RosterStale) and nothing is written.

    The district's row is locked for the whole import, so two imports never interleave (on PostgreSQL;
    SQLite writes one transaction at a time anyway).
    """
    today = today or timezone.localdate()
    try:
        roster, errors = roster_parse(files=files, today=today), []
    except RosterRefused as refused:
        if refused.roster is None:  # a file could not be read at all: its rows cannot be checked further
            raise
        roster, errors = refused.roster, refused.errors  # the sound rows are still checked against the portal
    with transaction.atomic():
        District.objects.select_for_update().first()
        try:
            plan = roster_plan(roster=roster, today=today)
        except RosterRefused as refused:
            errors = errors + refused.errors
        if errors:
            raise RosterRefused(sorted(errors, key=_file_order))
        if expected_digest and plan.digest != expected_digest:
            raise RosterStale(
                "The portal changed since these files were checked, so what would be applied is not what you "
                "saw. Nothing was applied: upload the files again to check them."
            )
        if not dry_run and not plan.empty:
            roster_plan_apply(plan=plan)
    return plan


def roster_import_start(*, actor: AbstractBaseUser, file_name: str, data: bytes) -> RosterImport:
    """Keep an uploaded .zip and have it checked in the background; nothing is applied yet."""
    require(autonomy_office(actor, "Only the autonomy office imports the roster."))
    run = RosterImport.objects.create(created_by=actor, file_name=file_name[:200], data=data)
    transaction.on_commit(partial(_enqueue, "roster_import_check_task", run.pk), robust=True)
    return run


def roster_import_confirm(*, actor: AbstractBaseUser, import_id: int) -> RosterImport:
    """Apply a checked upload, in the background; refused (Conflict) unless it is checked and not applied."""
    require(autonomy_office(actor, "Only the autonomy office imports the roster."))
    with transaction.atomic():
        run = RosterImport.objects.select_for_update().get(pk=import_id)
        if run.status != RosterImportStatus.CHECKED:
            raise Conflict(f"This upload is {run.get_status_display().lower()}; only a checked upload is applied.")
        run.status, run.applied_by = RosterImportStatus.APPLYING, actor
        run.save(update_fields=["status", "applied_by"])
        transaction.on_commit(partial(_enqueue, "roster_import_apply_task", run.pk), robust=True)
    return run


def roster_import_check(*, import_id: int) -> RosterImport:
    """The dry run of an upload, its plan kept on the record. Does nothing unless the upload is being checked."""
    run = RosterImport.objects.get(pk=import_id)
    if run.status != RosterImportStatus.CHECKING:
        return run
    try:
        files = roster_files_unzip(data=bytes(run.data), name=run.file_name)
        plan = roster_import_files(files=files, dry_run=True)
    except RosterRefused as refused:
        return _refused(run, refused)
    except Exception:
        _failed(run)
        raise
    run.status, run.version, run.plan_digest = RosterImportStatus.CHECKED, plan.version, plan.digest
    _record_plan(run, plan)
    return run


def roster_import_apply(*, import_id: int) -> RosterImport:
    """Apply a confirmed upload, if the plan is still the one checked. Does nothing unless it is applying."""
    run = RosterImport.objects.get(pk=import_id)
    if run.status != RosterImportStatus.APPLYING:
        return run
    try:
        files = roster_files_unzip(data=bytes(run.data), name=run.file_name)
        plan = roster_import_files(files=files, dry_run=False, expected_digest=run.plan_digest)
    except RosterRefused as refused:
        return _refused(run, refused)
    except RosterStale as stale:
        run.status, run.errors, run.error_count = RosterImportStatus.STALE, [_plain(stale.message)], 1
        run.finished_at = timezone.now()
        run.save()
        return run
    except Exception:
        _failed(run)
        raise
    run.status, run.data = RosterImportStatus.APPLIED, b""  # applied: the file is no longer needed
    _record_plan(run, plan)
    return run


FILE_ORDER = {"manifest.csv": 0, "orgs.csv": 1, "users.csv": 2, "roles.csv": 3}


def _file_order(error: RosterError) -> tuple[int, int]:
    return FILE_ORDER.get(error.file, 9), error.line or 0


def _record_plan(run: RosterImport, plan: Plan) -> None:
    run.counts = plan.counts
    run.changes = [change.as_dict() for change in plan.changes[:MAX_SHOWN]]
    run.changes_total = len(plan.changes)
    run.finished_at = timezone.now()
    run.save()


def _failed(run: RosterImport) -> None:
    """An unexpected error: the import's transaction is rolled back, and the page stops waiting and says so."""
    run.status, run.errors, run.error_count = RosterImportStatus.FAILED, [_plain(FAILED_MESSAGE)], 1
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "errors", "error_count", "finished_at"])


def _refused(run: RosterImport, refused: RosterRefused) -> RosterImport:
    run.data = b""  # a refused upload is never applied: the corrected files are uploaded again
    run.status = RosterImportStatus.REFUSED
    run.errors = [error.as_dict() for error in refused.errors[:MAX_SHOWN]]
    run.error_count = len(refused.errors)
    run.finished_at = timezone.now()
    run.save()
    return run


def _plain(message: str) -> dict:
    return {"file": "", "line": None, "reason": message}


def _enqueue(task_name: str, import_id: int) -> None:
    """Hand the work to a worker; without a broker it runs here and now."""
    from schools import tasks  # the tasks module imports this one

    getattr(tasks, task_name).delay(import_id)
