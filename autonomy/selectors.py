from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from autonomy.models import (
    HELD_STATUSES,
    IN_REVIEW_STATUSES,
    LIVE_STATUSES,
    OPEN_REQUEST_STATUSES,
    AccountabilityModel,
    Autonomy,
    AutonomyGrant,
    AutonomyRequest,
    CallForProposals,
    CallQuestion,
    Comparator,
    CriterionKind,
    Domain,
    EligibilityCriterion,
    GrantStatus,
    RequestEvent,
    RequestItem,
    RequestRoute,
    ReviewComment,
    TargetOutcome,
    compare,
)
from autonomy.policies import can_read_internal_comments, requests_visible_to
from core.versions import fragment
from metrics.formatting import format_change, format_value
from metrics.models import Direction, Metric, Observation
from schools.models import School
from schools.periods import school_year_label
from schools.policies import roles_of, schools_visible_to


@dataclass(frozen=True)
class DecisionRight:
    """An autonomy and the school's grant of it, if it has one."""

    autonomy: Autonomy
    grant: AutonomyGrant | None

    @property
    def held(self) -> bool:
        return self.grant is not None and self.grant.is_held


class SchoolRight(Protocol):
    """A decision right as a row of a school's rights shows it: whether the school holds it."""

    @property
    def held(self) -> bool: ...


@dataclass(frozen=True)
class DomainRow:
    """One domain of a school's decision rights, in the catalog's order: the matrix's DecisionRight rows, or
    the decision grid's fuller GridRight ones."""

    domain: str
    label: str
    rights: Sequence[SchoolRight]

    @property
    def held_count(self) -> int:
        return sum(right.held for right in self.rights)


