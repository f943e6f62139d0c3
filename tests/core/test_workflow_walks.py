"""Every workflow table walked through the transition kernel: each (state, action, actor) either moves the
object exactly as its table row says and writes one event naming who, what, from and to — or is refused
(a Conflict when the step is not open in that state, NotPermitted when the actor is not the kind the row
names) and changes nothing.

The app's own policy answers "is this person that kind of actor"; the oracle here is written out from the
roles, not read from the policies, so a policy that drifts from the table fails here.
"""

import pytest
from django.db import transaction

from accountability.models import FlagEvent, FlagStatus, InterventionFlag
from accountability.policies import flag_acts_as
from accountability.workflows import FLAG_WORKFLOW
from autonomy.models import AutonomyRequest, GrantEvent, RequestEvent, RequestRoute
from autonomy.policies import grant_acts_as, request_acts_as
from autonomy.workflows import GRANT_WORKFLOW, REQUEST_WORKFLOW
from contracts.models import ContractEvent, PerformanceContract
from contracts.policies import contract_acts_as
from contracts.workflows import CONTRACT_WORKFLOW
from core.errors import Conflict, NotFound, NotPermitted
from core.workflows import Actor, transition_apply
from schools.models import Role
from tests.accountability.builders import ela_template, flag_of, flagged_schools
from tests.autonomy.factories import CallFactory
from tests.factories import MembershipFactory, SchoolFactory, grant

pytestmark = pytest.mark.django_db

PEOPLE = ["principal", "team", "liaison", "reviewer", "admin", "viewer", "other_principal", "admin_at_school", None]


@pytest.fixture
def world(make_member):
    admin = make_member(Role.ADMIN)
    liaison = make_member(Role.LIAISON)
    (school, principal), _ = flagged_schools(2, admin=admin, template=ela_template(), liaison=liaison)
    other = SchoolFactory()
    admin_at_school = make_member(Role.ADMIN)
    MembershipFactory(user=admin_at_school, role=Role.SCHOOL_TEAM, school=school)
    people = {
        "principal": principal,
        "team": make_member(Role.SCHOOL_TEAM, school=school),
        "liaison": liaison,
        "reviewer": make_member(Role.REVIEWER, function="academics"),
        "admin": admin,
        "viewer": make_member(Role.VIEWER),
        "other_principal": make_member(Role.PRINCIPAL, school=other),
        "admin_at_school": admin_at_school,  # the autonomy office, but working at the school
        None: None,  # the nightly job
    }
    request = AutonomyRequest.objects.create(school=school, call=CallFactory(), created_by=principal)
    RequestRoute.objects.create(request=request, function="academics")
    return {
        "people": people,
        "objects": {
            "request": request,
            "grant": grant(school, "people.hiring", actor=admin),
            "contract": PerformanceContract.objects.get(school=school),
            "flag": flag_of(school),
        },
    }


def may(name: str | None, who: Actor) -> bool:
    """The oracle: which of the people each kind of actor is (the object is always at `school`)."""
    if who == Actor.SYSTEM:
        return name is None
    if who == Actor.RULE:
        return name in (None, "admin")
    return (
        name
        in {
            Actor.PRINCIPAL: {"principal"},
            Actor.SCHOOL_STAFF: {"principal", "team", "admin_at_school"},
            Actor.REVIEWER: {"reviewer", "admin"},
            Actor.LIAISON: {"liaison", "admin"},
            Actor.ADMIN: {"admin"},
        }[who]
    )


WORKFLOWS = {
    "request": (REQUEST_WORKFLOW, request_acts_as, RequestEvent),
    "grant": (GRANT_WORKFLOW, grant_acts_as, GrantEvent),
    "contract": (CONTRACT_WORKFLOW, contract_acts_as, ContractEvent),
    "flag": (FLAG_WORKFLOW, flag_acts_as, FlagEvent),
}


class _Undo(Exception):
    pass


def _cases():
    for noun, (workflow, _, _) in WORKFLOWS.items():
        for state in workflow.states():
            yield pytest.param(noun, state, id=f"{noun}-{state}")


@pytest.mark.parametrize(("noun", "state"), list(_cases()))
def test_every_action_by_every_actor_from_every_state(world, noun, state):
    workflow, acts_as, event_model = WORKFLOWS[noun]
    obj = world["objects"][noun]
    type(obj).objects.filter(pk=obj.pk).update(status=state)
    tried = 0
    for action in workflow.actions:
        row = workflow.step(state, action)
        for name in PEOPLE:
            user = world["people"][name]
            events = event_model.objects.count()
            try:
                with transaction.atomic():
                    moved, event = transition_apply(
                        workflow, pk=obj.pk, action=action, user=user, acts_as=acts_as, reason="Walk."
                    )
                    outcome = ("moved", moved.status, (event.actor, event.action, event.from_status, event.to_status))
                    raise _Undo
            except _Undo:
                pass
            except Conflict:
                outcome = ("conflict",)
            except NotPermitted:
                outcome = ("not_permitted",)
            tried += 1
            allowed_ever = any(may(name, who) for who in workflow.actors_of(action))
            where = f"{noun} {state} {action} by {name}"
            if not allowed_ever:
                assert outcome == ("not_permitted",), where
            elif row is None:
                assert outcome == ("conflict",), where
            elif may(name, row.who):
                assert outcome == ("moved", row.target, (user, action, state, row.target)), where
            else:
                assert outcome == ("not_permitted",), where
            assert type(obj).objects.get(pk=obj.pk).status == state and event_model.objects.count() == events, where
    assert tried == len(workflow.actions) * len(PEOPLE)


def test_a_stale_status_is_a_conflict_before_anything_is_written(world):
    flag = world["objects"]["flag"]
    with pytest.raises(Conflict, match="Somebody acted on this flag first"):
        transition_apply(
            FLAG_WORKFLOW,
            pk=flag.pk,
            action="resolve",
            user=world["people"]["admin"],
            acts_as=flag_acts_as,
            reason="Done.",
            expected_status=FlagStatus.ACKNOWLEDGED,
        )
    assert InterventionFlag.objects.get(pk=flag.pk).status == FlagStatus.OPEN


def test_tables_name_real_states_and_a_person_is_never_offered_the_rules_or_the_nightly_jobs_steps():
    for workflow, _, _ in WORKFLOWS.values():
        states = set(workflow.states())
        assert {t.source for t in workflow.transitions} | {t.target for t in workflow.transitions} <= states
        for state in states:
            assert all(t.who not in (Actor.RULE, Actor.SYSTEM) for t in workflow.person_steps_from(state))


def test_an_id_that_names_nothing_is_not_found(world):
    with pytest.raises(NotFound):
        transition_apply(
            GRANT_WORKFLOW, pk=10**9, action="suspend", user=world["people"]["admin"], acts_as=grant_acts_as
        )
