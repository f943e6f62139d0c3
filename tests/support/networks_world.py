"""What the networks tests build: the school year under way and the next one (counted from today, so the
tests hold whatever day they run), an opt-in window, networks of each kind, department staff."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from schools.models import Network, NetworkKind, Role
from schools.periods import school_year_label
from support.models import DepartmentStaff, OptInWindow
from tests.factories import MembershipFactory, NetworkFactory, SchoolFactory, SchoolYearFactory, UserFactory


def year_starting(start: int):
    return SchoolYearFactory(
        label=school_year_label(start),
        start_date=datetime.date(start, 7, 1),
        end_date=datetime.date(start + 1, 6, 30),
        first_day=datetime.date(start, 8, 17),
    )


def years_now_and_next():
    today = timezone.localdate()
    start = today.year if today.month >= 7 else today.year - 1
    return year_starting(start), year_starting(start + 1)


def window_open(school_year, *, days_left: int = 10) -> OptInWindow:
    today = timezone.localdate()
    return OptInWindow.objects.create(
        school_year=school_year,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=days_left),
    )


def window_later(school_year) -> OptInWindow:
    today = timezone.localdate()
    return OptInWindow.objects.create(
        school_year=school_year,
        opens_on=today + datetime.timedelta(days=20),
        closes_on=today + datetime.timedelta(days=40),
    )


def network(name: str, *, kind=NetworkKind.GEOGRAPHIC, capacity=None, offers="Coaching and data.") -> Network:
    return NetworkFactory(name=name, kind=kind, capacity=capacity, offers=offers)


def department_staff(department: str, *, head: bool = False, **user_fields):
    user = UserFactory(**user_fields)
    DepartmentStaff.objects.create(user=user, department=department, is_head=head)
    return user


@dataclass
class NetworkScene:
    """Two networks (a full-able one and an open one), a school in the first with its principal and team,
    another school with its principal, the autonomy office, the years and the open window."""

    now: object
    next: object
    home: Network
    zone: Network
    school: object
    principal: object
    team: object
    other: object
    other_principal: object
    admin: object
    liaison: object


def network_scene(*, zone_capacity=2) -> NetworkScene:
    now, nxt = years_now_and_next()
    window_open(nxt)
    home = network("North Network")
    zone = network("Innovation Zone", kind=NetworkKind.INNOVATION_ZONE, capacity=zone_capacity)
    liaison = MembershipFactory(role=Role.LIAISON).user
    school = SchoolFactory(network=home, liaison=liaison)
    other = SchoolFactory(network=home)
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
    team = MembershipFactory(role=Role.SCHOOL_TEAM, school=school).user
    other_principal = MembershipFactory(role=Role.PRINCIPAL, school=other).user
    admin = MembershipFactory(role=Role.ADMIN).user
    return NetworkScene(now, nxt, home, zone, school, principal, team, other, other_principal, admin, liaison)