def decision_rights_for_school(*, school: School) -> list[DomainRow]:
    """The matrix domain × autonomy for one school: which it holds, under which model. Two queries."""
    live = {
        grant.autonomy_id: grant
        for grant in AutonomyGrant.objects.filter(school=school, status__in=(*HELD_STATUSES, GrantStatus.SUSPENDED))
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
    """Schools with network, liaison and the autonomies they hold, in a fixed number of queries.

    Only the columns the overview shows are read: it is the page central office opens most.
    """
    held = (
        AutonomyGrant.objects.held_on()
        .select_related("autonomy")
        .only("school_id", "model", "status", "autonomy__name", "autonomy__domain", "autonomy__display_order")
        .order_by("autonomy__domain", "autonomy__display_order")
    )
    schools = (
        schools_visible_to(user)
        .select_related("network", "liaison")
        .only(
            "code",
            "name",
            "enrollment",
            "network__name",
            "liaison__username",
            "liaison__first_name",
            "liaison__last_name",
        )
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


def overview_totals_for(*, user: AbstractBaseUser, schools: QuerySet[School], filtered: bool) -> OverviewTotals:
    """The overview's totals. Central office without a filter sees the whole district: the same figures for
    all of them, kept in the shared cache under the grants' version and the day (a grant starting today is
    held from today without any change to its row)."""
    if filtered or not roles_of(user).is_central_office:
        return overview_totals(schools=schools)
    today = timezone.localdate()
    return fragment(
        "overview-totals", ("grants",), (today.isoformat(),), lambda: overview_totals(schools=School.objects.all())
    )


def overview_totals(*, schools: QuerySet[School]) -> OverviewTotals:
    """How many of these schools hold decisions, per domain: two aggregate queries."""
    held = AutonomyGrant.objects.held_on().filter(school__in=schools.values("pk"))
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


def plain_number(value) -> str:
    """80, 4.5, 0.25 — never 8E+1, which is what Decimal.normalize() prints for 80."""
    return format(value.normalize(), "f")


def eligibility_for(*, school: School, autonomies: list[Autonomy]) -> dict[int, list[CriterionCheck]]:
    """Per earned autonomy, each criterion against the school's latest observation: two queries."""
    criteria = list(
        EligibilityCriterion.objects.filter(autonomy__in=autonomies).select_related("metric").order_by("pk")
    )
    history: dict[int, dict[str, Observation]] = defaultdict(dict)
    for observation in Observation.objects.filter(school=school, metric_id__in={c.metric_id for c in criteria}):
        history[observation.metric_id][observation.period] = observation
    checks: dict[int, list[CriterionCheck]] = {a.pk: [] for a in autonomies}
    for criterion in criteria:
        by_period = history.get(criterion.metric_id, {})
        latest = by_period[max(by_period)] if by_period else None  # periods sort as text: 2025-26 after 2024-25
        earlier = by_period.get(criterion_baseline_period(criterion, latest.period)) if latest else None
        checks[criterion.autonomy_id].append(criterion_check(criterion, latest, earlier))
    return checks


def criterion_words(criterion: EligibilityCriterion) -> str:
    """A criterion as the district states it: "Finance evaluation rating at least 4", "Proficiency in ELA
    up by at least 3 points over 2 years". The criterion comes with its metric. In the active language: kept
    evidence is written in the site's (autonomy.services.request_review)."""
    metric = criterion.metric
    if criterion.kind == CriterionKind.IMPROVEMENT:
        words = {"metric": metric.name, "amount": format_change(metric, criterion.threshold).lstrip("+-")}
        words["years"] = criterion.years
        if metric.direction == Direction.HIGHER:
            sentence = ngettext(
                "%(metric)s up by at least %(amount)s over %(years)s year",
                "%(metric)s up by at least %(amount)s over %(years)s years",
                criterion.years,
            )
        else:
            sentence = ngettext(
                "%(metric)s down by at least %(amount)s over %(years)s year",
                "%(metric)s down by at least %(amount)s over %(years)s years",
                criterion.years,
            )
        return sentence % words
    return f"{metric.name} {criterion.get_comparator_display()} {format_value(metric, criterion.threshold)}"


def criterion_baseline_period(criterion: EligibilityCriterion, latest_period: str) -> str | None:
    """The school year an improvement criterion compares the latest one with (None for a level)."""
    if criterion.kind != CriterionKind.IMPROVEMENT:
        return None
    return school_year_label(int(latest_period[:4]) - criterion.years)


def criterion_check(
    criterion: EligibilityCriterion, observation: Observation | None, earlier: Observation | None = None
) -> CriterionCheck:
    """One criterion against the school's latest observation of its metric (and, for an improvement, the
    observation its years before); no observation never holds.

    The one rule of eligibility: the request decision, the nightly list of newly eligible schools and the
    nightly re-check of earned grants all judge here. The criterion comes with its metric.
    """
    metric = criterion.metric
    if criterion.kind == CriterionKind.IMPROVEMENT:
        change = None
        if observation is not None and earlier is not None:
            change = observation.value - earlier.value
            if metric.direction == Direction.LOWER:
                change = -change
        return CriterionCheck(
            criterion=criterion_words(criterion),
            metric=metric.code,
            comparator=Comparator.GTE,
            threshold=plain_number(criterion.threshold),
            period=_("%(start)s to %(end)s") % {"start": earlier.period, "end": observation.period}
            if change is not None
            else None,
            value=format_change(metric, change) if change is not None else None,
            holds=change is not None and change >= criterion.threshold,
        )
    holds = observation is not None and compare(observation.value, criterion.comparator, criterion.threshold)
    return CriterionCheck(
        criterion=criterion_words(criterion),
        metric=metric.code,
        comparator=criterion.comparator,
        threshold=plain_number(criterion.threshold),
        period=observation.period if observation else None,
        value=plain_number(observation.value) if observation else None,
        holds=holds,
    )


# --- requests and calls -------------------------------------------------------------------------
# Every read of a request starts from requests_visible_to(user): what a user may not see is a 404.


def request_get_for_user(*, user: AbstractBaseUser, pk: int) -> AutonomyRequest:
    """One request with everything its pages show, in a fixed number of queries; 404 if not visible.

    Comments come as `visible_comments`: school staff get only those sent to the school.
    """
    request = (
        requests_visible_to(user)
        .select_related("school", "call", "created_by", "decided_by")
        .prefetch_related(
            Prefetch("items", queryset=RequestItem.objects.select_related("autonomy")),
            "call__questions",
            "answers",
            Prefetch("outcomes", queryset=TargetOutcome.objects.select_related("metric")),
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
            "routes",
        )
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    comments = ReviewComment.objects.select_related("author")
    if not can_read_internal_comments(user, request):
        comments = comments.filter(to_school=True)
    prefetch_related_objects([request], Prefetch("comments", queryset=comments, to_attr="visible_comments"))
    return request


@dataclass(frozen=True)
class AnsweredQuestion:
    question: CallQuestion
    text: str


def request_answers(*, request: AutonomyRequest) -> list[AnsweredQuestion]:
    """The call's questions with the school's answers, from what request_get_for_user prefetched."""
    answers = {answer.question_id: answer.text for answer in request.answers.all()}
    return [AnsweredQuestion(q, answers.get(q.pk, "")) for q in request.call.questions.all()]


def requests_for_queue(*, user: AbstractBaseUser) -> QuerySet[AutonomyRequest]:
    """Requests awaiting review that are routed to the user's functions (all, for the autonomy office).

    Oldest first; with comment counts and whether the viewer commented, so the page costs the same
    queries for 2 rows or 2,000. A school's own staff never review it, so their school is left out.
    """
    roles = roles_of(user)
    requests = requests_visible_to(user).filter(status__in=IN_REVIEW_STATUSES).exclude(school_id__in=roles.school_ids)
    if not roles.is_admin:
        routed = RequestRoute.objects.filter(request=OuterRef("pk"), function__in=roles.functions)
        requests = requests.filter(Exists(routed))
    return (
        requests.select_related("school", "call")
        .annotate(
            comment_count=Count("comments", distinct=True),
            viewer_commented=Exists(ReviewComment.objects.filter(request=OuterRef("pk"), author=user)),
        )
        .prefetch_related(Prefetch("items", queryset=RequestItem.objects.select_related("autonomy")))
        .order_by("submitted_at", "pk")
    )


def requests_for_list(
    *, user: AbstractBaseUser, status: str = "", call_id: int | None = None
) -> QuerySet[AutonomyRequest]:
    requests = (
        requests_visible_to(user).select_related("school", "call").annotate(item_count=Count("items", distinct=True))
    )
    if status:
        requests = requests.filter(status=status)
    if call_id:
        requests = requests.filter(call_id=call_id)
    return requests.order_by("-updated_at", "-pk")


def call_get(*, pk: int) -> CallForProposals:
    return get_object_or_404(CallForProposals, pk=pk)


@dataclass(frozen=True)
class CallBoard:
    open: list[CallForProposals]
    upcoming: list[CallForProposals]
    closed: list[CallForProposals]
    open_requests: dict[int, AutonomyRequest]  # call id → the user's school's open request in it


def calls_for_board(*, user: AbstractBaseUser, today) -> CallBoard:
    """Every call, split by its window, with the autonomies it offers: three queries."""
    calls = list(CallForProposals.objects.prefetch_related("autonomies").order_by("closes_on", "title"))
    mine = requests_visible_to(user).filter(school_id__in=roles_of(user).school_ids, status__in=OPEN_REQUEST_STATUSES)
    return CallBoard(
        open=[c for c in calls if c.is_open_on(today)],
        upcoming=[c for c in calls if c.opens_on > today],
        closed=sorted((c for c in calls if c.closes_on < today), key=lambda c: c.closes_on, reverse=True),
        open_requests={r.call_id: r for r in mine} if roles_of(user).school_ids else {},
    )


def calls_for_filter() -> QuerySet[CallForProposals]:
    return CallForProposals.objects.order_by("-opens_on", "title")


def call_autonomies_by_domain(*, call: CallForProposals) -> list[tuple[str, str, list[Autonomy]]]:
    """The call's autonomies grouped People, Time, Money, Program, with eligibility criteria: two queries."""
    autonomies = list(
        call.autonomies.prefetch_related(
            Prefetch("criteria", queryset=EligibilityCriterion.objects.select_related("metric"))
        ).order_by("display_order", "name")
    )
    groups = [(d.value, d.label, [a for a in autonomies if a.domain == d]) for d in Domain]
    return [group for group in groups if group[2]]


def autonomy_ids_with_live_grant(*, school_id: int) -> set[int]:
    """The autonomies the school holds or has suspended now: a request may not ask for them again."""
    live = AutonomyGrant.objects.filter(school_id=school_id, status__in=LIVE_STATUSES)
    return set(live.values_list("autonomy_id", flat=True))


def autonomies_by_domain() -> list[tuple[str, str, list[Autonomy]]]:
    """The whole catalog grouped by domain, for opening a call."""
    catalog = list(Autonomy.objects.order_by("display_order", "name"))
    return [(d.value, d.label, [a for a in catalog if a.domain == d]) for d in Domain]


def schools_user_acts_for(*, user: AbstractBaseUser) -> QuerySet[School]:
    """The schools whose requests the user may start: where they are principal or on the school team."""
    return schools_visible_to(user).filter(pk__in=roles_of(user).school_ids).order_by("name")


def metrics_for_outcomes() -> list[Metric]:
    """The metrics catalog a school picks its target outcomes from."""
    return list(Metric.objects.order_by("category", "name"))
