"""Reads of the autonomy catalog's pages: the entries by domain, one entry with who holds it today and how a
school gets it. Which schools a person sees holding it is scoped by schools.policies.schools_visible_to."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from autonomy.models import (
    OPEN_REQUEST_STATUSES,
    Autonomy,
    AutonomyGrant,
    CallForProposals,
    ClarifiedFlexibility,
    Domain,
    EligibilityCriterion,
)
from autonomy.models.catalog import AutonomyRevision
from autonomy.policies import requests_visible_to
from core.versions import fragment
from schools.models import School
from schools.policies import roles_of, schools_visible_to

# The schools named on an entry's page; past this many, the page gives the count and the first ones.
HOLDERS_SHOWN = 60
FLEXIBILITIES_SHOWN = 5


def _held_count(today: datetime.date) -> Coalesce:
    """How many schools hold the autonomy on the day: the one rule of AutonomyGrant.objects.held_on."""
    held = (
        AutonomyGrant.objects.held_on(today)
        .filter(autonomy=OuterRef("pk"))
        .order_by()
        .values("autonomy")
        .annotate(count=Count("school", distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), 0)


def _criteria() -> Prefetch:
    return Prefetch("criteria", queryset=EligibilityCriterion.objects.select_related("metric").order_by("metric__name"))


def catalog_by_domain(*, today: datetime.date) -> list[tuple[str, str, list[Autonomy]]]:
    """Every entry, People, Time, Money, Program, each with `held_count` and its criteria: two queries, or
    none while the shared cache holds them. The same for everyone, so kept under the catalog's and the
    grants' versions and the day (a grant starting today is held from today without a change to its row)."""

    def build() -> list[Autonomy]:
        return list(
            Autonomy.objects.annotate(held_count=_held_count(today))
            .prefetch_related(_criteria())
            .order_by("display_order", "name")
        )

    entries = fragment("catalog", ("catalog", "grants"), (today,), build)
    return [(d.value, d.label, [a for a in entries if a.domain == d]) for d in Domain]


def catalog_entry_get(*, code: str, today: datetime.date) -> Autonomy:
    entry = (
        Autonomy.objects.annotate(held_count=_held_count(today))
        .prefetch_related(
            _criteria(),
            Prefetch("revisions", queryset=AutonomyRevision.objects.select_related("changed_by")),
        )
        .filter(code=code)
        .first()
    )
    if entry is None:
        raise Http404("No such autonomy in the catalog.")
    return entry


@dataclass
class SchoolStanding:
    """A school the viewer works at, and whether it holds the autonomy today."""

    school: School
    grant: AutonomyGrant | None  # the grant held today, if any
    open_request_call_ids: set[int] = field(default_factory=set)  # calls it already has a request open in


@dataclass
class CatalogEntryPage:
    holders: list[AutonomyGrant]  # held today, in the schools the viewer may see (at most HOLDERS_SHOWN)
    holders_visible: int  # how many of the holders the viewer may see
    sees_whole_district: bool
    open_calls: list[CallForProposals]  # open today and offering the autonomy
    upcoming_calls: list[CallForProposals]
    own_schools: list[SchoolStanding]
    flexibilities: list[ClarifiedFlexibility]
    flexibility_count: int


def catalog_entry_page(*, user: AbstractBaseUser, autonomy: Autonomy, today: datetime.date) -> CatalogEntryPage:
    """Who holds the entry today (as far as the viewer may see), the calls offering it, and the viewer's
    own schools' standing: a fixed number of queries, whatever the number of schools."""
    held = AutonomyGrant.objects.held_on(today).filter(autonomy=autonomy)
    visible = held.filter(school__in=schools_visible_to(user))
    holders = list(visible.select_related("school").order_by("school__name")[:HOLDERS_SHOWN])
    holders_visible = len(holders) if len(holders) < HOLDERS_SHOWN else visible.count()
    calls = list(autonomy.calls.filter(closes_on__gte=today).order_by("opens_on", "title"))
    roles = roles_of(user)
    own_schools = []
    if roles.school_ids:
        schools = list(schools_visible_to(user).filter(pk__in=roles.school_ids).order_by("name"))
        held_by_school = {g.school_id: g for g in held.filter(school__in=schools)}
        open_requests = requests_visible_to(user).filter(school__in=schools, status__in=OPEN_REQUEST_STATUSES)
        calls_by_school: dict[int, set[int]] = {}
        for school_id, call_id in open_requests.values_list("school_id", "call_id"):
            calls_by_school.setdefault(school_id, set()).add(call_id)
        own_schools = [
            SchoolStanding(school, held_by_school.get(school.pk), calls_by_school.get(school.pk, set()))
            for school in schools
        ]
    flexibilities = ClarifiedFlexibility.objects.filter(autonomy=autonomy).order_by("-created_at", "-pk")
    return CatalogEntryPage(
        holders=holders,
        holders_visible=holders_visible,
        sees_whole_district=roles.is_central_office,
        open_calls=[c for c in calls if c.is_open_on(today)],
        upcoming_calls=[c for c in calls if c.opens_on > today],
        own_schools=own_schools,
        flexibilities=list(flexibilities[:FLEXIBILITIES_SHOWN]),
        flexibility_count=flexibilities.count(),
    )


def catalog_entry_for_edit(*, code: str) -> Autonomy:
    entry = Autonomy.objects.filter(code=code).first()
    if entry is None:
        raise Http404("No such autonomy in the catalog.")
    return entry


def latest_revision_id(*, autonomy: Autonomy) -> int | None:
    return autonomy.revisions.order_by("-changed_at", "-pk").values_list("pk", flat=True).first()


def revisions_of(*, autonomy: Autonomy) -> QuerySet[AutonomyRevision]:
    return autonomy.revisions.select_related("changed_by").order_by("-changed_at", "-pk")
