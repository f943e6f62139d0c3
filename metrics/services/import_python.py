"""The portable import: the rows checked (`import_check`, as on PostgreSQL), then merged with the ORM.

SQLite takes this path. It gives the same report as the PostgreSQL path for the same rows (tests run
both); it is slower, and holds the good rows in memory until they are merged.
"""

import datetime

from django.db import transaction

from metrics.models import Observation, ObservationRevision
from metrics.services.import_check import RowCheck
from metrics.services.import_rows import ImportReport, Screen, first_errors

BATCH = 5000


def import_in_python(screen: Screen, *, report: ImportReport, label: str, now: datetime.datetime) -> None:
    """Check every row; merge only when none is bad (the caller's transaction makes it all or nothing)."""
    check = RowCheck()
    good = list(check.good_rows(screen))
    report.rows = screen.count
    if check.error_count or screen.errors:
        report.refuse(first_errors(screen.errors, check.errors), count=check.error_count + len(screen.errors))
        return
    if good:
        report.created, report.updated = _merge(good, label=label, now=now)
        report.unchanged = len(good) - report.created - report.updated


def _merge(good: list[tuple], *, label: str, now: datetime.datetime) -> tuple[int, int]:
    """New rows created; changed values replaced, the old value kept in history. An empty source or n keeps the
    old one."""
    with transaction.atomic():
        existing = {}
        for start in range(0, len(good), BATCH):
            keys = {row[:3] for row in good[start : start + BATCH]}
            for observation in Observation.objects.filter(
                school_id__in={key[0] for key in keys},
                metric_id__in={key[1] for key in keys},
                period__in={key[2] for key in keys},
            ).select_for_update():
                key = (observation.school_id, observation.metric_id, observation.period)
                if key in keys:
                    existing[key] = observation
        created, changed, revisions = [], [], []
        for school_id, metric_id, period, value, source, n in good:
            current = existing.get((school_id, metric_id, period))
            if current is None:
                created.append(
                    Observation(
                        school_id=school_id, metric_id=metric_id, period=period, value=value, source=source, n=n
                    )
                )
            elif current.value != value or (source and current.source != source) or (n is not None and current.n != n):
                revisions.append(
                    ObservationRevision(
                        observation=current,
                        value=current.value,
                        source=current.source,
                        replaced_at=now,
                        replaced_by_import=label[:200],
                    )
                )
                current.value, current.source, current.updated_at = value, source or current.source, now
                current.n = current.n if n is None else n
                changed.append(current)
        Observation.objects.bulk_create(created, batch_size=BATCH)
        Observation.objects.bulk_update(changed, ["value", "source", "n", "updated_at"], batch_size=BATCH)
        ObservationRevision.objects.bulk_create(revisions, batch_size=BATCH)
    return len(created), len(changed)
