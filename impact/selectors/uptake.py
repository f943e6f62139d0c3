"""Uptake: how many schools asked for each autonomy, were granted it, put at risk, suspended, revoked or
reinstated, school year by school year; how long a decision took; and the barriers schools named against
those the district found were no rule at all.

A fixed number of grouped queries whatever the number of schools (tests/impact pin it). Each count is of
distinct schools: a school asking twice in a year is one school asking.

- requested: schools whose request naming the autonomy was submitted in that school year;
- granted: schools whose grant of it starts in that school year;
- at risk, suspended, revoked: schools whose grant moved to that status in that school year (GrantEvent);
- reinstated: schools whose suspended or revoked grant was made active again in that school year;
- median days to a decision: from the request's submission to the district's decision, over the
  autonomy's requested items decided (approved, declined or clarified), whenever they were decided;
- barriers named: requested items naming a barrier; clarified: the barriers the district clarified as
  "no rule prevents this" (ClarifiedFlexibility), for the autonomy.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, Value, When

from autonomy.models import (
    ACCOUNTABILITY_MODEL_SHORT,
    Autonomy,
    AutonomyGrant,
    ClarifiedFlexibility,
    GrantEvent,
    GrantStatus,
    ItemDecision,
    RequestItem,
)
from impact.selectors.years import start_year_sql
from schools.periods import school_year_label

COUNTS = ("requested", "granted", "at_risk", "suspended", "revoked", "reinstated")
COUNT_LABELS = {
    "requested": "Requested",
    "granted": "Granted",
    "at_risk": "Put at risk",
    "suspended": "Suspended",
    "revoked": "Revoked",
    "reinstated": "Reinstated",
}


@dataclass
class UptakeYear:
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, name: str) -> int:
        return self.counts.get(name, 0)

    @property
    def cells(self) -> list[int]:
        return [self.count(name) for name in COUNTS]


@dataclass
class UptakeRow:
    autonomy: Autonomy
    years: list[UptakeYear]
    median_days: float | None
    decided: int
    barriers_named: int
    clarified: int

    @property
    def model_short(self) -> str:
        return ACCOUNTABILITY_MODEL_SHORT.get(self.autonomy.model, self.autonomy.model)


def _schools_by_year(rows, *, dated: str, school: str, key: str, into: dict) -> None:
    """Each count is of schools, not rows (a school asking twice in a year is one school asking), in the school
    year of the `dated` field; written under `key` of `into`."""
    rows = (
        rows.annotate(year=start_year_sql(dated)).values("autonomy_id", "year").annotate(n=Count(school, distinct=True))
    )
    for row in rows:
        if row["year"] is not None:
            into[(row["autonomy_id"], row["year"])][key] = row["n"]


def uptake_table(*, domain: str = "", start_year: int | None = None) -> list[UptakeRow]:
    """One row per autonomy of the catalog (of a domain, when given), with its school years."""
    autonomies = list(Autonomy.objects.filter(**({"domain": domain} if domain else {})))
    ids = [a.pk for a in autonomies]
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)

    _schools_by_year(
        RequestItem.objects.filter(autonomy_id__in=ids, request__submitted_at__isnull=False),
        dated="request__submitted_at",
        school="request__school_id",
        key="requested",
        into=counts,
    )
    _schools_by_year(
        AutonomyGrant.objects.filter(autonomy_id__in=ids),
        dated="starts_on",
        school="school_id",
        key="granted",
        into=counts,
    )
    moves = (
        GrantEvent.objects.filter(grant__autonomy_id__in=ids)
        .filter(
            Q(to_status__in=[GrantStatus.AT_RISK, GrantStatus.SUSPENDED, GrantStatus.REVOKED])
            | Q(from_status__in=[GrantStatus.SUSPENDED, GrantStatus.REVOKED], to_status=GrantStatus.ACTIVE)
        )
        .annotate(
            year=start_year_sql("at"),
            kind=Case(
                When(to_status=GrantStatus.ACTIVE, then=Value("reinstated")),
                default=F("to_status"),
                output_field=CharField(),
            ),
            autonomy_id=F("grant__autonomy_id"),
        )
        .values("autonomy_id", "year", "kind")
        .annotate(n=Count("grant__school_id", distinct=True))
    )
    for row in moves:
        counts[(row["autonomy_id"], row["year"])][row["kind"]] = row["n"]

    waits = defaultdict(list)
    decided = RequestItem.objects.filter(
        autonomy_id__in=ids,
        decision__in=[ItemDecision.APPROVED, ItemDecision.DECLINED, ItemDecision.CLARIFIED],
        request__submitted_at__isnull=False,
        request__decided_at__isnull=False,
    ).values_list("autonomy_id", "request__submitted_at", "request__decided_at")
    for autonomy_id, submitted, decided_at in decided:
        waits[autonomy_id].append((decided_at - submitted).total_seconds() / 86400)
    named = dict(
        RequestItem.objects.filter(autonomy_id__in=ids, request__submitted_at__isnull=False)
        .exclude(barrier="")
        .values("autonomy_id")
        .annotate(n=Count("id"))
        .values_list("autonomy_id", "n")
    )
    clarified = dict(
        ClarifiedFlexibility.objects.filter(autonomy_id__in=ids)
        .values("autonomy_id")
        .annotate(n=Count("id"))
        .values_list("autonomy_id", "n")
    )

    rows = []
    for autonomy in autonomies:
        years = sorted(y for (a, y) in counts if a == autonomy.pk and (start_year is None or y == start_year))
        rows.append(
            UptakeRow(
                autonomy=autonomy,
                years=[UptakeYear(label=school_year_label(y), counts=counts[(autonomy.pk, y)]) for y in years],
                median_days=statistics.median(waits[autonomy.pk]) if waits[autonomy.pk] else None,
                decided=len(waits[autonomy.pk]),
                barriers_named=named.get(autonomy.pk, 0),
                clarified=clarified.get(autonomy.pk, 0),
            )
        )
    return rows


def uptake_totals(rows: list[UptakeRow]) -> dict[str, int]:
    """Each count summed over the rows shown: school-years, not schools (a school granted in two years
    counts in both)."""
    return {name: sum(y.count(name) for r in rows for y in r.years) for name in COUNTS}
