"""The flag workflow: every (state, action) of the table, who may take each step, and what a step writes."""

import datetime

import pytest
from django.utils import timezone

from accountability.models import FlagEvent, FlagStatus, InterventionFlag
from accountability.policies import (
    can_acknowledge_flag,
    can_escalate_flag,
    can_resolve_flag,
    can_run_evaluation,
    can_submit_plan,
    flags_visible_to,
)
from accountability.services import (
    evaluation_run,
    flag_acknowledge,
    flag_escalate,
    flag_resolve,
    flag_submit_plan,
)
from accountability.workflows import FLAG_WORKFLOW
from autonomy.models import GrantStatus
from contracts.models import TemplateBenchmark
from core.errors import ApplicationError, Conflict, NotPermitted
from core.models import Notification
from schools.models import Role
from tests.accountability.builders import (
    AS_OF,
    active_contract,
    ela_template,
    flag_of,
    flagged_schools,
    observe,
    school_years,
)
from tests.factories import MembershipFactory, SchoolFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_member):
    admin = make_member(Role.ADMIN)
    liaison = make_member(Role.LIAISON)
    pairs = flagged_schools(2, admin=admin, template=ela_template(), liaison=liaison)
    (own, principal), (other, other_principal) = pairs
    other.liaison = make_member(Role.LIAISON)
    other.save()
    return {
        "admin": admin,
        "liaison": liaison,
        "principal": principal,
        "team": MembershipFactory(role=Role.SCHOOL_TEAM, school=own).user,
        "other_principal": other_principal,
        "other_liaison": other.liaison,
        "reviewer": make_member(Role.REVIEWER, function="finance"),
        "viewer": make_member(Role.VIEWER),
        "own": own,
        "other": other,
    }


SERVICES = {
    "acknowledge": (flag_acknowledge, "liaison", {"note": "Meeting on Monday."}),
    "submit_plan": (flag_submit_plan, "principal", {"plan": "Tutoring twice a week; coaching for grade 3."}),
    "resolve": (flag_resolve, "admin", {"note": "Plan carried out."}),
    "escalate": (flag_escalate, "admin", {"note": "No progress by the deadline."}),
}
STATES = list(FlagStatus.values)


def _put(flag, status):
    """Test setup: a flag in a given state, as earlier steps would have left it."""
    InterventionFlag.objects.filter(pk=flag.pk).update(status=status)


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("action", list(SERVICES))
def test_the_table_walk_every_state_and_action(people, status, action):
    flag = flag_of(people["own"])
    _put(flag, status)
    service, who, fields = SERVICES[action]
    actor = people[who]
    events = FlagEvent.objects.count()
    transition = FLAG_WORKFLOW.step(status, action)
    if transition is None:
        with pytest.raises(Conflict):
            service(actor=actor, flag_id=flag.pk, expected_status=status, **fields)
        flag.refresh_from_db()
        assert flag.status == status and FlagEvent.objects.count() == events
        return
    done = service(actor=actor, flag_id=flag.pk, expected_status=status, **fields)
    flag.refresh_from_db()
    assert flag.status == done.status == transition.target
    event = flag.events.latest("pk")
    assert (event.actor, event.action, event.from_status, event.to_status) == (actor, action, status, transition.target)
    # The principal and the liaison hear of it, except whoever took the step; once per event.
    told = set(Notification.objects.filter(key=f"flag:{flag.pk}:event:{event.pk}").values_list("user", flat=True))
    assert told == {people["principal"].pk, people["liaison"].pk} - {actor.pk}


def test_the_table_names_every_live_state_and_nothing_leaves_a_closed_one():
    closed = {FlagStatus.RESOLVED, FlagStatus.ESCALATED}
    assert not [t for t in FLAG_WORKFLOW.transitions if t.source in closed]
    for action in SERVICES:
        assert {t.source for t in FLAG_WORKFLOW.transitions if t.action == action} <= set(STATES)


@pytest.mark.parametrize(
    ("action", "wrong"),
    [
        ("acknowledge", "principal"),
        ("acknowledge", "other_liaison"),
        ("acknowledge", "reviewer"),
        ("submit_plan", "team"),
        ("submit_plan", "liaison"),
        ("submit_plan", "admin"),
        ("submit_plan", "other_principal"),
        ("resolve", "liaison"),
        ("resolve", "principal"),
        ("resolve", "viewer"),
        ("escalate", "liaison"),
        ("escalate", "reviewer"),
    ],
)
def test_a_step_by_the_wrong_person_is_not_permitted_and_saves_nothing(people, action, wrong):
    flag = flag_of(people["own"])
    service, _, fields = SERVICES[action]
    with pytest.raises(NotPermitted):
        service(actor=people[wrong], flag_id=flag.pk, expected_status="open", **fields)
    assert InterventionFlag.objects.get(pk=flag.pk).status == "open" and flag.events.count() == 1


def test_the_admin_may_stand_in_for_the_liaison(people):
    flag = flag_acknowledge(actor=people["admin"], flag_id=flag_of(people["own"]).pk, expected_status="open")
    assert flag.status == FlagStatus.ACKNOWLEDGED


