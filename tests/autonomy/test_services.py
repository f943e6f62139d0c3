import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autonomy.models import Autonomy, AutonomyGrant, GrantEvent, GrantStatus
from autonomy.services import GrantStep, grants_change, grants_issue
from core.errors import ApplicationError, Conflict, NotPermitted
from core.models import Notification
from tests.factories import SchoolFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def test_grants_issue_records_who_when_why_for_each_school():
    admin = UserFactory()
    schools = SchoolFactory.create_batch(3)
    hiring = Autonomy.objects.get(code="people.hiring")
    grants = grants_issue(
        schools=schools,
        autonomy=hiring,
        actor=admin,
        reason="Pilot cohort",
        starts_on=datetime.date(2026, 7, 1),
    )
    assert len(grants) == 3
    assert set(AutonomyGrant.objects.values_list("status", flat=True)) == {GrantStatus.ACTIVE}
    events = GrantEvent.objects.all()
    assert events.count() == 3
    assert {(e.actor_id, e.to_status, e.reason) for e in events} == {(admin.pk, "active", "Pilot cohort")}


def test_grants_issue_leaves_schools_already_holding_it_alone():
    schools = SchoolFactory.create_batch(2)
    hiring = Autonomy.objects.get(code="people.hiring")
    grants_issue(schools=schools[:1], autonomy=hiring, actor=None, reason="First", starts_on=datetime.date(2026, 7, 1))
    second = grants_issue(
        schools=schools, autonomy=hiring, actor=None, reason="Second", starts_on=datetime.date(2026, 7, 1)
    )
    assert [g.school_id for g in second] == [schools[1].pk]
    assert AutonomyGrant.objects.count() == 2


def test_grants_issue_refuses_without_a_reason_and_saves_nothing():
    with pytest.raises(ApplicationError) as refused:
        grants_issue(
            schools=[SchoolFactory()],
            autonomy=Autonomy.objects.get(code="money.budget"),
            actor=None,
            reason="  ",
            starts_on=datetime.date(2026, 7, 1),
        )
    assert "reason" in refused.value.fields
    assert not AutonomyGrant.objects.exists()


def test_grants_issue_refuses_an_end_before_the_start():
    with pytest.raises(ApplicationError) as refused:
        grants_issue(
            schools=[SchoolFactory()],
            autonomy=Autonomy.objects.get(code="money.budget"),
            actor=None,
            reason="Term",
            starts_on=datetime.date(2026, 7, 1),
            ends_on=datetime.date(2026, 6, 1),
        )
    assert "ends_on" in refused.value.fields
    assert not AutonomyGrant.objects.exists()


# --- many grants' steps at once (the nightly run's) ------------------------------------------------------


def _held(count: int, make_member) -> list[AutonomyGrant]:
    grants = []
    for _ in range(count):
        school = SchoolFactory(liaison=UserFactory())
        make_member("principal", school=school)
        grants.append(grant(school, "people.hiring"))
    return grants


def test_grants_change_takes_each_step_with_its_event_and_tells_each_school_once(
    make_member, django_capture_on_commit_callbacks
):
    held = _held(3, make_member)
    until = datetime.date(2026, 12, 31)
    steps = [
        GrantStep(g.pk, "put_at_risk", f"Rule for {g.school.code}.", {"flag": 7}, at_risk_until=until) for g in held
    ]
    with django_capture_on_commit_callbacks(execute=True):
        pairs = grants_change(actor=None, steps=steps)
    assert [(grant.pk, event.to_status) for grant, event in pairs] == [(g.pk, GrantStatus.AT_RISK) for g in held]
    for g in held:
        g.refresh_from_db()
        assert (g.status, g.at_risk_until) == (GrantStatus.AT_RISK, until)
        (event,) = g.events.exclude(action="issue")
        assert (event.actor, event.action, event.from_status, event.reason, event.evidence) == (
            None,
            "put_at_risk",
            GrantStatus.ACTIVE,
            f"Rule for {g.school.code}.",
            {"flag": 7},
        )
        told = Notification.objects.filter(key=f"grant:{g.pk}:event:{event.pk}")
        assert set(told.values_list("user_id", flat=True)) == {
            g.school.liaison_id,
            *g.school.memberships.values_list("user_id", flat=True),
        }
        assert told.first().title == f"{g.school.name}: “Hire and dismiss staff” is at risk"


def test_a_grant_named_twice_takes_both_steps_in_order(make_member):
    (held,) = _held(1, make_member)
    steps = [
        GrantStep(held.pk, "put_at_risk", "First rung.", at_risk_until=datetime.date(2026, 12, 31)),
        GrantStep(held.pk, "revoke_by_rule", "Last rung."),
    ]
    pairs = grants_change(actor=None, steps=steps, notify_school=False)
    assert [event.to_status for _grant, event in pairs] == [GrantStatus.AT_RISK, GrantStatus.REVOKED]
    held.refresh_from_db()
    assert (held.status, held.at_risk_until) == (GrantStatus.REVOKED, None)
    assert list(held.events.order_by("pk").values_list("from_status", "to_status")) == [
        ("", GrantStatus.ACTIVE),
        (GrantStatus.ACTIVE, GrantStatus.AT_RISK),
        (GrantStatus.AT_RISK, GrantStatus.REVOKED),
    ]
    assert not Notification.objects.exists()


def test_one_step_not_open_refuses_the_whole_batch(make_member):
    first, second = _held(2, make_member)
    steps = [GrantStep(first.pk, "revoke_by_rule", "Rung."), GrantStep(second.pk, "cure_by_rule", "Not at risk.")]
    with pytest.raises(Conflict):
        grants_change(actor=None, steps=steps)
    assert set(AutonomyGrant.objects.values_list("status", flat=True)) == {GrantStatus.ACTIVE}
    assert not GrantEvent.objects.exclude(action="issue").exists()
    assert not Notification.objects.exists()


def test_a_person_cannot_take_the_nightly_jobs_steps(make_member):
    (held,) = _held(1, make_member)
    with pytest.raises(NotPermitted):
        grants_change(actor=make_member("admin"), steps=[GrantStep(held.pk, "expire", "By hand.")])
    held.refresh_from_db()
    assert held.status == GrantStatus.ACTIVE


def test_grants_change_costs_the_same_queries_for_1_and_20_grants(make_member, django_assert_num_queries):
    def steps(grants):
        return [GrantStep(g.pk, "revoke_by_rule", "Rung.", {"flag": 1}) for g in grants]

    one, twenty = _held(1, make_member), _held(20, make_member)
    with CaptureQueriesContext(connection) as first:
        grants_change(actor=None, steps=steps(one))
    with django_assert_num_queries(len(first.captured_queries)):
        grants_change(actor=None, steps=steps(twenty))
    assert AutonomyGrant.objects.filter(status=GrantStatus.REVOKED).count() == 21
