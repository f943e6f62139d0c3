"""Who may see and do what with networks: role × own/other school, for every question the pages, the API
and the services ask of support.policies.networks."""

import pytest

from core.workflows import Actor
from schools.models import Role
from support.policies.networks import (
    can_decide_network_requests,
    can_manage_networks,
    can_record_opt_out,
    can_request_network,
    can_view_networks,
    can_view_school_network,
    network_memberships_visible_to,
    network_request_acts_as,
    network_requests_visible_to,
    service_opt_outs_visible_to,
)
from support.services.networks import network_memberships_record, opt_out_allowance_set
from support.services.networks_opt_outs import service_opt_out_record
from support.services.networks_requests import network_request_create
from tests.factories import MembershipFactory, UserFactory
from tests.support.networks_world import network_scene

pytestmark = pytest.mark.django_db

ROLES = ["principal", "team", "liaison", "reviewer", "viewer", "admin", "no_role"]


@pytest.fixture
def scene():
    scene = network_scene(zone_capacity=None)
    scene.reviewer = MembershipFactory(role=Role.REVIEWER, function="finance").user
    scene.viewer = MembershipFactory(role=Role.VIEWER).user
    scene.no_role = UserFactory()
    requests = {}
    for school, principal in ((scene.school, scene.principal), (scene.other, scene.other_principal)):
        requests[school.pk] = network_request_create(
            actor=principal, school=school, school_year=scene.next, network=scene.zone, reason="Fit."
        )
    scene.requests = requests
    network_memberships_record(actor=scene.admin, school_year=scene.now)
    opt_out_allowance_set(actor=scene.admin, network=scene.home, department="data", terms="")
    for school, principal in ((scene.school, scene.principal), (scene.other, scene.other_principal)):
        service_opt_out_record(actor=principal, school=school, school_year=scene.now, department="data")
    return scene


# role → (sees own school's, sees other school's)
SEES = {
    "principal": (True, False),
    "team": (True, False),
    "liaison": (True, False),
    "reviewer": (True, True),
    "viewer": (True, True),
    "admin": (True, True),
    "no_role": (False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_networks_and_each_schools_requests_memberships_and_opt_outs(scene, role):
    user = getattr(scene, role)
    assert bool(can_view_networks(user)) == (role != "no_role")
    own, other = SEES[role]
    for queryset in (
        network_requests_visible_to(user),
        network_memberships_visible_to(user),
        service_opt_outs_visible_to(user),
    ):
        schools = set(queryset.values_list("school_id", flat=True))
        assert (scene.school.pk in schools, scene.other.pk in schools) == (own, other), role
    assert bool(can_view_school_network(user, scene.school)) == own
    assert bool(can_view_school_network(user, scene.other)) == other


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_decides_and_keeps_the_networks(scene, role):
    user = getattr(scene, role)
    assert bool(can_decide_network_requests(user)) == (role == "admin")
    assert bool(can_manage_networks(user)) == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_schools_principal_asks_and_opts_out(scene, role):
    user = getattr(scene, role)
    for decide in (can_request_network, can_record_opt_out):
        assert bool(decide(user, scene.school)) == (role == "principal")
        assert not decide(user, scene.other)


@pytest.mark.parametrize("role", ROLES)
def test_the_kernels_question(scene, role):
    user = getattr(scene, role)
    own, other = scene.requests[scene.school.pk], scene.requests[scene.other.pk]
    assert bool(network_request_acts_as(user, own, Actor.PRINCIPAL)) == (role == "principal")
    assert not network_request_acts_as(user, other, Actor.PRINCIPAL)
    assert bool(network_request_acts_as(user, own, Actor.ADMIN)) == (role == "admin")
    assert bool(network_request_acts_as(user, other, Actor.ADMIN)) == (role == "admin")
