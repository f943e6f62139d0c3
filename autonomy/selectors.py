from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet

from autonomy.models import (
    HELD_STATUSES,
    AccountabilityModel,
    Autonomy,
    AutonomyGrant,
    Domain,
    EligibilityCriterion,
    GrantStatus,
    compare,
)
from metrics.models import Observation
from schools.models import School
from schools.policies import schools_visible_to


@dataclass(frozen=True)
class DecisionRight:
    autonomy: Autonomy
    grant: AutonomyGrant | None

    @property
    def held(self) -> bool:
        return self.grant is not None and self.grant.is_held


@dataclass(frozen=True)
class DomainRow:
    domain: str
    label: str
    rights: list[DecisionRight]

    @property
    def held_count(self) -> int:
        return sum(right.held for right in self.rights)


def decision_rights_for_school(*, school: School) -> list[DomainRow]:
    """The matrix domain × autonomy for one school: which it holds, under which model. Two queries."""
    live = {
        grant.autonomy_id: grant
        for grant in AutonomyGrant.objects.filter(
            school=school, status__in=(*HELD_STATUSES, GrantStatus.SUSPENDED)
        ).select_related("granted_by")
    }
    catalog = list(Autonomy.objects.all())
    return [
        DomainRow(
            domain=domain.value,
            label=domain.label,
            rights=[DecisionRight(a, live.get(a.pk)) for a in catalog if a.domain == domain],
        )
        for domain in Domain
    ]


def accountability_model_counts(*, rows: list[DomainRow]) -> dict[str, int]:
    counts = dict.fromkeys(AccountabilityModel.values, 0)
    for row in rows:
        for right in row.rights:
            if right.held:
                counts[right.grant.model] += 1
    return counts


def school_list_for_overview(
    *, user: AbstractBaseUser, network_id: int | None = None, search: str = ""
) -> QuerySet[School]:
    """Schools with network, liaison and the autonomies they hold, in a fixed number of queries."""
    held = (
        AutonomyGrant.objects.filter(status__in=HELD_STATUSES)
        .select_related("autonomy")
        .order_by("autonomy__domain", "autonomy__display_order")
    )
    schools = (
        schools_visible_to(user)
        .select_related("network", "liaison")
        .prefetch_related(Prefetch("grants", queryset=held, to_attr="held_grants"))
        .order_by("name", "pk")
    )
    if network_id:
        schools = schools.filter(network_id=network_id)
    if search:
        schools = schools.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return schools


@dataclass(frozen=True)
class OverviewTotals:
    holding_any: int
    by_domain: list[tuple[str, str, int]]  # (domain, label, schools holding at least one)


def overview_totals(*, schools: QuerySet[School]) -> OverviewTotals:
    """How many of these schools hold decisions, per domain: two aggregate queries."""
    held = AutonomyGrant.objects.filter(school__in=schools.values("pk"), status__in=HELD_STATUSES)
    per_domain = dict(
        held.values("autonomy__domain")
        .annotate(schools=Count("school", distinct=True))
        .values_list("autonomy__domain", "schools")
    )
    return OverviewTotals(
        holding_any=held.values("school").distinct().count(),
        by_domain=[(d.value, d.label, per_domain.get(d.value, 0)) for d in Domain],
    )


@dataclass(frozen=True)
class CriterionCheck:
    criterion: str
    metric: str
    comparator: str
    threshold: str
    period: str | None
    value: str | None
    holds: bool

    def as_evidence(self) -> dict:
        return {
            "criterion": self.criterion,
            "metric": self.metric,
            "comparator": self.comparator,
            "threshold": self.threshold,
            "period": self.period,
            "value": self.value,
            "holds": self.holds,
        }


def eligibility_for(*, school: School, autonomies: list[Autonomy]) -> dict[int, list[CriterionCheck]]:
    """Per earned autonomy, each criterion against the school's latest observation: two queries."""
    criteria = list(
        EligibilityCriterion.objects.filter(autonomy__in=autonomies).select_related("metric").order_by("pk")
    )
    latest: dict[int, Observation] = {}
    for observation in Observation.objects.filter(
        school=school, metric_id__in={c.metric_id for c in criteria}
    ).order_by("metric_id", "period"):
        latest[observation.metric_id] = observation  # periods sort as text: 2025-26 after 2024-25
    checks: dict[int, list[CriterionCheck]] = {a.pk: [] for a in autonomies}
    for criterion in criteria:
        observation = latest.get(criterion.metric_id)
        holds = observation is not None and compare(observation.value, criterion.comparator, criterion.threshold)
        checks[criterion.autonomy_id].append(
            CriterionCheck(
                criterion=str(criterion),
                metric=criterion.metric.code,
                comparator=criterion.comparator,
                threshold=str(criterion.threshold.normalize()),
                period=observation.period if observation else None,
                value=str(observation.value.normalize()) if observation else None,
                holds=holds,
            )
        )
    return checks