def test_a_stale_expected_status_is_a_conflict(people):
    flag = flag_of(people["own"])
    flag_acknowledge(actor=people["liaison"], flag_id=flag.pk, expected_status="open")
    with pytest.raises(Conflict, match="acknowledged"):
        flag_resolve(actor=people["admin"], flag_id=flag.pk, note="Done.", expected_status="open")
    assert InterventionFlag.objects.get(pk=flag.pk).status == FlagStatus.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("service", "who", "field"),
    [(flag_submit_plan, "principal", "plan"), (flag_resolve, "admin", "note"), (flag_escalate, "admin", "note")],
)
def test_a_required_text_left_empty_names_the_field_and_saves_nothing(people, service, who, field):
    flag = flag_of(people["own"])
    with pytest.raises(ApplicationError) as refused:
        service(actor=people[who], flag_id=flag.pk, expected_status="open", **{field: "   "})
    assert field in refused.value.fields
    after = InterventionFlag.objects.get(pk=flag.pk)
    assert (after.status, after.level, after.plan) == ("open", 1, "") and flag.events.count() == 1


def test_the_plan_is_kept_on_the_flag(people):
    flag = flag_submit_plan(
        actor=people["principal"], flag_id=flag_of(people["own"]).pk, plan="  Tutoring.  ", expected_status="open"
    )
    assert InterventionFlag.objects.get(pk=flag.pk).plan == "Tutoring."


def test_raising_a_flag_climbs_one_rung_keeps_it_live_and_sets_a_new_deadline(people):
    flag = flag_of(people["own"])
    raised = flag_escalate(
        actor=people["admin"], flag_id=flag.pk, note="No reply.", expected_status="open", expected_level=1
    )
    assert (raised.level, raised.status) == (2, "open")
    assert raised.deadline == timezone.localdate() + datetime.timedelta(days=30)
    event = raised.events.latest("pk")
    assert event.action == "escalate" and "corrective action plan required" in event.reason
    with pytest.raises(Conflict, match="level 2"):  # a second person who also saw level 1
        flag_escalate(actor=people["admin"], flag_id=flag.pk, note="No reply.", expected_level=1)
    InterventionFlag.objects.filter(pk=flag.pk).update(level=6)
    with pytest.raises(Conflict, match="last rung"):
        flag_escalate(actor=people["admin"], flag_id=flag.pk, note="Again.")
    assert InterventionFlag.objects.get(pk=flag.pk).level == 6


def test_raising_to_autonomy_at_risk_puts_the_binding_grant_at_risk_in_the_persons_name(people):
    admin, school = people["admin"], SchoolFactory()
    hiring = grant(school, "people.hiring")
    template = ela_template(level=3)
    template.rules.update(condition="binding_missed")
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=hiring.autonomy)
    active_contract(school, admin=admin, template=template, years=school_years())
    observe(school, "2026-27", 40)
    evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))
    flag = flag_of(school)
    hiring.refresh_from_db()
    assert flag.level == 3 and hiring.status == GrantStatus.ACTIVE
    flag_escalate(actor=admin, flag_id=flag.pk, note="The cure period starts.", expected_level=3)
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.AT_RISK and hiring.events.latest("at").actor == admin


@pytest.mark.parametrize(
    ("who", "own_flags", "other_flags"),
    [
        ("principal", 1, 0),
        ("team", 1, 0),
        ("liaison", 1, 0),
        ("other_liaison", 0, 1),
        ("reviewer", 1, 1),
        ("viewer", 1, 1),
        ("admin", 1, 1),
    ],
)
def test_who_sees_which_flags(people, who, own_flags, other_flags):
    visible = flags_visible_to(people[who])
    assert visible.filter(school=people["own"]).count() == own_flags
    assert visible.filter(school=people["other"]).count() == other_flags


POLICIES = {
    "acknowledge": can_acknowledge_flag,
    "submit_plan": can_submit_plan,
    "resolve": can_resolve_flag,
    "escalate": can_escalate_flag,
}
ALLOWED = {
    "acknowledge": {"liaison", "admin"},
    "submit_plan": {"principal"},
    "resolve": {"admin"},
    "escalate": {"admin"},
}


@pytest.mark.parametrize("action", list(POLICIES))
@pytest.mark.parametrize(
    "who", ["principal", "team", "liaison", "other_principal", "other_liaison", "reviewer", "viewer", "admin"]
)
def test_policies_per_role_on_an_open_flag(people, action, who):
    decision = POLICIES[action](people[who], flag_of(people["own"]))
    assert bool(decision) == (who in ALLOWED[action])
    assert decision.allowed or decision.reason


def test_policies_close_with_the_case_and_the_top_rung(people):
    flag = flag_of(people["own"])
    flag.status = FlagStatus.RESOLVED
    assert not any(policy(people["admin"], flag) for policy in POLICIES.values())
    flag.status, flag.level = FlagStatus.OPEN, 6
    assert not can_escalate_flag(people["admin"], flag) and can_resolve_flag(people["admin"], flag)


def test_only_the_admin_runs_the_evaluation(people):
    assert can_run_evaluation(people["admin"])
    assert not any(can_run_evaluation(people[w]) for w in ("principal", "liaison", "reviewer", "viewer"))
