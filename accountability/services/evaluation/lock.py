"""What "a run for this date is already in progress" means, and the lock a run holds while it works."""

import datetime
import logging
from contextlib import contextmanager

from django.db import DatabaseError, OperationalError, connection, transaction

from accountability.models import EvaluationRun
from core.errors import Conflict

logger = logging.getLogger(__name__)

# The advisory lock of a run: (this class, the as-of day). See evaluation_run.
RUN_LOCK_CLASS = 7301


class RunInProgress(Conflict):
    """A run for the date is already asked for or under way: this start is refused and changes nothing.

    Every way of starting a run answers with it (a page or the API asking, the nightly task, the
    command): a Conflict, so the API answers 409 in its one error shape and a page shows the message.
    `run` is the run in progress when the refusal knows it.
    """

    def __init__(self, as_of: datetime.date, *, run: EvaluationRun | None = None):
        super().__init__(f"A run for {as_of} is already in progress.")
        self.as_of, self.run = as_of, run


@contextmanager
def run_lock(as_of: datetime.date, *, wait: float):
    """Hold the date's session-level advisory lock (PostgreSQL) for the block, or raise RunInProgress.

    `wait` seconds are spent waiting for a lock another session holds (0: give up at once). SQLite has no
    such lock: one process, one run.
    """
    if connection.vendor != "postgresql":
        yield
        return
    key = [RUN_LOCK_CLASS, as_of.toordinal()]
    with connection.cursor() as cursor:
        if wait > 0:
            try:
                with transaction.atomic():
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(wait * 1000)}ms"])
                    cursor.execute("SELECT pg_advisory_lock(%s, %s)", key)
                held = True
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
                    raise
                held = False
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            held = cursor.fetchone()[0]
    if not held:
        raise RunInProgress(as_of)
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        except DatabaseError:
            # The session is broken: ending it is what frees the lock.
            logger.warning("Could not release the run lock for %s; closing the connection", as_of, exc_info=True)
            connection.close()
