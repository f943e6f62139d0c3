"""Builders for the service surveys' tests: a district of schools with principals in networks, a cycle
drafted, opened and answered through the services, as the product does it."""

import datetime

from django.utils import timezone

from schools.models import Role
from support.models import Department
from support.services.survey_answers import survey_answer_submit
from support.services.surveys import survey_cycle_close, survey_cycle_create, survey_cycle_open
from tests.factories import MembershipFactory, NetworkFactory, SchoolFactory, SchoolYearFactory, UserFactory


def admin_user():
    return MembershipFactory(role=Role.ADMIN, user=UserFactory(is_staff=True, is_superuser=True)).user


def principals_in(network, count: int) -> list[tuple]:
    """`count` schools in the network (None: in no network), each with its principal: [(school, principal)]."""
    pairs = []
    for _ in range(count):
        school = SchoolFactory(network=network)
        pairs.append((school, MembershipFactory(role=Role.PRINCIPAL, school=school).user))
    return pairs


def networks_with(*sizes: int) -> tuple[list, list[tuple]]:
    """One network per size, each with that many schools and principals."""
    networks, pairs = [], []
    for size in sizes:
        network = NetworkFactory()
        networks.append(network)
        pairs += principals_in(network, size)
    return networks, pairs


def open_cycle(admin, *, term="Fall", year=None, today=None, items=None):
    today = today or timezone.localdate()
    year = year or SchoolYearFactory()
    cycle = survey_cycle_create(
        actor=admin,
        school_year=year,
        term=term,
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
        items=items,
    )
    return survey_cycle_open(actor=admin, cycle_id=cycle.pk)


def every_answer(cycle, value=4, **by_department) -> dict:
    """An answer to every statement for every department: `value`, or per department a value (None: no experience)."""
    positions = list(cycle.items.values_list("position", flat=True))
    return {
        department: dict.fromkeys(positions, by_department.get(department, value)) for department in Department.values
    }


def answer(cycle, pairs, value=4, **by_department):
    for school, principal in pairs:
        survey_answer_submit(
            actor=principal, cycle=cycle, school=school, answers=every_answer(cycle, value, **by_department)
        )


def closed_cycle(admin, pairs, *, value=4, term="Fall", **by_department):
    cycle = open_cycle(admin, term=term)
    answer(cycle, pairs, value, **by_department)
    return survey_cycle_close(actor=admin, cycle_id=cycle.pk)
