"""Use: did holding an autonomy change what the school does? Read only from what the product holds.

Each measured autonomy has one measure, a value per school and school year, and one rule for a grant:

- **used**: in some school year it was held, the value moved at least the measure's threshold, in the
  measure's direction, from the school's value in the school year before the grant started;
- **not used** (a finding): the value is known for the year before and for at least one year held, and
  no year held moved that far;
- **no record while held** (a finding): the grant was held for at least one whole school year before
  this one and the school has no value for any year it was held;
- **too early to tell**: anything else (the grant started this school year, or the year before it has
  no value to compare with).

The measures:

- Money autonomies: the discretionary share of the school's planned spending, which budgeting records as
  a `discretionary_share` observation when a plan is submitted (and again when it is approved); used at
  USE_POINTS percentage points up.
- Designing the staffing model (`people.staffing_model`): the positions of the school's budget plan for
  the year (submitted or approved), those the district does not mandate, as full-time equivalents by
  job type; used when, in a year held, the school moved at least STAFFING_FTE FTE between job types or in or out of them
  (half the sum of the absolute changes by job type, plus half the change of the total: a post moved
  from one job to another counts once).
- Other people, time and program autonomies: a measure the district imports as a metric, named in
  IMPORTED (the field's portfolio measures: forced staff placements, an alternative schedule, learning
  time, a non-district curriculum…). Until the catalog of metrics holds that code, the autonomy is not
  measured, and the page says what would measure it; an autonomy with no measure at all says so.

A fixed number of queries whatever the number of grants (the catalog, the metrics, the grants, the
values of each kind of measure).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.utils import timezone

from autonomy.models import HELD_STATUSES, Autonomy, AutonomyGrant, Domain, GrantStatus
from budgeting.models import BudgetPlan, PlanStatus, Position
from impact.selectors.years import start_year_of
from metrics.formatting import format_number, format_value
from metrics.models import Metric, Observation
from schools.periods import school_year_label

DISCRETIONARY_SHARE = "discretionary_share"  # written by budgeting.services.budget_metrics
USE_POINTS = Decimal("1")
STAFFING = "people.staffing_model"
STAFFING_FTE = Decimal("0.5")
DECIDED_PLANS = (PlanStatus.SUBMITTED, PlanStatus.APPROVED)  # a plan the school put forward, not a draft
USED, NOT_USED, NO_PLAN, TOO_EARLY = "used", "not_used", "no_plan", "too_early"
VERDICTS = {
    USED: "Used",
    NOT_USED: "Not used: the measure did not move",
    NO_PLAN: "Not used: nothing recorded while held",
    TOO_EARLY: "Too early to tell",
}
FINDINGS = (NOT_USED, NO_PLAN)
ENDED = (GrantStatus.SUSPENDED, GrantStatus.REVOKED, GrantStatus.EXPIRED)


@dataclass(frozen=True)
class Imported:
    """A measure of use the district imports as a metric: its code, what it counts, and which way and how
    far it moves when the school uses the autonomy (in the metric's unit)."""

    metric: str
    words: str
    direction: int  # +1: use moves it up; -1: down
    threshold: Decimal


IMPORTED = {
    "people.hiring": Imported(
        "forced_placements", "staff placed at the school by the district rather than chosen by it", -1, Decimal(1)
    ),
    "time.schedule": Imported(
        "alternative_schedule", "whether the school runs a schedule other than the district's (1 or 0)", 1, Decimal(1)
    ),
    "time.learning_time": Imported("learning_minutes", "minutes of learning in a school week", 1, Decimal(30)),
    "time.pd_calendar": Imported("pd_days_school_set", "professional-development days the school set", 1, Decimal(1)),
    "program.curriculum": Imported(
        "non_district_curriculum", "the share of core courses taught from a curriculum the school chose", 1, Decimal(10)
    ),
    "program.assessment": Imported(
        "non_district_assessments", "interim assessments the school chose in place of the district's", 1, Decimal(1)
    ),
    "program.offerings": Imported("school_designed_offerings", "programs the school designed itself", 1, Decimal(1)),
}


@dataclass
class GrantUse:
    grant: AutonomyGrant
    first_year: str
    last_year: str
    before: Decimal | None
    best_held: Decimal | None
    verdict: str
    before_words: str = ""
    held_words: str = ""

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
    measure: str = ""  # what is measured, in words
    not_measured: str = ""  # why not, in words, when not measured

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


def grant_use_verdict(
    *,
    first: int,
    last: int,
    this_year: int,
    shares: dict[int, Decimal],
    threshold: Decimal = USE_POINTS,
    direction: int = 1,
) -> tuple:
    """(before, furthest while held in the direction of use, verdict) for a grant held from school year
    `first` to `last`, from the school's values by school year."""
    before = shares.get(first - 1)
    held = [shares[y] for y in range(first, last + 1) if y in shares]
    best = (max(held) if direction > 0 else min(held)) if held else None
    if before is not None and best is not None:
        return before, best, USED if direction * (best - before) >= threshold else NOT_USED
    if not held and first < this_year and last >= first:
        return before, None, NO_PLAN
    return before, best, TOO_EARLY


def staffing_moved(before: dict[str, Decimal], after: dict[str, Decimal]) -> Decimal:
    """FTE moved between two staffing plans: half the absolute changes by job type plus half the change of
    the total (a teacher post turned into a coach post is 1; a post added is 1)."""
    jobs = before.keys() | after.keys()
    changes = sum((abs(after.get(j, 0) - before.get(j, 0)) for j in jobs), Decimal(0))
    total = abs(sum(after.values(), Decimal(0)) - sum(before.values(), Decimal(0)))
    return (changes + total) / 2


def _staffing(school_ids) -> dict[int, dict[int, dict[str, Decimal]]]:
    """{school: {start year: {job type: FTE}}}: the positions of each plan the district does not mandate."""
    rows = (
        Position.objects.filter(plan__school_id__in=school_ids, plan__status__in=DECIDED_PLANS, mandated=False)
        .values_list("plan__school_id", "plan__school_year__label", "job_type__name")
        .annotate(fte=Sum("fte"))
    )
    plans = BudgetPlan.objects.filter(school_id__in=school_ids, status__in=DECIDED_PLANS).values_list(
        "school_id", "school_year__label"
    )
    out: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(dict)
    for school, label in plans:
        out[school][int(label[:4])] = {}
    for school, label, job, fte in rows:
        out[school][int(label[:4])][job] = fte
    return out


def _staffing_verdict(*, first: int, last: int, this_year: int, plans: dict[int, dict[str, Decimal]]) -> tuple:
    before = plans.get(first - 1)
    moved = {y: staffing_moved(before, plans[y]) for y in range(first, last + 1) if y in plans and before is not None}
    held = {y: plans[y] for y in range(first, last + 1) if y in plans}
    before_fte = sum(before.values(), Decimal(0)) if before is not None else None
    if before is not None and moved:
        best = max(moved.values())
        return before_fte, best, USED if best >= STAFFING_FTE else NOT_USED
    if not held and first < this_year and last >= first:
        return before_fte, None, NO_PLAN
    return before_fte, None, TOO_EARLY


def _fte(value: Decimal) -> str:
    return f"{format_number(value, 1)} FTE"


def use_table(*, domain: str = "") -> list[AutonomyUse]:
    today = timezone.localdate()
    this_year = start_year_of(today)
    autonomies = list(Autonomy.objects.filter(**({"domain": domain} if domain else {})))
    wanted = {DISCRETIONARY_SHARE, *(m.metric for m in IMPORTED.values())}
    metrics = {m.code: m for m in Metric.objects.filter(code__in=wanted)}
    share = metrics.get(DISCRETIONARY_SHARE)
    measure_of: dict[int, Metric] = {}
    for a in autonomies:
        if a.domain == Domain.MONEY and share is not None:
            measure_of[a.pk] = share
        elif a.code in IMPORTED and IMPORTED[a.code].metric in metrics:
            measure_of[a.pk] = metrics[IMPORTED[a.code].metric]
    staffing = [a.pk for a in autonomies if a.code == STAFFING]
    grants = list(
        AutonomyGrant.objects.filter(autonomy_id__in=[*measure_of, *staffing], starts_on__lte=today)
        .select_related("school")
        .annotate(ended_at=Max("events__at", filter=Q(events__to_status__in=ENDED)))
        .order_by("autonomy_id", "school__code", "starts_on")
    )
    values: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)  # (metric, school) → year → value
    metric_ids = {measure_of[g.autonomy_id].pk for g in grants if g.autonomy_id in measure_of}
    if metric_ids:
        rows = Observation.objects.filter(metric_id__in=metric_ids, school_id__in={g.school_id for g in grants})
        for metric_id, school_id, period, value in rows.values_list("metric_id", "school_id", "period", "value"):
            values[(metric_id, school_id)][int(period[:4])] = value
    staffed = {g.school_id for g in grants if g.autonomy_id in staffing}
    plans = _staffing(staffed) if staffed else {}

    by_autonomy = defaultdict(list)
    for grant in grants:
        first, last = start_year_of(grant.starts_on), _last_held_year(grant, this_year=this_year)
        metric = measure_of.get(grant.autonomy_id)
        if metric is None:  # the staffing model
            before, best, verdict = _staffing_verdict(
                first=first, last=last, this_year=this_year, plans=plans.get(grant.school_id, {})
            )
            words = ("" if before is None else _fte(before), "" if best is None else f"{_fte(best)} moved")
        else:
            rule = IMPORTED.get(grant.autonomy.code) if metric is not share else None
            before, best, verdict = grant_use_verdict(
                first=first,
                last=last,
                this_year=this_year,
                shares=values[(metric.pk, grant.school_id)],
                threshold=rule.threshold if rule else USE_POINTS,
                direction=rule.direction if rule else 1,
            )
            words = tuple("" if v is None else format_value(metric, v) for v in (before, best))
        held = (school_year_label(first), school_year_label(max(first, last)))
        by_autonomy[grant.autonomy_id].append(GrantUse(grant, *held, before, best, verdict, *words))
    return [_row(a, by_autonomy[a.pk], measure_of.get(a.pk)) for a in autonomies]


def _row(autonomy: Autonomy, grants: list[GrantUse], metric: Metric | None) -> AutonomyUse:
    if autonomy.domain == Domain.MONEY:
        if metric is None:
            return AutonomyUse(autonomy, False, [], not_measured="No discretionary share is recorded in the portal.")
        return AutonomyUse(autonomy, True, grants, measure="The discretionary share of the school's planned spending")
    if autonomy.code == STAFFING:
        return AutonomyUse(
            autonomy, True, grants, measure="The positions of the school's budget plan it chose (not mandated)"
        )
    rule = IMPORTED.get(autonomy.code)
    if rule is None:
        return AutonomyUse(autonomy, False, [], not_measured="The portal holds no record that shows it in use.")
    if metric is None:
        return AutonomyUse(
            autonomy,
            False,
            [],
            not_measured=f"Not measured: the portal holds no record of {rule.words}. "
            f"Importing it as the metric “{rule.metric}” would measure it.",
        )
    return AutonomyUse(autonomy, True, grants, measure=f"{metric.name}: {rule.words}")
