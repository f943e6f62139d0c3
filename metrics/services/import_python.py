"""The portable import: every row checked in Python, then merged with the ORM. SQLite takes this path.

It gives the same report as the PostgreSQL path for the same rows (tests run both); it is slower, and
holds the good rows in memory until they are merged.
"""

import datetime

from django.db import transaction

from metrics.models import Metric, Observation, ObservationRevision
from metrics.services.import_rows import MAX_LISTED_ERRORS, ImportReport, RowError, Screen, first_errors
from metrics.services.import_rules import (
    REASONS,
    SOURCE_CHARS,
    n_problem,
    parse_n,
    parse_number,
    period_problem,
    shown,
    stored_value,
    value_problem,
)
from schools.models import School

BATCH = 5000


def import_in_python(screen: Screen, *, report: ImportReport, label: str, now: datetime.datetime) -> None:
    """Check every row; merge only when none is bad (the caller's transaction makes it all or nothing)."""
    good, errors, error_count = _check(screen)
    report.rows = screen.count
    if error_count or screen.errors:
        report.refuse(first_errors(screen.errors, errors), count=error_count + len(screen.errors))
        return
    if good:
        report.created, report.updated = _merge(good, label=label, now=now)
        report.unchanged = len(good) - report.created - report.updated


def _check(screen: Screen) -> tuple[list[tuple], list[RowError], int]:
    schools = dict(School.objects.values_list("code", "pk"))
    metrics = {metric.code: metric for metric in Metric.objects.all()}
    first_row_of: dict[tuple[int, int, str], int] = {}
    good, errors, error_count = [], [], 0
    for line, school_code, metric_code, period, raw, source, raw_n in screen:
        problems = []
        school_id = schools.get(school_code)
        if not school_code:
            problems.append(REASONS["school_empty"])
        elif school_id is None:
            problems.append(REASONS["school_unknown"].format(shown(school_code)))
        metric = metrics.get(metric_code)
        if not metric_code:
            problems.append(REASONS["metric_empty"])
        elif metric is None:
            problems.append(REASONS["metric_unknown"].format(shown(metric_code)))
        if problem := period_problem(period):
            problems.append(problem)
        number = parse_number(raw)
        if problem := value_problem(raw, number, metric):
            problems.append(problem)
        if problem := n_problem(raw_n):
            problems.append(problem)
        if not problems:
            first = first_row_of.setdefault((school_id, metric.pk, period), line)
            if first != line:
                problems.append(REASONS["duplicate"].format(first, school_code, metric_code, period))
        if problems:
            error_count += 1
            if len(errors) < MAX_LISTED_ERRORS:
                errors.append(RowError(line, "; ".join(problems)))
        elif not error_count:
            good.append((school_id, metric.pk, period, stored_value(number), source[:SOURCE_CHARS], parse_n(raw_n)))
    return good, errors, error_count


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
