"""The network request's workflow (support.workflows.NETWORK_REQUEST_WORKFLOW), walked row by row: every
(state, action, person) either takes the table's step or is refused — a step not open now is a conflict,
a person who may never take it is not permitted — and nothing is written by a refusal."""

import pytest

from core.errors import Conflict, NotPermitted
from core.workflows import Actor
from support.models import NetworkRequest, NetworkRequestEvent, NetworkRequestStatus
from support.services.networks_requests import (
    network_request_approve,
    network_request_create,
    network_request_decline,
    network_request_withdraw,
)
from support.workflows import NETWORK_REQUEST_WORKFLOW
from tests.support.networks_world import network_scene

pytestmark = pytest.mark.django_db

PEOPLE = ["principal", "team", "liaison", "admin", "other_principal"]
MAY = {Actor.PRINCIPAL: {"principal"}, Actor.ADMIN: {"admin"}}


@pytest.fixture
def scene():
    scene = network_scene(zone_capacity=None)
    scene.request = network_request_create(
        actor=scene.principal, school=scene.school, school_year=scene.next, network=scene.zone, reason="Fit."
    )
    return scene


def _take(scene, action, actor):
    pk = scene.request.pk
    if action == "approve":
        return network_request_approve(actor=actor, request_id=pk)
    if action == "decline":
        return network_request_decline(actor=actor, request_id=pk, note="Not this year.")
    return network_request_withdraw(actor=actor, request_id=pk)


@pytest.mark.parametrize("state", NetworkRequestStatus.values)
@pytest.mark.parametrize("action", NETWORK_REQUEST_WORKFLOW.actions)
def test_every_state_action_and_person(scene, state, action):
    NetworkRequest.objects.filter(pk=scene.request.pk).update(status=state)
    step = NETWORK_REQUEST_WORKFLOW.step(state, action)
    kinds = NETWORK_REQUEST_WORKFLOW.actors_of(action)
    for who in PEOPLE:
        actor = getattr(scene, who)
        ever = any(who in MAY[kind] for kind in kinds)
        events = NetworkRequestEvent.objects.count()
        if step is not None and who in MAY[step.who]:
            _take(scene, action, actor)
            scene.request.refresh_from_db()
            assert scene.request.status == step.target, (state, action, who)
            assert NetworkRequestEvent.objects.count() == events + 1
            NetworkRequest.objects.filter(pk=scene.request.pk).update(status=state)
            continue
        expected = Conflict if ever and step is None else NotPermitted
        with pytest.raises(expected):
            _take(scene, action, actor)
        assert NetworkRequestEvent.objects.count() == events, (state, action, who)
        scene.request.refresh_from_db()
        assert scene.request.status == state


def test_the_walk_covers_every_row_of_the_table():
    assert {t.who for t in NETWORK_REQUEST_WORKFLOW.transitions} <= set(MAY)
    assert len(NETWORK_REQUEST_WORKFLOW.transitions) == 3
    assert set(NETWORK_REQUEST_WORKFLOW.states()) == set(NetworkRequestStatus.values)


def test_each_step_leaves_its_event_with_who_and_why(scene):
    network_request_decline(actor=scene.admin, request_id=scene.request.pk, note="Not this year.")
    events = list(NetworkRequestEvent.objects.filter(network_request=scene.request).order_by("pk"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("request", "", "pending"),
        ("decline", "pending", "declined"),
    ]
    assert events[-1].actor == scene.admin and events[-1].reason == "Not this year."
