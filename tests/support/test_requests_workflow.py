"""SUPPORT_REQUEST_WORKFLOW walked row by row through the services, by the actor each row names; every other
step is refused from each state; and each actor kind is who the policy says."""

import pytest

from core.errors import Conflict, NotPermitted
from core.workflows import Actor
from support.models import SupportStatus
from support.policies.requests import support_request_acts_as
from support.services.support_request_steps import (
    STEP_SERVICES,
    support_request_reopen,
    support_request_resolve,
    support_request_wait,
)
from support.workflows import SUPPORT_REQUEST_WORKFLOW
from tests.support.requests_builders import raise_request, request_world

pytestmark = pytest.mark.django_db

S = SupportStatus
ROWS = SUPPORT_REQUEST_WORKFLOW.transitions


@pytest.fixture
def world():
    return request_world()


def request_in(world, status):
    """A request brought to `status` through the services."""
    request = raise_request(world)
    if status == S.WAITING:
        support_request_wait(actor=world.staff, request_id=request.pk, message="Send the ledger.")
    if status in (S.RESOLVED, S.REOPENED, S.CLOSED):
        support_request_resolve(actor=world.staff, request_id=request.pk, message="Done.")
    if status == S.REOPENED:
        support_request_reopen(actor=world.principal, request_id=request.pk, reason="Not quite.")
    if status == S.CLOSED:
        STEP_SERVICES["close"](actor=world.principal, request_id=request.pk, rating=3)
    request.refresh_from_db()
    assert request.status == status
    return request


def arguments(world, action):
    return {
        "wait": {"message": "Send the ledger."},
        "answer": {"message": "Here it is."},
        "reassign": {"assignee": world.head, "note": ""},
        "resolve": {"message": "Done."},
        "reopen": {"reason": "Not quite."},
        "close": {"rating": 5, "comment": ""},
    }[action]


def actor_for(world, who):
    return {Actor.REVIEWER: world.staff, Actor.SCHOOL_STAFF: world.team}[who]


def test_every_step_has_a_service_and_every_state_is_reached():
    assert set(SUPPORT_REQUEST_WORKFLOW.person_actions) == set(STEP_SERVICES)
    assert {row.target for row in ROWS} | {S.OPEN} == set(SUPPORT_REQUEST_WORKFLOW.states())


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.source}-{row.action}")
def test_each_row(world, row):
    request = request_in(world, row.source)
    events = request.events.count()
    STEP_SERVICES[row.action](
        actor=actor_for(world, row.who),
        request_id=request.pk,
        expected_status=row.source,
        **arguments(world, row.action),
    )
    request.refresh_from_db()
    assert request.status == row.target
    event = request.events.order_by("-pk").first()
    assert (event.action, event.from_status, event.to_status) == (row.action, row.source, row.target)
    assert request.events.count() == events + 1


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.source}-{row.action}")
def test_the_other_side_may_not_take_the_row(world, row):
    request = request_in(world, row.source)
    other = world.principal if row.who == Actor.REVIEWER else world.staff
    with pytest.raises(NotPermitted):
        STEP_SERVICES[row.action](actor=other, request_id=request.pk, **arguments(world, row.action))
    request.refresh_from_db()
    assert request.status == row.source


CLOSED_TO = [
    (status, action)
    for status in SupportStatus.values
    for action in STEP_SERVICES
    if SUPPORT_REQUEST_WORKFLOW.step(status, action) is None
]


@pytest.mark.parametrize(("status", "action"), CLOSED_TO, ids=lambda value: str(value))
def test_a_step_not_in_the_table_is_a_conflict(world, status, action):
    request = request_in(world, status)
    who = SUPPORT_REQUEST_WORKFLOW.actors_of(action)[0]
    with pytest.raises(Conflict):
        STEP_SERVICES[action](actor=actor_for(world, who), request_id=request.pk, **arguments(world, action))
    request.refresh_from_db()
    assert request.status == status


def test_who_each_actor_kind_is(world):
    request = raise_request(world)
    reviewer = {
        world.staff: True,  # the department's staff
        world.seat: True,  # the assignee
        world.admin: True,  # the autonomy office standing in
        world.hr: False,
        world.viewer: False,
        world.liaison: False,
        world.principal: False,
    }
    for user, allowed in reviewer.items():
        assert bool(support_request_acts_as(user, request, Actor.REVIEWER)) is allowed, user
    school_staff = {world.principal: True, world.team: True, world.liaison: False, world.staff: False}
    for user, allowed in school_staff.items():
        assert bool(support_request_acts_as(user, request, Actor.SCHOOL_STAFF)) is allowed, user
