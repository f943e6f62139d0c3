import datetime

import pytest

from autonomy.models import Autonomy, AutonomyGrant, GrantEvent, GrantStatus
from autonomy.services import grants_issue
from core.errors import ApplicationError
from tests.factories import SchoolFactory, UserFactory

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
