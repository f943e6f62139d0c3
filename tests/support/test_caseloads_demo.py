"""The demo's caseloads: in a 40-school district one liaison holds exactly the limit and one 14, one school
has no liaison, and the first liaison's partnership log has visits and coaching with next steps, some due
soon — all made through the services, as demo_district_seed runs the scene after the budget scene."""

import datetime

import pytest
from django.utils import timezone

from core.models import Notification
from demo.services import demo_district_seed
from demo.services.support_caseload_scenes import _targets
from schools.models import Membership, Role, School
from support.models import PartnershipEntry
from support.selectors.caseloads import district_caseloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    """The demo district, which runs the caseload scene after the budget scene."""
    with django_capture_on_commit_callbacks(execute=True):
        demo_district_seed(schools=40, years=2)


def test_one_liaison_at_the_limit_one_over_it_and_one_school_without_a_liaison(demo):
    admin = Membership.objects.get(role=Role.ADMIN).user
    caseloads = district_caseloads(user=admin, today=timezone.localdate())
    by_name = {load.liaison.username: load for load in caseloads.loads}
    assert by_name["liaison-1"].schools == 12 and by_name["liaison-1"].at_limit
    assert by_name["liaison-2"].schools == 14 and by_name["liaison-2"].limit_words == "Over the limit by 2"
    assert sorted(load.schools for load in caseloads.loads) == [6, 7, 12, 14]
    assert len(caseloads.unassigned) == 1 and School.objects.filter(liaison__isnull=True).count() == 1


def test_the_first_liaison_logged_visits_and_coaching_with_next_steps_some_due_soon(demo):
    today = timezone.localdate()
    entries = PartnershipEntry.objects.filter(liaison__username="liaison-1")
    schools = School.objects.filter(liaison__username="liaison-1")
    assert set(entries.values_list("school", flat=True)) == set(schools.values_list("pk", flat=True))
    assert {"visit", "coaching"} <= set(entries.values_list("kind", flat=True))
    assert all(entry.on <= today for entry in entries)
    soon = entries.filter(next_step_due__gte=today, next_step_due__lte=today + datetime.timedelta(days=7))
    assert soon.count() == 12  # each school's latest contact agreed a step due within the week
    assert entries.exclude(next_steps="").count() <= 24
    # the principals were told of their next steps, through the service
    assert Notification.objects.filter(key__startswith="partnership:").count() == entries.exclude(next_steps="").count()


def test_a_district_too_small_for_the_scene_keeps_its_caseloads_but_one_school():
    assert _targets(school_count=40, liaison_count=4, limit=12) == [12, 14, 7, 6]
    assert _targets(school_count=12, liaison_count=4, limit=12) is None
    assert _targets(school_count=27, liaison_count=2, limit=12) is None
