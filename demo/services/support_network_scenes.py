"""The demo's networks, told through support's services: four networks of different kinds (geographic,
affinity, an innovation zone and the independent schools, after NYC's Children First Networks, Chicago's
Independent School Principals and Denver's first innovation zone), each with what it offers, a capacity and
a support team with a seat for every function; the central office's departments, each with a head and two
staff; what the innovation zone's and the independent schools may opt out of; the schools' memberships of
last year and this year; next year's opt-in window open, one school approved into the independent
network for next year and one request waiting for the autonomy office.

Run after the budget scene and before the support requests (which route to the network teams' seats).
"""

import datetime
import random

from django.utils import timezone

from demo.services.builder import DistrictBuilder, principals_of
from schools.models import NetworkKind
from support.models import Department, DepartmentStaff
from support.selectors.networks import network_places_taken
from support.services.networks import (
    network_memberships_record,
    network_update,
    opt_in_window_set,
    opt_out_allowance_set,
    team_seat_add,
)
from support.services.networks_opt_outs import service_opt_out_record
from support.services.networks_requests import network_request_approve, network_request_create

# (kind, capacity, what it offers), for the builder's networks in order; later networks are geographic.
NETWORK_SPECS = [
    (
        NetworkKind.GEOGRAPHIC,
        14,
        "Schools of the north side, served by one team that knows the neighbourhood: a weekly visit from the "
        "team's academics partner, shared substitute and transport planning, and joint family events.",
    ),
    (
        NetworkKind.AFFINITY,
        14,
        "Early-literacy and K-8 schools that chose each other by priority: a reading coach shared across the "
        "network, common assessments every six weeks, and principals' learning walks in each other's schools.",
    ),
    (
        NetworkKind.INNOVATION_ZONE,
        12,
        "An innovation zone: schools that redesign their day, staffing and program, with a lighter-touch team "
        "and written agreements on which central services each school may run or buy itself.",
    ),
    (
        NetworkKind.INDEPENDENT,
        12,
        "Independent schools: principals with three or more years of strong ratings, exempt from network "
        "oversight and from budget and school-plan approval, served on request by a small team.",
    ),
]
GEOGRAPHIC_OFFER = "Schools grouped by area, served by one cross-functional team."

# What the innovation zone's and the independent schools' agreements let a school run or buy itself.
ALLOWANCES = {
    NetworkKind.INNOVATION_ZONE: [
        ("hr", "The school recruits and hires its own teachers; it reports vacancies to HR monthly."),
        ("operations", "The school buys food service and custodial work itself, within district safety rules."),
    ],
    NetworkKind.INDEPENDENT: [
        ("academics", "The school chooses its curriculum and coaching; it takes the district's assessments."),
        ("operations", "The school contracts its own operations; the district keeps transport."),
        ("data", "The school runs its own assessment data; it sends results to the district each term."),
    ],
}

STAFF_PER_DEPARTMENT = 2  # besides the head
SEAT_TITLES = {
    "academics": "Academics partner",
    "hr": "Talent partner",
    "finance": "Budget partner",
    "operations": "Operations partner",
    "special_education": "Special education lead",
    "data": "Data strategist",
}


def _username(department: str, suffix: str) -> str:
    return f"dept-{department}-{suffix}".replace("_", "-")


def department_staff_create(district: DistrictBuilder) -> dict[str, list]:
    """A head and two staff for each department (the head first); the heads are demo logins. The rows have no
    rule beyond their constraints, and no service writes them: they are made here, in bulk."""
    usernames = [
        _username(department, suffix)
        for department, _ in Department.choices
        for suffix in ["head", *(str(i + 1) for i in range(STAFF_PER_DEPARTMENT))]
    ]
    users = iter(district._users(usernames))
    staff: dict[str, list] = {}
    rows = []
    for department, label in Department.choices:
        people = [next(users) for _ in range(STAFF_PER_DEPARTMENT + 1)]
        staff[department] = people
        rows += [DepartmentStaff(user=user, department=department, is_head=i == 0) for i, user in enumerate(people)]
        district.logins.users.append((f"Head of {label} (central office)", people[0].username))
    DepartmentStaff.objects.bulk_create(rows)
    return staff


