"""Reads about networks: the list with places taken and left and each team by function, a network's page, a
school's network for a year with its history, the opt-in window, and the autonomy office's queue.

A school's network for a year is its current membership for that year; a school with none for the year
stays where it is now (`School.network`). Places taken count schools that way, so a school that never
asked to move still holds its place, and a school approved into a network holds one from the approval on.
Every list here costs the same number of queries for one row or many (pinned in the tests).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from schools.models import Network, Role, School, SchoolYear
from schools.selectors import school_year_of
from support.models import (
    Department,
    NetworkMembership,
    NetworkRequest,
    NetworkRequestStatus,
    OptInWindow,
    OptOutAllowance,
    ServiceOptOut,
    TeamSeat,
)
from support.policies.networks import network_requests_visible_to

# --- school years and the opt-in window ------------------------------------------------------------------


def school_year_current(*, today: datetime.date | None = None) -> SchoolYear | None:
    """The school year today falls in; between two years, the last one that started; None before any."""
    return school_year_of(today or timezone.localdate())


def school_year_has_begun(school_year: SchoolYear, *, today: datetime.date | None = None) -> bool:
    return school_year.start_date <= (today or timezone.localdate())


def opt_in_window_open(*, today: datetime.date | None = None) -> OptInWindow | None:
    """The window open today (the earliest, should two overlap)."""
    today = today or timezone.localdate()
    windows = OptInWindow.objects.select_related("school_year")
    return windows.filter(opens_on__lte=today, closes_on__gte=today).order_by("opens_on", "pk").first()


def opt_in_window_next(*, today: datetime.date | None = None) -> OptInWindow | None:
    """The next window to open after today, to tell a principal when they may choose."""
    today = today or timezone.localdate()
    return OptInWindow.objects.select_related("school_year").filter(opens_on__gt=today).order_by("opens_on").first()


def opt_in_windows() -> list[OptInWindow]:
    return list(OptInWindow.objects.select_related("school_year").order_by("-opens_on"))


# --- places in a network -------------------------------------------------------------------------------


def _current_membership(school_year: SchoolYear):
    return NetworkMembership.objects.filter(school_year=school_year, ended_on__isnull=True)


def network_places_taken(*, network: Network, school_year: SchoolYear) -> int:
    """How many schools are in the network for the year: those whose current membership for the year is
    here, and those with no membership for the year that are here now. One query."""
    members = _current_membership(school_year)
    return School.objects.filter(
        Q(Exists(members.filter(school=OuterRef("pk"), network=network)))
        | Q(network=network) & ~Q(Exists(members.filter(school=OuterRef("pk"))))
    ).count()


def places_taken_expression(network, school_year):
    """An expression counting the schools in `network` for `school_year` (each a value or an OuterRef), as
    network_places_taken counts them: to annotate a list of networks or of requests in one query."""
    deeper = OuterRef(school_year) if isinstance(school_year, OuterRef) else school_year
    moved_here = NetworkMembership.objects.filter(ended_on__isnull=True, school_year=school_year, network=network)
    staying = School.objects.filter(network=network).exclude(
        Exists(NetworkMembership.objects.filter(ended_on__isnull=True, school_year=deeper, school=OuterRef("pk")))
    )
    return _counted(moved_here) + _counted(staying)


def _counted(queryset) -> Coalesce:
    grouped = queryset.order_by().values("network").annotate(c=Count("pk")).values("c")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))


def networks_with_places(school_year: SchoolYear | None) -> QuerySet[Network]:
    """Networks annotated with `places_taken` for the year (0 without a year), teams and allowances
    prefetched, by name."""
    networks = Network.objects.order_by("name").prefetch_related(
        Prefetch("team_seats", queryset=TeamSeat.objects.select_related("user").order_by("department", "pk")),
        Prefetch("opt_out_allowances", queryset=OptOutAllowance.objects.order_by("department")),
    )
    if school_year is None:
        return networks.annotate(places_taken=Value(0, IntegerField()))
    return networks.annotate(places_taken=places_taken_expression(OuterRef("pk"), school_year))


def places_left(capacity: int | None, taken: int) -> int | None:
    """The one rule the list, the queue, the school's form and the API count places by: None where the network
    has no limit, never below 0."""
    return None if capacity is None else max(capacity - taken, 0)


@dataclass
class NetworkRow:
    """A network as the list and its page show it: places taken and left, the team by function."""

    network: Network
    places_taken: int
    team: list[tuple[str, list[TeamSeat]]] = field(default_factory=list)

    @property
    def places_left(self) -> int | None:
        return places_left(self.network.capacity, self.places_taken)

    @property
    def full(self) -> bool:
        return self.places_left == 0

    @property
    def allowances(self) -> list[OptOutAllowance]:
        return list(self.network.opt_out_allowances.all())


def team_by_function(seats) -> list[tuple[str, list[TeamSeat]]]:
    """The seats grouped under each function's name, in the order of Department, functions with no seat left out."""
    grouped: dict[str, list[TeamSeat]] = {}
    for seat in seats:
        grouped.setdefault(seat.department, []).append(seat)
    return [(label, grouped[value]) for value, label in Department.choices if value in grouped]


