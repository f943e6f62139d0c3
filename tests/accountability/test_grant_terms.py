"""A grant's term: not held before it starts, expired by the nightly run once its last day has passed."""

import datetime

import pytest

from accountability.services import evaluation_run
from autonomy.models import AutonomyGrant, GrantStatus
from core.models import Notification
from schools.models import Role
from tests.accountability.builders import AS_OF, school_years
from tests.factories import MembershipFactory, SchoolFactory, grant

pytestmark = pytest.mark.django_db


def test_the_nightly_run_expires_a_grant_whose_term_ended_and_only_that_one(make_member):
    """Found: grants past their end date stayed "Held"; nothing expired them."""
    school_years()
    school = SchoolFactory()
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
    ended = grant(school, "people.hiring")
    last_day = grant(school, "money.budget")
    AutonomyGrant.objects.filter(pk=ended.pk).update(ends_on=AS_OF - datetime.timedelta(days=1))
    AutonomyGrant.objects.filter(pk=last_day.pk).update(ends_on=AS_OF)

    run = evaluation_run(as_of=AS_OF)

    ended.refresh_from_db()
    last_day.refresh_from_db()
    assert ended.status == GrantStatus.EXPIRED and last_day.status == GrantStatus.ACTIVE
    assert run.counts["grants_expired"] == 1
    event = ended.events.latest("pk")
    assert (event.action, event.actor, event.to_status) == ("expire", None, GrantStatus.EXPIRED)
    assert "term ended on October 31, 2026" in event.reason
    assert not AutonomyGrant.objects.held_on(AS_OF).filter(pk=ended.pk).exists()
    assert Notification.objects.filter(user=principal, title__contains="has ended with its term").count() == 1
    # The same date again expires nothing more.
    assert evaluation_run(as_of=AS_OF).counts["grants_expired"] == 0


def test_a_preview_expires_nothing(make_member):
    school_years()
    school = SchoolFactory()
    ended = grant(school, "people.hiring")
    AutonomyGrant.objects.filter(pk=ended.pk).update(ends_on=AS_OF - datetime.timedelta(days=1))
    preview = evaluation_run(as_of=AS_OF, dry_run=True)
    ended.refresh_from_db()
    assert preview.counts["grants_expired"] == 1 and ended.status == GrantStatus.ACTIVE