def networks_scene(district: DistrictBuilder, *, rng: random.Random) -> None:
    admin = district.staff["admin"]
    today = timezone.localdate()
    current, following = district.years[-1], district.future_years[0]
    found = sorted({school.network for school in district.schools}, key=lambda n: n.pk)
    networks = []
    for index, network in enumerate(found):
        kind, capacity, offers = NETWORK_SPECS[index] if index < len(NETWORK_SPECS) else (None, 30, GEOGRAPHIC_OFFER)
        taken = network_places_taken(network=network, school_year=current)
        changed = network_update(
            actor=admin,
            network=network,
            kind=kind or NetworkKind.GEOGRAPHIC,
            offers=offers,
            capacity=max(capacity, taken + 2),  # room for a school or two, whatever the district's size
        )
        networks.append(changed)
    staff = department_staff_create(district)
    for index, network in enumerate(networks):
        for department, _ in Department.choices:
            people = staff[department]
            team_seat_add(
                actor=admin,
                network=network,
                department=department,
                user=people[index % len(people)],
                title=SEAT_TITLES[department],
            )
        for department, terms in ALLOWANCES.get(network.kind, []):
            opt_out_allowance_set(actor=admin, network=network, department=department, terms=terms)
    for year in district.years[-2:]:
        network_memberships_record(actor=admin, school_year=year)
    _opt_in(district, admin=admin, today=today, following=following, networks=networks, rng=rng)
    _opt_outs(district, current=current, networks=networks)


def _opt_in(district, *, admin, today, following, networks, rng) -> None:
    """Next year's window, open for three more weeks: one school approved into the independent network a week
    ago, one asking to join the innovation zone. The first school (the demo principal's) is left free to ask."""
    opt_in_window_set(
        actor=admin,
        school_year=following,
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=21),
    )
    by_kind = {network.kind: network for network in networks}
    zone, independent = by_kind.get(NetworkKind.INNOVATION_ZONE), by_kind.get(NetworkKind.INDEPENDENT)
    if zone is None or independent is None:
        return
    principals = principals_of(district.schools)
    candidates = [s for s in district.schools[1:] if s.network_id not in (zone.pk, independent.pk)]
    if len(candidates) < 2:
        return
    moving, asking = candidates[0], candidates[1]
    approved = network_request_create(
        actor=principals[moving.pk],
        school=moving,
        school_year=following,
        network=independent,
        reason=(
            "Our ratings have been strong for four years and our plan is stable: we ask to run our own curriculum "
            "and assessments, and to be served by the independent schools' team on request."
        ),
    )
    network_request_approve(
        actor=admin,
        request_id=approved.pk,
        note="Four years of strong ratings: welcome to the independent schools from July.",
    )
    network_request_create(
        actor=principals[asking.pk],
        school=asking,
        school_year=following,
        network=zone,
        reason=rng.choice(
            [
                "We want to redesign our schedule around a longer literacy block and hire our own teachers.",
                "We are ready to redesign the school day and to buy our own food service and custodial work.",
            ]
        ),
    )


def _opt_outs(district, *, current, networks) -> None:
    """A school of the innovation zone runs its own hiring this year, as the zone's agreement allows."""
    zone = next((n for n in networks if n.kind == NetworkKind.INNOVATION_ZONE), None)
    school = next((s for s in district.schools if zone and s.network_id == zone.pk), None)
    if school is None:
        return
    service_opt_out_record(
        actor=principals_of([school])[school.pk],
        school=school,
        school_year=current,
        department="hr",
        reason="We recruit with our partner university's residency programme and report vacancies monthly.",
    )