def network_rows(*, school_year: SchoolYear | None) -> list[NetworkRow]:
    """Every network with its places for the year and its team by function: three queries, whatever the count."""
    return [
        NetworkRow(network=n, places_taken=n.places_taken, team=team_by_function(n.team_seats.all()))
        for n in networks_with_places(school_year)
    ]


def network_row(*, pk: int, school_year: SchoolYear | None) -> NetworkRow:
    network = networks_with_places(school_year).filter(pk=pk).first()
    if network is None:
        raise Http404("No such network.")
    return NetworkRow(
        network=network, places_taken=network.places_taken, team=team_by_function(network.team_seats.all())
    )


def network_schools(*, network: Network, school_year: SchoolYear | None) -> list[School]:
    """The schools in the network for the year (as places are counted), by name."""
    if school_year is None:
        return list(School.objects.filter(network=network).order_by("name"))
    members = _current_membership(school_year)
    return list(
        School.objects.filter(
            Q(Exists(members.filter(school=OuterRef("pk"), network=network)))
            | Q(network=network) & ~Q(Exists(members.filter(school=OuterRef("pk"))))
        ).order_by("name")
    )


# --- a school's network ----------------------------------------------------------------------------------


def school_network_for_year(*, school: School, school_year: SchoolYear) -> Network | None:
    """The network the school is in for the year: its current membership's, or where it is now."""
    membership = _current_membership(school_year).filter(school=school).select_related("network").first()
    return membership.network if membership else school.network


def school_membership_history(*, school: School) -> list[NetworkMembership]:
    """Every membership the school has had, newest first, each with its network, year and request."""
    return list(
        NetworkMembership.objects.filter(school=school)
        .select_related("network", "school_year", "request")
        .order_by("-school_year__start_date", "-started_on", "-pk")
    )


def school_network_requests(*, school: School) -> list[NetworkRequest]:
    return list(
        NetworkRequest.objects.filter(school=school)
        .select_related("network", "school_year", "requested_by")
        .order_by("-created_at", "-pk")
    )


def school_pending_request(*, school: School, school_year: SchoolYear) -> NetworkRequest | None:
    return (
        NetworkRequest.objects.filter(school=school, school_year=school_year, status=NetworkRequestStatus.PENDING)
        .select_related("network", "school_year")
        .first()
    )


def school_opt_outs(*, school: School) -> list[ServiceOptOut]:
    return list(
        ServiceOptOut.objects.filter(school=school)
        .select_related("school_year", "network", "recorded_by")
        .order_by("-school_year__start_date", "department")
    )


def opt_out_allowances_for(*, network: Network | None) -> list[OptOutAllowance]:
    if network is None:
        return []
    return list(OptOutAllowance.objects.filter(network=network).order_by("department"))


# --- requests --------------------------------------------------------------------------------------------


def network_requests_pending(*, user: AbstractBaseUser) -> QuerySet[NetworkRequest]:
    """The queue: pending requests the user may see, the longest waiting first, each with its school,
    year, network and the network's places for that year (`places_taken`)."""
    return (
        network_requests_visible_to(user)
        .filter(status=NetworkRequestStatus.PENDING)
        .select_related("school", "school__network", "school_year", "network", "requested_by")
        .annotate(places_taken=places_taken_expression(OuterRef("network_id"), OuterRef("school_year_id")))
        .order_by("created_at", "pk")
    )


def network_request_get_for_user(*, user: AbstractBaseUser, pk) -> NetworkRequest:
    """The request if the user may see it; otherwise 404, never a hint it exists."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such request.") from None
    found = (
        network_requests_visible_to(user)
        .select_related("school", "school_year", "network", "requested_by")
        .prefetch_related("events__actor")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such request.")
    return found


def autonomy_office_users() -> list:
    """Everyone who acts as the autonomy office, to tell of a new request."""
    return list(
        get_user_model()
        .objects.filter(Q(memberships__role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("pk")
    )
