"""The autonomy office keeps the networks: each one's kind, offer and capacity, its support team by
function, the services its schools may opt out of, the opt-in window of each school year, and the
memberships that record where every school is.

Requests to join a network are in support.services.networks_requests, opt-outs in
support.services.networks_opt_outs. Every function here asks the policy again (the pages and the API
asked first), refuses bad input naming the field, and saves everything or nothing.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import ApplicationError, NotFound
from core.limits import BRIEF_TEXT, NOTE_TEXT, SHORT_TEXT
from core.policies import require
from core.workflows import limited_text
from schools.models import Network, NetworkKind, School, SchoolYear
from schools.services.networks import school_network_set
from support.models import Department, DepartmentStaff, NetworkMembership, OptInWindow, OptOutAllowance, TeamSeat
from support.policies.networks import can_manage_networks
from support.selectors.networks import network_places_taken, school_year_current


def _refuse(field: str, message: str) -> None:
    raise ApplicationError(message, fields={field: [message]})


def _department(value: str) -> str:
    if value not in Department.values:
        _refuse("department", f"Choose one of: {', '.join(label for _, label in Department.choices)}.")
    return value


# --- the network itself ----------------------------------------------------------------------------------


def network_update(
    *, actor: AbstractBaseUser, network: Network, kind: str, offers: str, capacity: int | None
) -> Network:
    """Change what a network is and offers. The capacity may not drop below the schools it holds in the
    current year or any later year already chosen, so no school loses a place it was given."""
    require(can_manage_networks(actor))
    if kind not in NetworkKind.values:
        _refuse("kind", "Choose a kind of network from the list.")
    offers = limited_text(offers, field="offers", max_length=BRIEF_TEXT)
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1):
        _refuse("capacity", "The capacity is a whole number of schools, at least 1 (or empty for no limit).")
    with transaction.atomic():
        locked = Network.objects.select_for_update().filter(pk=network.pk).first()
        if locked is None:
            raise NotFound("No such network.")
        if capacity is not None:
            for year in _years_still_to_serve():
                taken = network_places_taken(network=locked, school_year=year)
                if taken > capacity:
                    _refuse(
                        "capacity",
                        f"{locked.name} holds {taken} schools in {year.label}: the capacity cannot be below that.",
                    )
        locked.kind, locked.offers, locked.capacity = kind, offers, capacity
        locked.save(update_fields=["kind", "offers", "capacity", "updated_at"])
    return locked


def _years_still_to_serve() -> list[SchoolYear]:
    current = school_year_current()
    later = SchoolYear.objects.filter(start_date__gt=timezone.localdate())
    return ([current] if current else []) + list(later)


# --- the support team ------------------------------------------------------------------------------------


def team_seat_add(
    *, actor: AbstractBaseUser, network: Network, department: str, user: AbstractBaseUser, title: str = ""
) -> TeamSeat:
    """Seat a central-office person on the network's team for a function they work in."""
    require(can_manage_networks(actor))
    department = _department(department)
    title = limited_text(title, field="title", max_length=SHORT_TEXT)
    if user is None or not DepartmentStaff.objects.filter(user=user, department=department).exists():
        label = Department(department).label
        _refuse("user", f"Choose somebody who works in {label}: the team's seats are by function.")
    try:
        with transaction.atomic():
            return TeamSeat.objects.create(network=network, department=department, user=user, title=title)
    except IntegrityError:
        _refuse("user", f"{user.get_full_name() or user.username} already holds that seat on {network.name}'s team.")


def team_seat_remove(*, actor: AbstractBaseUser, seat_id: int) -> None:
    require(can_manage_networks(actor))
    deleted, _ = TeamSeat.objects.filter(pk=seat_id).delete()
    if not deleted:
        raise NotFound("No such seat.")


# --- what schools may opt out of -------------------------------------------------------------------------


def opt_out_allowance_set(*, actor: AbstractBaseUser, network: Network, department: str, terms: str) -> OptOutAllowance:
    """Let the network's schools opt out of a department's service, on written terms (or change the terms)."""
    require(can_manage_networks(actor))
    department = _department(department)
    terms = limited_text(terms, field="terms", max_length=NOTE_TEXT)
    with transaction.atomic():
        allowance, _ = OptOutAllowance.objects.update_or_create(
            network=network, department=department, defaults={"terms": terms}
        )
    return allowance


def opt_out_allowance_remove(*, actor: AbstractBaseUser, allowance_id: int) -> None:
    """Withdraw an allowance for the years to come. Opt-outs already recorded stay: a school that arranged
    its year on the agreement keeps it for that year."""
    require(can_manage_networks(actor))
    deleted, _ = OptOutAllowance.objects.filter(pk=allowance_id).delete()
    if not deleted:
        raise NotFound("No such allowance.")


# --- the opt-in window -----------------------------------------------------------------------------------


def opt_in_window_set(
    *, actor: AbstractBaseUser, school_year: SchoolYear, opens_on: datetime.date, closes_on: datetime.date
) -> OptInWindow:
    """Open (or move) the window in which principals choose a network for the school year."""
    require(can_manage_networks(actor))
    if school_year is None:
        _refuse("school_year", "Choose the school year the window is for.")
    for name, value in (("opens_on", opens_on), ("closes_on", closes_on)):
        if not isinstance(value, datetime.date):
            _refuse(name, "Enter a date.")
    if closes_on < opens_on:
        _refuse("closes_on", "The window must close on or after the day it opens.")
    if closes_on > school_year.end_date:
        _refuse(
            "closes_on", f"The window must close before {school_year.label} ends ({school_year.end_date:%B %-d, %Y})."
        )
    with transaction.atomic():
        window, _ = OptInWindow.objects.update_or_create(
            school_year=school_year, defaults={"opens_on": opens_on, "closes_on": closes_on}
        )
    return window


# --- memberships -----------------------------------------------------------------------------------------


def network_memberships_record(*, actor: AbstractBaseUser, school_year: SchoolYear) -> int:
    """Record where every school is now as its membership for the year, where it has none: the district's
    starting point, so the history of each school's choices begins with where it was. Returns how many
    were recorded; a second run records none."""
    require(can_manage_networks(actor))
    with transaction.atomic():
        have = set(
            NetworkMembership.objects.filter(school_year=school_year, ended_on__isnull=True).values_list(
                "school_id", flat=True
            )
        )
        rows = [
            NetworkMembership(
                school=school, network_id=school.network_id, school_year=school_year, started_on=school_year.start_date
            )
            for school in School.objects.filter(network__isnull=False).order_by("pk")
            if school.pk not in have
        ]
        NetworkMembership.objects.bulk_create(rows)
    return len(rows)


def network_memberships_start(*, today: datetime.date | None = None) -> int:
    """When a school year begins, schools approved into a network for it move there (`School.network`).
    Approvals for a year already under way move the school at once; this catches those decided ahead.
    Idempotent: a school already there is left alone. Returns how many schools moved."""
    year = school_year_current(today=today)
    if year is None:
        return 0
    moving = (
        NetworkMembership.objects.filter(school_year=year, ended_on__isnull=True)
        .exclude(school__network_id=F("network_id"))
        .select_related("school", "network")
    )
    moved = 0
    with transaction.atomic():
        for membership in moving:
            school_network_set(school=membership.school, network=membership.network)
            moved += 1
    return moved
