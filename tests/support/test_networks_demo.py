"""The demo's networks scene (demo.services.support_network_scenes): what the networks pages are shown with
is there, made through the services, and is what it claims to be."""

import random

import pytest

from demo.services.builder import DistrictBuilder
from demo.services.support_network_scenes import networks_scene
from schools.models import Network, NetworkKind
from support.models import (
    Department,
    DepartmentStaff,
    NetworkMembership,
    NetworkRequest,
    OptOutAllowance,
    ServiceOptOut,
    TeamSeat,
)
from support.selectors.networks import network_rows, opt_in_window_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    rng = random.Random(2026)
    district = DistrictBuilder(rng=rng, school_count=12, year_count=3)
    district.organisation()
    networks_scene(district, rng=rng)
    return district


def test_four_networks_of_four_kinds_each_with_room_and_an_offer(district):
    networks = list(Network.objects.order_by("pk"))
    assert [n.kind for n in networks] == [
        NetworkKind.GEOGRAPHIC,
        NetworkKind.AFFINITY,
        NetworkKind.INNOVATION_ZONE,
        NetworkKind.INDEPENDENT,
    ]
    assert all(n.offers and n.capacity for n in networks)
    window = opt_in_window_open()
    assert window is not None and window.school_year == district.future_years[0]
    assert all(row.places_left >= 1 for row in network_rows(school_year=window.school_year))


def test_every_department_has_one_head_and_staff_and_every_network_a_seat_for_each_function(district):
    for department in Department.values:
        rows = DepartmentStaff.objects.filter(department=department)
        assert rows.filter(is_head=True).get().user.username == f"dept-{department}-head".replace("_", "-")
        assert rows.count() == 3
    for network in Network.objects.all():
        assert set(TeamSeat.objects.filter(network=network).values_list("department", flat=True)) == set(
            Department.values
        )
    labels = dict(district.logins.users)
    assert labels["Head of Finance (central office)"] == "dept-finance-head"


def test_opt_outs_are_allowed_in_the_zone_and_the_independent_network_only(district):
    kinds = set(OptOutAllowance.objects.values_list("network__kind", flat=True))
    assert kinds == {NetworkKind.INNOVATION_ZONE, NetworkKind.INDEPENDENT}
    opt_out = ServiceOptOut.objects.get()
    assert opt_out.network.kind == NetworkKind.INNOVATION_ZONE and opt_out.department == "hr"


def test_one_request_waits_one_was_approved_and_the_first_school_is_free_to_ask(district):
    pending = NetworkRequest.objects.get(status="pending")
    approved = NetworkRequest.objects.get(status="approved")
    assert pending.network.kind == NetworkKind.INNOVATION_ZONE
    assert approved.network.kind == NetworkKind.INDEPENDENT
    moved = NetworkMembership.objects.get(request=approved)
    assert moved.school_year == district.future_years[0] and moved.ended_on is None
    first = district.schools[0]
    assert not NetworkRequest.objects.filter(school=first).exists()
    # Last year's and this year's memberships record where each school was.
    for year in district.years[-2:]:
        assert NetworkMembership.objects.filter(school_year=year, ended_on=None).count() == len(district.schools)
