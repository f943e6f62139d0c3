"""The demo's planning calendar: a credible year for the current school year and the next, every date inside
its year, the closures the support deadlines skip, and no window listed twice."""

import datetime
import random
from types import SimpleNamespace

import pytest

from demo.services.support_calendar_scenes import calendar_scene
from schools.models import Role
from support.models import Milestone, MilestoneKind, OptInWindow
from tests.factories import MembershipFactory, SchoolYearFactory
from tests.support.calendar_world import NEXT_YEAR, THIS_YEAR

pytestmark = pytest.mark.django_db
D = datetime.date


def _district():
    return SimpleNamespace(
        years=[SchoolYearFactory(**THIS_YEAR)],
        future_years=[SchoolYearFactory(**NEXT_YEAR)],
        staff={"admin": MembershipFactory(role=Role.ADMIN).user},
    )


def test_a_year_of_milestones_for_this_year_and_next():
    district = _district()
    made = calendar_scene(district, rng=random.Random(2026))
    assert {m.school_year.label for m in made} == {"2026-27", "2027-28"}
    for milestone in Milestone.objects.select_related("school_year"):
        year = milestone.school_year
        assert year.start_date <= milestone.on <= (milestone.ends_on or milestone.on) <= year.end_date
    this = {m.kind: m for m in made if m.school_year.label == "2026-27" and m.kind != MilestoneKind.DISTRICT_CLOSED}
    assert set(this) == set(MilestoneKind.values) - {MilestoneKind.DISTRICT_CLOSED}
    assert this[MilestoneKind.ALLOCATIONS_RELEASED].on.month in (2, 3)
    assert this[MilestoneKind.STAFFING_DEADLINE].on.month == 4
    assert this[MilestoneKind.SCHEDULES_DUE].on.month == 5
    assert this[MilestoneKind.CONTRACT_SIGNING].on.month == 6
    for kind in (MilestoneKind.ALLOCATIONS_RELEASED, MilestoneKind.STAFFING_DEADLINE, MilestoneKind.SCHEDULES_DUE):
        assert this[kind].on.weekday() < 5  # a deadline on a working day
    closed = {m.title: m for m in made if m.school_year.label == "2026-27" and m.kind == MilestoneKind.DISTRICT_CLOSED}
    assert closed["Winter break"].on == D(2026, 12, 21) and closed["Winter break"].ends_on == D(2027, 1, 1)
    assert (closed["Spring break"].ends_on - closed["Spring break"].on).days == 4
    assert closed["Spring break"].on.weekday() == 0
    assert closed["Thanksgiving break"].on == D(2026, 11, 26)
    assert closed["Independence Day"].on == D(2026, 7, 3)  # Jul 4, 2026 is a Saturday: observed on the Friday


def test_the_same_seed_makes_the_same_calendar():
    district = _district()
    first = [(m.title, m.on, m.ends_on) for m in calendar_scene(district, rng=random.Random(7))]
    Milestone.objects.all().delete()
    again = [(m.title, m.on, m.ends_on) for m in calendar_scene(district, rng=random.Random(7))]
    assert first == again


def test_a_year_with_an_opt_in_window_gets_no_typed_network_choice():
    district = _district()
    OptInWindow.objects.create(school_year=district.years[-1], opens_on=D(2027, 2, 1), closes_on=D(2027, 2, 26))
    made = calendar_scene(district, rng=random.Random(1))
    network = [m.school_year.label for m in made if m.kind == MilestoneKind.NETWORK_CHOICE]
    assert network == ["2027-28"]


def test_the_scene_runs_on_the_demo_district_builder():
    """With the demo's own builder: its current and next school years, and its autonomy office."""
    from demo.services.builder import DistrictBuilder

    district = DistrictBuilder(rng=random.Random(2026), school_count=4, year_count=2)
    district.organisation()
    made = calendar_scene(district, rng=district.rng)
    labels = {m.school_year.label for m in made}
    assert labels == {district.years[-1].label, district.future_years[0].label}
    assert len(made) == 2 * 17  # 8 closures and 9 other milestones a year, with no opt-in windows or surveys yet
