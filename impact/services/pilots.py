"""A pilot's comparison group: similar schools outside the cohort, without the autonomy, proposed by
nearest-neighbour matching and kept by the autonomy office so that later years compare like with like.

Matching (pilot_comparison_propose): every feature (impact.selectors.pilots) is standardized over the
pilot's schools and the candidates together (minus the mean, over the standard deviation; a feature every
school shares is left out of the distance), and the distance between two schools is the Euclidean
distance between their standardized features. Pairs are then taken nearest first over the whole
district (ties by the pilot school's code, then the candidate's): a pair is kept while its pilot school
has fewer than `per_school` matches and its candidate is unused (without replacement). The same data
give the same group, whichever order the rows come in.

The balance table (pilot mean, comparison mean, the candidates' mean before matching, and the
standardized difference of means, the pilot's minus the comparison's over the square root of the mean
of their two variances) is what a person reads to judge the group: a standardized difference within
±BALANCED reads as close (Stuart, 2010, "Matching methods for causal inference").

Keeping (pilot_comparison_keep) works the proposal out again from the data as it stands, freezes it
with who and when, and supersedes the group kept before for the same cohort and autonomy.
"""

import math
import statistics
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from autonomy.models import Autonomy
from core.errors import ApplicationError, Conflict
from core.policies import require
from impact.models import PilotComparison
from impact.policies import can_keep_comparison
from impact.selectors.pilots import Feature, MatchingData, pilot_matching_data
from impact.services.event_study import MIN_SCHOOLS
from metrics.models import Metric
from schools.models import Cohort, School

BALANCED = 0.25
MAX_PER_SCHOOL = 3


@dataclass(frozen=True)
class BalanceRow:
    feature: Feature
    pilot: float
    comparison: float
    candidates: float  # every candidate, before matching
    difference: float | None  # standardized; None when neither group varies and the means differ
    difference_before: float | None

    @property
    def close(self) -> bool:
        return self.difference is not None and abs(self.difference) <= BALANCED


@dataclass(frozen=True)
class Match:
    pilot: School
    comparisons: list[tuple[School, float]]  # each with its distance, nearest first


@dataclass(frozen=True)
class Proposal:
    cohort: Cohort
    autonomy: Autonomy
    metric: Metric
    per_school: int
    prior_year: str
    features: list[Feature]
    matches: list[Match]
    balance: list[BalanceRow]
    candidates: int
    left_out: dict[str, int]

    @property
    def comparison_schools(self) -> list[School]:
        return sorted((school for m in self.matches for school, _ in m.comparisons), key=lambda s: s.code)

    @property
    def balanced(self) -> bool:
        return all(row.close for row in self.balance)


def standardized_difference(a: list[float], b: list[float]) -> float | None:
    spread = math.sqrt(
        ((statistics.variance(a) if len(a) > 1 else 0.0) + (statistics.variance(b) if len(b) > 1 else 0.0)) / 2
    )
    gap = statistics.fmean(a) - statistics.fmean(b)
    if spread == 0:
        return 0.0 if gap == 0 else None
    return gap / spread


def nearest_neighbours(
    pilots: list[tuple[str, list[float]]], candidates: list[tuple[str, list[float]]], *, per_school: int
) -> dict[str, list[tuple[str, float]]]:
    """{pilot key: [(candidate key, distance)]}: the whole district's pairs, nearest first, without
    replacement. Features must already be standardized."""
    pairs = sorted((math.dist(p, c), pk, ck) for pk, p in pilots for ck, c in candidates)
    matched: dict[str, list[tuple[str, float]]] = {pk: [] for pk, _ in pilots}
    used: set[str] = set()
    for distance, pk, ck in pairs:
        if ck in used or len(matched[pk]) >= per_school:
            continue
        matched[pk].append((ck, distance))
        used.add(ck)
    return matched


def _standardized(data: MatchingData) -> dict[int, list[float]]:
    keys = [f.key for f in data.features]
    pooled = list(data.values.values())
    scales = []
    for key in keys:
        column = [row[key] for row in pooled]
        spread = statistics.pstdev(column) if len(column) > 1 else 0.0
        scales.append((statistics.fmean(column), spread))
    return {
        school_id: [(row[k] - mean) / spread for k, (mean, spread) in zip(keys, scales, strict=True) if spread > 0]
        for school_id, row in data.values.items()
    }


