"""What a pilot's comparison group is matched on: each school's prior result on the chosen metric, its
size and, where the district's enrollment counts hold them, the share of its students in each need
category, all in the school year before the pilot starts.

The pilot's schools are the cohort's. The candidates are the schools outside the cohort that were never
granted the autonomy (a school that held it, even for a while, is not a school without it). The school
year matched is the one before the cohort's first grant of the autonomy starts, or, for a pilot not yet
granted, the latest school year with a value of the metric at a school of the cohort.

Need shares are matched when every pilot school has enrollment counts for that year (the counts that
count are composition's: the latest official count, else the latest projection); a candidate without
them is then left out, as is a candidate without a value of the metric. A fixed number of queries
whatever the number of schools.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Min, QuerySet
from django.http import Http404

from autonomy.models import Autonomy, AutonomyGrant
from impact.models import PilotComparison
from impact.selectors.composition import enrollment_of, year_counts
from impact.selectors.years import start_year_of
from metrics.models import Metric, Observation
from schools.models import Cohort, School
from schools.periods import school_year_label

RESULT, SIZE = "result", "size"


@dataclass(frozen=True)
class Feature:
    key: str  # "result", "size" or "need:<category name>"
    label: str
    unit: str  # "metric", "students" or "percent"


@dataclass
class MatchingData:
    pilots: list[School]
    candidates: list[School]
    values: dict[int, dict[str, float]]  # school id → feature key → value, for pilots and candidates kept
    features: list[Feature]
    prior_year: str  # as 2024-25; "" when the metric has no value at any pilot school
    pilots_without_result: list[School] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # why a candidate was left out → how many


def _prior_start_year(*, pilots: list[School], autonomy: Autonomy, metric: Metric) -> int | None:
    first = AutonomyGrant.objects.filter(school__in=pilots, autonomy=autonomy).aggregate(first=Min("starts_on"))
    if first["first"]:
        return start_year_of(first["first"]) - 1
    periods = Observation.objects.filter(metric=metric, school__in=pilots).values_list("period", flat=True)
    years = [int(p[:4]) for p in periods.distinct() if p[:4].isdigit()]
    return max(years) if years else None


def pilot_matching_data(*, cohort: Cohort, autonomy: Autonomy, metric: Metric) -> MatchingData:
    pilots = list(School.objects.filter(cohort=cohort).order_by("code"))
    ever_granted = AutonomyGrant.objects.filter(autonomy=autonomy).values("school_id")
    candidates = list(School.objects.exclude(cohort=cohort).exclude(pk__in=ever_granted).order_by("code"))
    start = _prior_start_year(pilots=pilots, autonomy=autonomy, metric=metric) if pilots else None
    if start is None:
        return MatchingData(pilots, [], {}, [], "", pilots_without_result=pilots)
    label = school_year_label(start)
    everyone = [*pilots, *candidates]
    results = dict(
        Observation.objects.filter(metric=metric, period=label, school__in=everyone).values_list("school_id", "value")
    )
    counts = year_counts([s.pk for s in everyone])
    year_of = {s.pk: counts.get((s.pk, start)) for s in everyone}
    with_needs = all(year_of[s.pk] for s in pilots)
    needs = sorted({name for s in pilots for (kind, name) in (year_of[s.pk] or {}) if kind == "need"})
    features = [Feature(RESULT, f"{metric.name}, {label}", "metric"), Feature(SIZE, "Enrollment", "students")]
    if with_needs:
        features += [Feature(f"need:{name}", f"{name}, share of students", "percent") for name in needs]

    def values_of(school: School) -> dict[str, float]:
        row = {RESULT: float(results[school.pk]), SIZE: float(school.enrollment)}
        if with_needs:
            tally = year_of[school.pk]
            enrolled = enrollment_of(tally) or school.enrollment
            for name in needs:
                row[f"need:{name}"] = 100 * tally.get(("need", name), 0) / enrolled if enrolled else 0.0
        return row

    left_out: dict[str, int] = {}
    kept = []
    for school in candidates:
        if school.pk not in results:
            reason = f"no value of {metric.name} in {label}"
        elif with_needs and not year_of[school.pk]:
            reason = f"no enrollment counts for {label}"
        else:
            kept.append(school)
            continue
        left_out[reason] = left_out.get(reason, 0) + 1
    without = [s for s in pilots if s.pk not in results]
    values = {s.pk: values_of(s) for s in [*pilots, *kept] if s.pk in results}
    return MatchingData(pilots, kept, values, features, label, pilots_without_result=without, left_out=left_out)


def comparisons_current() -> list[PilotComparison]:
    """The groups kept now (one per cohort and autonomy), as the outcomes view offers them. One query."""
    return list(
        PilotComparison.objects.filter(superseded_at__isnull=True)
        .select_related("cohort", "autonomy", "metric")
        .order_by("autonomy__code", "cohort__name")
    )


def comparisons_history() -> QuerySet[PilotComparison]:
    """Every group kept, newest first, superseded ones included."""
    return PilotComparison.objects.select_related("cohort", "autonomy", "metric", "kept_by").annotate(
        school_count=Count("schools", distinct=True)
    )


def comparison_get(*, pk: int) -> PilotComparison:
    found = comparisons_history().prefetch_related("schools", "pilot_schools").filter(pk=pk).first()
    if found is None:
        raise Http404("No such comparison group.")
    return found
