"""Two approvals racing for a network's last place, from two database connections: the network's row is
locked while its places are counted, so exactly one school gets the place and the other approval is told."""

import threading

import pytest
from django.db import connection

from core.errors import Conflict
from schools.models import Role
from support.models import NetworkMembership, NetworkRequest
from support.services.networks_requests import network_request_approve, network_request_create
from tests.factories import MembershipFactory
from tests.support.networks_world import network_scene

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _race(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[index] = "won"
        except Conflict as conflict:
            outcomes[index] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_approvals_for_the_last_place_one_wins_one_is_told():
    scene = network_scene(zone_capacity=1)
    second_admin = MembershipFactory(role=Role.ADMIN).user
    requests = [
        network_request_create(
            actor=principal, school=school, school_year=scene.next, network=scene.zone, reason="Fit."
        )
        for school, principal in ((scene.school, scene.principal), (scene.other, scene.other_principal))
    ]
    outcomes = _race(
        lambda: network_request_approve(actor=scene.admin, request_id=requests[0].pk),
        lambda: network_request_approve(actor=second_admin, request_id=requests[1].pk),
    )
    assert sorted(o == "won" for o in outcomes) == [False, True]
    loser = next(o for o in outcomes if o != "won")
    assert "Innovation Zone is full" in loser.message
    assert NetworkRequest.objects.filter(status="approved").count() == 1
    assert NetworkRequest.objects.filter(status="pending").count() == 1
    assert NetworkMembership.objects.filter(network=scene.zone, ended_on=None).count() == 1