def _refusal(data: MatchingData, *, metric: Metric, per_school: int) -> dict[str, list[str]]:
    if len(data.pilots) < MIN_SCHOOLS:
        return {
            "cohort": [
                f"The cohort has {len(data.pilots)} school{'s' if len(data.pilots) != 1 else ''}; at least "
                f"{MIN_SCHOOLS} are needed before the outcomes view can tell anything."
            ]
        }
    if not data.prior_year:
        return {"metric": [f"No school of the cohort has a value of {metric.name}: choose a metric they report."]}
    if data.pilots_without_result:
        missing = data.pilots_without_result
        codes = ", ".join(s.code for s in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        many = len(missing) != 1
        return {
            "metric": [
                f"{len(missing)} school{'s' if many else ''} of the cohort {'have' if many else 'has'} no value of "
                f"{metric.name} in {data.prior_year} ({codes}): choose a metric every school of the cohort reports."
            ]
        }
    if not data.candidates:
        return {
            "cohort": [
                f"No school outside the cohort that never held the autonomy has a value of {metric.name} in "
                f"{data.prior_year}: there is nobody to compare with."
            ]
        }
    needed = len(data.pilots) * per_school
    if len(data.candidates) < needed:
        return {
            "per_school": [
                f"{per_school} per pilot school needs {needed} candidates; {len(data.candidates)} are available."
            ]
        }
    return {}


def pilot_comparison_propose(*, cohort: Cohort, autonomy: Autonomy, metric: Metric, per_school: int = 1) -> Proposal:
    if not 1 <= per_school <= MAX_PER_SCHOOL:
        raise ApplicationError(
            "No comparison group.", fields={"per_school": [f"Choose between 1 and {MAX_PER_SCHOOL}."]}
        )
    data = pilot_matching_data(cohort=cohort, autonomy=autonomy, metric=metric)
    refused = _refusal(data, metric=metric, per_school=per_school)
    if refused:
        raise ApplicationError("No comparison group could be proposed.", fields=refused)
    scaled = _standardized(data)
    by_code = {s.code: s for s in [*data.pilots, *data.candidates]}
    matched = nearest_neighbours(
        [(s.code, scaled[s.pk]) for s in data.pilots],
        [(s.code, scaled[s.pk]) for s in data.candidates],
        per_school=per_school,
    )
    matches = [Match(by_code[p], [(by_code[c], d) for c, d in matched[p]]) for p in sorted(matched)]
    chosen = [school for m in matches for school, _ in m.comparisons]
    balance = []
    for feature in data.features:
        pilot = [data.values[s.pk][feature.key] for s in data.pilots]
        comparison = [data.values[s.pk][feature.key] for s in chosen]
        everyone = [data.values[s.pk][feature.key] for s in data.candidates]
        balance.append(
            BalanceRow(
                feature,
                statistics.fmean(pilot),
                statistics.fmean(comparison),
                statistics.fmean(everyone),
                standardized_difference(pilot, comparison),
                standardized_difference(pilot, everyone),
            )
        )
    return Proposal(
        cohort,
        autonomy,
        metric,
        per_school,
        data.prior_year,
        data.features,
        matches,
        balance,
        len(data.candidates),
        data.left_out,
    )


def balance_rows(proposal: Proposal) -> list[dict]:
    return [
        {
            "feature": row.feature.label,
            "unit": row.feature.unit,
            "pilot": round(row.pilot, 4),
            "comparison": round(row.comparison, 4),
            "candidates": round(row.candidates, 4),
            "difference": None if row.difference is None else round(row.difference, 4),
            "difference_before": None if row.difference_before is None else round(row.difference_before, 4),
        }
        for row in proposal.balance
    ]


def pilot_comparison_keep(
    *, actor: AbstractBaseUser, cohort: Cohort, autonomy: Autonomy, metric: Metric, per_school: int = 1
) -> PilotComparison:
    """Works the proposal out again (what the person saw, unless the data moved since) and keeps it; the
    group kept before for the same cohort and autonomy is superseded, in the same transaction. Two people
    keeping at once: the second waits for the first's lock and supersedes it."""
    require(can_keep_comparison(actor))
    proposal = pilot_comparison_propose(cohort=cohort, autonomy=autonomy, metric=metric, per_school=per_school)
    try:
        with transaction.atomic():
            current = list(
                PilotComparison.objects.select_for_update().filter(
                    cohort=cohort, autonomy=autonomy, superseded_at__isnull=True
                )
            )
            now = timezone.now()
            PilotComparison.objects.filter(pk__in=[c.pk for c in current]).update(superseded_at=now)
            kept = PilotComparison.objects.create(
                cohort=cohort,
                autonomy=autonomy,
                metric=metric,
                prior_year=proposal.prior_year,
                per_school=per_school,
                features=[f.label for f in proposal.features],
                matches={m.pilot.code: [s.code for s, _ in m.comparisons] for m in proposal.matches},
                balance=balance_rows(proposal),
                kept_by=actor,
            )
            kept.schools.set(proposal.comparison_schools)
            kept.pilot_schools.set([m.pilot for m in proposal.matches])
    except IntegrityError as error:
        busy = "Somebody kept a comparison group for this pilot at the same moment: reload and look again."
        raise Conflict(busy) from error
    return kept
