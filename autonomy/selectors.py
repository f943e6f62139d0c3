from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

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
    Domain,
    EligibilityCriterion,
    GrantStatus,
    RequestEvent,
    RequestItem,
    RequestRoute,
    ReviewComment,
    TargetOutcome,
)
from autonomy.policies import can_read_internal_comments, requests_visible_to
from core.versions import fragment
from metrics.models import Metric
from schools.models import School
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
        .only(
            "school_id",
            "model",
            "status",
            "autonomy__name",
            "autonomy__name_es",
            "autonomy__domain",
            "autonomy__display_order",
        )
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
