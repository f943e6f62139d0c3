"""Observations in: validated row by row, imported all or nothing, re-imports change nothing, and a
correction keeps the value it replaces."""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from metrics.models import PERIOD_PATTERN, Metric, Observation, ObservationRevision
from schools.models import School

REQUIRED_COLUMNS = ("school", "metric", "period", "value")
OPTIONAL_COLUMNS = ("source",)
PERIOD = re.compile(PERIOD_PATTERN)
MAX_ROWS = 2_000_000


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)  # "row N: reason", in file order

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    line: int
    school_id: int
    metric_id: int
    period: str
    value: Decimal
    source: str


def _parse(reader, *, report: ImportReport, first_line: int) -> list[_Row]:
    schools = dict(School.objects.values_list("code", "pk"))
    metrics = {m.code: m for m in Metric.objects.all()}
    seen: dict[tuple[int, int, str], int] = {}
    rows = []
    for offset, record in enumerate(reader):
        line = first_line + offset
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append(f"row {line}: the file has more than {MAX_ROWS:,} rows; split it.")
            break
        problems = []
        code = (record.get("school") or "").strip()
        school_id = schools.get(code)
        if school_id is None:
            problems.append(f"unknown school '{code}'" if code else "school is empty")
        metric_code = (record.get("metric") or "").strip()
        metric = metrics.get(metric_code)
        if metric is None:
            problems.append(f"unknown metric '{metric_code}'" if metric_code else "metric is empty")
        period = (record.get("period") or "").strip()
        if not PERIOD.fullmatch(period) or int(period[5:]) != (int(period[:4]) + 1) % 100:
            problems.append(f"period '{period}' is not a school year written as 2025-26")
        raw = (record.get("value") or "").strip()
        try:
            value = Decimal(raw)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            value = None
            problems.append(f"value '{raw}' is not a number")
        if value is not None and metric is not None:
            if (metric.min_value is not None and value < metric.min_value) or (
                metric.max_value is not None and value > metric.max_value
            ):
                problems.append(
                    f"value {raw} is outside {metric.name}'s range "
                    f"{metric.min_value.normalize()}–{metric.max_value.normalize()}"
                )
        if not problems:
            key = (school_id, metric.pk, period)
            if key in seen:
                problems.append(f"duplicate of row {seen[key]} ({code}, {metric_code}, {period})")
            else:
                seen[key] = line
        source = (record.get("source") or "").strip()[:200]
        if problems:
            report.errors.append(f"row {line}: " + "; ".join(problems))
        else:
            rows.append(_Row(line, school_id, metric.pk, period, value.quantize(Decimal("0.0001")), source))
    return rows


def observations_import_csv(*, text: str, label: str = "") -> ImportReport:
    """Import `school,metric,period,value[,source]` rows; any bad row refuses the whole file."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        if missing:
            report.errors.append(f"row 1: missing column(s) {', '.join(missing)}")
        if unknown:
            report.errors.append(f"row 1: unknown column(s) {', '.join(unknown)}")
        return report
    reader.fieldnames = header
    rows = _parse(reader, report=report, first_line=2)
    if report.errors:
        return report
    if not rows:
        report.errors.append("row 2: the file has no data rows")
        return report
    _merge(rows, report=report, label=label)
    return report


def _merge(rows: list[_Row], *, report: ImportReport, label: str) -> None:
    """One upsert: new rows created, changed values replaced with the old value kept in history."""
    now = timezone.now()
    with transaction.atomic():
        existing = {}
        for chunk in _chunks(rows, 5000):
            keys = {(r.school_id, r.metric_id, r.period) for r in chunk}
            for obs in Observation.objects.filter(
                school_id__in={k[0] for k in keys}, metric_id__in={k[1] for k in keys}, period__in={k[2] for k in keys}
            ).select_for_update():
                key = (obs.school_id, obs.metric_id, obs.period)
                if key in keys:
                    existing[key] = obs
        created, changed, revisions = [], [], []
        for row in rows:
            key = (row.school_id, row.metric_id, row.period)
            current = existing.get(key)
            if current is None:
                created.append(
                    Observation(
                        school_id=row.school_id,
                        metric_id=row.metric_id,
                        period=row.period,
                        value=row.value,
                        source=row.source,
                    )
                )
            elif current.value != row.value or (row.source and current.source != row.source):
                revisions.append(
                    ObservationRevision(
                        observation=current,
                        value=current.value,
                        source=current.source,
                        replaced_at=now,
                        replaced_by_import=label[:200],
                    )
                )
                current.value, current.source = row.value, row.source or current.source
                changed.append(current)
        Observation.objects.bulk_create(created, batch_size=5000)
        Observation.objects.bulk_update(changed, ["value", "source", "updated_at"], batch_size=5000)
        ObservationRevision.objects.bulk_create(revisions, batch_size=5000)
    report.created, report.updated = len(created), len(changed)
    report.unchanged = len(rows) - len(created) - len(changed)


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
