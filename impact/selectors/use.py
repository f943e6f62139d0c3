"""Use: did holding an autonomy change what the school does? Read from what the product holds.

For a Money autonomy the measure is the discretionary share of the school's planned spending, which
budgeting records as a `discretionary_share` observation when a plan is submitted (and again when it is
approved). For each Money grant:

- **used**: in some school year it was held, the school's share was at least USE_POINTS percentage
  points above its share in the school year before the grant started;
- **not used** (a finding): the share is known for the year before and for at least one year held, and
  no year held reached USE_POINTS points above it;
- **no budget plan** (a finding): the grant was held for at least one whole school year before this one
  and the school recorded no discretionary share for any year it was held;
- **too early to tell**: anything else (the grant started this school year, or the year before it has
  no share to compare with).

People, time and program autonomies have no measure of use the product records itself; the page says
so rather than guess. Four queries whatever the number of grants (the catalog, the grants, the metric,
the shares).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from autonomy.models import HELD_STATUSES, Autonomy, AutonomyGrant, Domain, GrantStatus
from impact.selectors.years import start_year_of
from metrics.models import Metric, Observation
from schools.periods import school_year_label

DISCRETIONARY_SHARE = "discretionary_share"  # written by budgeting.services.budget_metrics
USE_POINTS = Decimal("1")
USED, NOT_USED, NO_PLAN, TOO_EARLY = "used", "not_used", "no_plan", "too_early"
VERDICTS = {
    USED: "Used",
    NOT_USED: "Not used: the discretionary share did not rise",
    NO_PLAN: "Not used: no budget plan recorded while held",
    TOO_EARLY: "Too early to tell",
}
FINDINGS = (NOT_USED, NO_PLAN)
ENDED = (GrantStatus.SUSPENDED, GrantStatus.REVOKED, GrantStatus.EXPIRED)


@dataclass
class GrantUse:
    grant: AutonomyGrant
    first_year: str
    last_year: str
    before: Decimal | None
    best_held: Decimal | None
    verdict: str

    @property
    def verdict_words(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def is_finding(self) -> bool:
        return self.verdict in FINDINGS


@dataclass
class AutonomyUse:
    autonomy: Autonomy
    measured: bool
    grants: list[GrantUse]

    def count(self, verdict: str) -> int:
        return sum(1 for g in self.grants if g.verdict == verdict)

    @property
    def used_count(self) -> int:
        return self.count(USED)

    @property
    def too_early_count(self) -> int:
        return self.count(TOO_EARLY)

    @property
    def findings(self) -> list[GrantUse]:
        return [g for g in self.grants if g.is_finding]


def _last_held_year(grant: AutonomyGrant, *, this_year: int) -> int:
    if grant.status in HELD_STATUSES:
        end = grant.ends_on
        return min(this_year, start_year_of(end)) if end else this_year
    ended = grant.ended_at.date() if grant.ended_at else grant.ends_on
    return start_year_of(ended) if ended else this_year


def grant_use_verdict(*, first: int, last: int, this_year: int, shares: dict[int, Decimal]) -> tuple:
    """(before, best while held, verdict) for a grant held from school year `first` to `last`."""
    before = shares.get(first - 1)
    held = [shares[y] for y in range(first, last + 1) if y in shares]
    best = max(held) if held else None
    if before is not None and best is not None:
        return before, best, USED if best >= before + USE_POINTS else NOT_USED
    if not held and first < this_year and last >= first:
        return before, None, NO_PLAN
    return before, best, TOO_EARLY


def use_table(*, domain: str = "") -> list[AutonomyUse]:
    today = timezone.localdate()
    this_year = start_year_of(today)
    autonomies = list(Autonomy.objects.filter(**({"domain": domain} if domain else {})))
    money_ids = [a.pk for a in autonomies if a.domain == Domain.MONEY]
    grants = list(
        AutonomyGrant.objects.filter(autonomy_id__in=money_ids, starts_on__lte=today)
        .select_related("school")
        .annotate(ended_at=Max("events__at", filter=Q(events__to_status__in=ENDED)))
        .order_by("autonomy_id", "school__code", "starts_on")
    )
    shares: dict[int, dict[int, Decimal]] = defaultdict(dict)
    metric = Metric.objects.filter(code=DISCRETIONARY_SHARE).first() if grants else None
    if metric:
        rows = Observation.objects.filter(metric=metric, school_id__in={g.school_id for g in grants})
        for school_id, period, value in rows.values_list("school_id", "period", "value"):
            shares[school_id][int(period[:4])] = value
    by_autonomy = defaultdict(list)
    for grant in grants:
        first = start_year_of(grant.starts_on)
        last = _last_held_year(grant, this_year=this_year)
        before, best, verdict = grant_use_verdict(
            first=first, last=last, this_year=this_year, shares=shares[grant.school_id]
        )
        by_autonomy[grant.autonomy_id].append(
            GrantUse(grant, school_year_label(first), school_year_label(max(first, last)), before, best, verdict)
        )
    return [AutonomyUse(a, a.domain == Domain.MONEY, by_autonomy[a.pk]) for a in autonomies]
