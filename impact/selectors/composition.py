"""Did the students change? Enrollment and the share of students in each need category at the granted
schools, in the school year before the grant and in the latest school year held, from budgeting's
enrollment counts. A change of students (more students with a need, fewer students) moves results on
its own; read beside the outcomes, it says whether a difference could be the students rather than the
autonomy (Chicago's turnarounds changed whom they taught).

A school year's counts are its latest official count, or its latest projection when no count is
official yet. A school counts only with counts for both years. Grade categories add up to enrollment;
need categories are each a share of it (a student may be in several). Two queries.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Min

from autonomy.models import AutonomyGrant
from budgeting.models import EnrollmentCount, SnapshotKind
from impact.selectors.panel import Selection
from impact.selectors.years import start_year_sql
from impact.services.event_study import MIN_SCHOOLS


@dataclass(frozen=True)
class NeedShare:
    name: str
    before: float  # percent of enrollment
    after: float


@dataclass(frozen=True)
class Composition:
    schools: int
    enrollment_before: float  # mean per school
    enrollment_after: float
    needs: list[NeedShare]

    @property
    def enough(self) -> bool:
        return self.schools >= MIN_SCHOOLS


def year_counts(school_ids) -> dict[tuple[int, int], dict[tuple[str, str], int]]:
    """{(school, start year): {(kind, category name): students}} from the snapshot that counts."""
    rows = (
        EnrollmentCount.objects.filter(school_id__in=school_ids)
        .values_list(
            "school_id",
            "snapshot__school_year__label",
            "snapshot_id",
            "snapshot__kind",
            "snapshot__as_of",
            "category__kind",
            "category__name",
            "students",
        )
        .order_by("school_id", "snapshot__as_of")
    )
    chosen: dict[tuple[int, int], tuple] = {}
    counts: dict[tuple[int, int, int], dict] = defaultdict(dict)
    for school, label, snapshot, kind, as_of, category_kind, name, students in rows:
        key = (school, int(label[:4]))
        rank = (kind == SnapshotKind.OFFICIAL, as_of, snapshot)
        if key not in chosen or rank > chosen[key]:
            chosen[key] = rank
        counts[(*key, snapshot)][(category_kind, name)] = students
    return {key: counts[(*key, rank[2])] for key, rank in chosen.items()}


def enrollment_of(counts: dict) -> int:
    return sum(students for (kind, _), students in counts.items() if kind == "grade")


def composition_check(*, selection: Selection) -> Composition:
    adopted = dict(
        AutonomyGrant.objects.filter(**selection.grants_filter())
        .values("school_id")
        .annotate(first=Min(start_year_sql("starts_on")))
        .values_list("school_id", "first")
    )
    counts = year_counts(adopted)
    pairs = []
    for school, first in adopted.items():
        before = counts.get((school, first - 1))
        held = sorted(y for (s, y) in counts if s == school and y >= first)
        if before and held:
            pairs.append((before, counts[(school, held[-1])]))
    enrolled = [(enrollment_of(b), enrollment_of(a)) for b, a in pairs]
    needs = sorted({name for b, a in pairs for (kind, name) in (*b, *a) if kind == "need"})

    def share(side: int, name: str) -> float:
        total = sum(e[side] for e in enrolled)
        with_need = sum(p[side].get(("need", name), 0) for p in pairs)
        return 100 * with_need / total if total else 0.0

    n = len(pairs)
    return Composition(
        schools=n,
        enrollment_before=sum(e[0] for e in enrolled) / n if n else 0.0,
        enrollment_after=sum(e[1] for e in enrolled) / n if n else 0.0,
        needs=[NeedShare(name, share(0, name), share(1, name)) for name in needs],
    )
