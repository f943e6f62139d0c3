"""The networks reads: places counted as the rules count them, teams by function, a school's network for a
year and its history, the queue — each list in the same number of queries for one row or twenty."""

import pytest

from schools.models import Role
from support.models import Department, NetworkMembership
from support.selectors.networks import (
    network_places_taken,
    network_requests_pending,
    network_rows,
    network_schools,
    school_membership_history,
    school_network_for_year,
    team_by_function,
)
from support.services.networks import network_memberships_record, opt_out_allowance_set, team_seat_add
from support.services.networks_requests import network_request_approve, network_request_create
from tests.factories import MembershipFactory, SchoolFactory
from tests.support.networks_world import department_staff, network, network_scene, year_starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return network_scene(zone_capacity=3)


def test_places_count_schools_staying_and_schools_approved_in(scene):
    assert network_places_taken(network=scene.home, school_year=scene.next) == 2
    assert network_places_taken(network=scene.zone, school_year=scene.next) == 0
    request = network_request_create(
        actor=scene.principal, school=scene.school, school_year=scene.next, network=scene.zone, reason="Fit."
    )
    assert network_places_taken(network=scene.zone, school_year=scene.next) == 0  # asking takes no place
    network_request_approve(actor=scene.admin, request_id=request.pk)
    assert network_places_taken(network=scene.zone, school_year=scene.next) == 1
    assert network_places_taken(network=scene.home, school_year=scene.next) == 1
    assert network_places_taken(network=scene.home, school_year=scene.now) == 2  # this year is unchanged
    assert school_network_for_year(school=scene.school, school_year=scene.next) == scene.zone
    assert school_network_for_year(school=scene.school, school_year=scene.now) == scene.home
    assert network_schools(network=scene.zone, school_year=scene.next) == [scene.school]
    rows = {row.network.name: row for row in network_rows(school_year=scene.next)}
    assert (rows["Innovation Zone"].places_taken, rows["Innovation Zone"].places_left) == (1, 2)
    assert (rows["North Network"].places_taken, rows["North Network"].places_left) == (1, None)


def test_a_network_at_capacity_is_full(scene):
    for _ in range(3):
        SchoolFactory(network=scene.zone)
    (row,) = [r for r in network_rows(school_year=scene.now) if r.network == scene.zone]
    assert row.full and row.places_left == 0


def test_the_team_is_grouped_by_function_in_the_departments_order(scene):
    people = {d: department_staff(d) for d in (Department.DATA, Department.ACADEMICS)}
    for department, user in people.items():
        team_seat_add(actor=scene.admin, network=scene.home, department=department, user=user)
    (row,) = [r for r in network_rows(school_year=scene.now) if r.network == scene.home]
    assert [function for function, _ in row.team] == ["Academics", "Data and assessment"]
    assert team_by_function([]) == []


def _networks(count, admin):
    for i in range(count):
        made = network(f"Net {i:02d}", capacity=10)
        for department in (Department.FINANCE, Department.HR):
            team_seat_add(actor=admin, network=made, department=department, user=department_staff(department))
        opt_out_allowance_set(actor=admin, network=made, department="data", terms="")
        SchoolFactory(network=made)


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_for_one_network_or_twenty(scene, django_assert_num_queries, count):
    _networks(count, scene.admin)
    with django_assert_num_queries(3):  # networks with places; seats with people; allowances
        rows = network_rows(school_year=scene.next)
        assert len(rows) == count + 2
        assert all(row.team is not None and row.allowances is not None for row in rows)


def _asking(count, scene):
    for _ in range(count):
        school = SchoolFactory(network=scene.home)
        principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
        network_request_create(
            actor=principal, school=school, school_year=scene.next, network=scene.zone, reason="Fit."
        )


@pytest.mark.parametrize("count", [1, 20])
def test_the_queue_costs_the_same_for_one_request_or_twenty(scene, django_assert_num_queries, count):
    scene.zone.capacity = None
    scene.zone.save()
    _asking(count, scene)
    admin = type(scene.admin).objects.get(pk=scene.admin.pk)
    with django_assert_num_queries(2):  # the user's roles; the requests with places
        rows = list(network_requests_pending(user=admin))
        assert len(rows) == count
        assert all(row.places_taken == 0 and row.school.network and row.requested_by for row in rows)


@pytest.mark.parametrize("count", [1, 20])
def test_a_schools_history_costs_one_query(scene, django_assert_num_queries, count):
    for year_offset in range(count):
        year = year_starting(scene.now.start_date.year - year_offset - 1)
        NetworkMembership.objects.create(
            school=scene.school, network=scene.home, school_year=year, started_on=year.start_date
        )
    with django_assert_num_queries(1):
        history = school_membership_history(school=scene.school)
        assert len(history) == count
        assert all(m.network.name and m.school_year.label and m.request is None for m in history)


def test_the_queue_shows_only_what_the_user_may_see(scene):
    _asking(2, scene)
    network_memberships_record(actor=scene.admin, school_year=scene.now)
    assert list(network_requests_pending(user=scene.principal)) == []
    assert network_requests_pending(user=scene.admin).count() == 2
