"""A small district for the support request tests: a school in a network with a finance team seat, its
principal and team, its liaison, another school with its principal, finance's staff (a head, a member, the
team seat's holder), someone in HR, a viewer and the autonomy office."""

from dataclasses import dataclass

from schools.models import Role
from support.models import DepartmentStaff, SupportCategory, TeamSeat
from support.services.support_requests import support_request_create
from tests.factories import MembershipFactory, NetworkFactory, SchoolFactory, UserFactory


@dataclass
class RequestWorld:
    school: object
    other: object
    principal: object
    team: object
    liaison: object
    other_principal: object
    head: object
    staff: object
    seat: object
    hr: object
    viewer: object
    admin: object
    budget: SupportCategory
    repair: SupportCategory


def staff_of(department: str, *, username: str, head: bool = False):
    user = UserFactory(username=username)
    DepartmentStaff.objects.create(user=user, department=department, is_head=head)
    return user


def request_world() -> RequestWorld:
    network = NetworkFactory(name="North")
    liaison = MembershipFactory(role=Role.LIAISON, user=UserFactory(username="liaison")).user
    school = SchoolFactory(network=network, liaison=liaison, name="Lincoln Elementary")
    other = SchoolFactory(name="Adams Middle")
    seat = staff_of("finance", username="finance-seat")
    TeamSeat.objects.create(network=network, department="finance", user=seat)
    return RequestWorld(
        school=school,
        other=other,
        principal=MembershipFactory(role=Role.PRINCIPAL, school=school, user=UserFactory(username="principal")).user,
        team=MembershipFactory(role=Role.SCHOOL_TEAM, school=school, user=UserFactory(username="team")).user,
        liaison=liaison,
        other_principal=MembershipFactory(role=Role.PRINCIPAL, school=other).user,
        head=staff_of("finance", username="finance-head", head=True),
        staff=staff_of("finance", username="finance-staff"),
        seat=seat,
        hr=staff_of("hr", username="hr-staff"),
        viewer=MembershipFactory(role=Role.VIEWER).user,
        admin=MembershipFactory(role=Role.ADMIN, user=UserFactory(username="office")).user,
        budget=SupportCategory.objects.create(code="budget", name="Budget question", department="finance"),
        repair=SupportCategory.objects.create(
            code="repair", name="Facilities repair", department="operations", deadline_business_days=3
        ),
    )


def raise_request(world: RequestWorld, *, category=None, school=None, actor=None, subject="Title I carryover"):
    return support_request_create(
        actor=actor or world.principal,
        school=school or world.school,
        category=category or world.budget,
        subject=subject,
        body="How much of last year's Title I can we carry over?",
    )


class Clock:
    """The portal's clock (django.utils.timezone.now, which localdate reads too) held at a set moment."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, moment) -> None:
        from django.utils import timezone

        self.monkeypatch.setattr(timezone, "now", lambda: moment)
