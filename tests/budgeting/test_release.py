"""Releasing a year's allocations: principals told once, one release a year, true-ups afterwards."""

import datetime

import pytest

from budgeting.models import SetKind
from budgeting.services.allocations import allocation_set_compute, allocation_set_release, weeks_before
from budgeting.services.plans import plan_start
from core.errors import ApplicationError, Conflict, NotPermitted
from core.models import Notification
from metrics.models import Observation
from schools.models import Role
from tests.budgeting import allocation_builders as build
from tests.budgeting.plan_builders import budget_reference

pytestmark = pytest.mark.django_db

MARCH_2 = datetime.date(2026, 3, 2)


@pytest.fixture
def finance(make_member):
    return make_member(Role.REVIEWER, function="finance")


@pytest.fixture
def computed(finance):
    formula, snapshot, schools = build.district(schools=3)
    return allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot), schools


def test_release_notifies_each_principal_once_and_a_second_release_is_refused(finance, computed, make_member):
    allocation_set, schools = computed
    principals = [make_member(Role.PRINCIPAL, school=school) for school in schools]
    team = make_member(Role.SCHOOL_TEAM, school=schools[0])
    outsider = make_member(Role.PRINCIPAL, school=build.middle_school())
    allocation_set_release(
        actor=finance,
        allocation_set=allocation_set,
        released_on=MARCH_2,
        staffing_deadline=datetime.date(2026, 4, 13),
        plans_due_on=datetime.date(2026, 4, 30),
    )
    notices = Notification.objects.filter(key=f"allocation-release:{allocation_set.pk}")
    assert sorted(notices.values_list("user_id", flat=True)) == sorted(p.pk for p in principals)
    assert not notices.filter(user__in=[team, outsider]).exists()
    notice = notices.get(user=principals[0])
    assert f"/schools/{schools[0].code}/allocation/" in notice.url
    assert "April 30, 2026" in notice.body
    with pytest.raises(Conflict, match="already released"):
        allocation_set_release(actor=finance, allocation_set=allocation_set, released_on=MARCH_2)
    assert notices.count() == 3
    allocation_set.refresh_from_db()
    assert (allocation_set.released_on, allocation_set.released_by) == (MARCH_2, finance)


def test_release_records_per_pupil_funding_as_observations(finance, computed):
    allocation_set, schools = computed
    allocation_set_release(actor=finance, allocation_set=allocation_set, released_on=MARCH_2)
    recorded = Observation.objects.filter(metric__code="per_pupil_funding", period="2026-27")
    assert recorded.count() == 3


def test_only_one_initial_release_per_school_year(finance, computed):
    allocation_set, schools = computed
    allocation_set_release(actor=finance, allocation_set=allocation_set, released_on=MARCH_2)
    allocation_set.formula.status = "superseded"  # a second version published after the release
    allocation_set.formula.save()
    other_formula = build.published_formula(school_year=allocation_set.formula.school_year, number=2)
    second = allocation_set_compute(actor=finance, formula=other_formula, snapshot=allocation_set.snapshot)
    with pytest.raises(Conflict, match="already released"):
        allocation_set_release(actor=finance, allocation_set=second, released_on=MARCH_2)
    second.refresh_from_db()
    assert second.released_on is None


def test_a_true_up_is_released_after_the_initial_set_on_an_official_count(finance, computed, make_member):
    allocation_set, schools = computed
    principal = make_member(Role.PRINCIPAL, school=schools[0])
    official = build.snapshot(
        school_year=allocation_set.formula.school_year,
        kind="official",
        as_of=datetime.date(2026, 10, 1),
        counts={school: {"g68": 400, "poverty": 210} for school in schools},
    )
    true_up = allocation_set_compute(
        actor=finance, formula=allocation_set.formula, snapshot=official, kind=SetKind.TRUE_UP
    )
    with pytest.raises(Conflict, match="initial"):
        allocation_set_release(actor=finance, allocation_set=true_up, released_on=datetime.date(2026, 10, 5))
    allocation_set_release(actor=finance, allocation_set=allocation_set, released_on=MARCH_2)
    allocation_set_release(actor=finance, allocation_set=true_up, released_on=datetime.date(2026, 10, 5))
    keys = set(Notification.objects.filter(user=principal).values_list("key", flat=True))
    assert keys == {f"allocation-release:{allocation_set.pk}", f"allocation-release:{true_up.pk}"}


def test_dates_out_of_order_are_refused_naming_the_field(finance, computed):
    allocation_set, _ = computed
    with pytest.raises(ApplicationError) as refused:
        allocation_set_release(
            actor=finance,
            allocation_set=allocation_set,
            released_on=MARCH_2,
            staffing_deadline=datetime.date(2026, 2, 1),
            plans_due_on=datetime.date(2026, 2, 1),
        )
    assert set(refused.value.fields) == {"staffing_deadline", "plans_due_on"}
    allocation_set.refresh_from_db()
    assert allocation_set.released_on is None
    assert not Notification.objects.exists()


def test_only_finance_releases(computed, make_member):
    allocation_set, schools = computed
    principal = make_member(Role.PRINCIPAL, school=schools[0])
    with pytest.raises(NotPermitted):
        allocation_set_release(actor=principal, allocation_set=allocation_set, released_on=MARCH_2)
    allocation_set.refresh_from_db()
    assert allocation_set.released_on is None


def test_weeks_before_the_staffing_deadline():
    assert weeks_before(released_on=MARCH_2, deadline=datetime.date(2026, 4, 13)) == 6
    assert weeks_before(released_on=MARCH_2, deadline=None) is None


def test_a_released_true_up_moves_the_schools_plan_onto_the_recounted_allocation(finance, computed, make_member):
    budget_reference()
    allocation_set, schools = computed
    principal = make_member(Role.PRINCIPAL, school=schools[0])
    allocation_set_release(actor=finance, allocation_set=allocation_set, released_on=MARCH_2)
    plan = plan_start(actor=principal, school=schools[0], school_year=allocation_set.formula.school_year)
    official = build.snapshot(
        school_year=allocation_set.formula.school_year,
        kind="official",
        as_of=datetime.date(2026, 10, 1),
        counts={school: {"g68": 430, "poverty": 210} for school in schools},
    )
    true_up = allocation_set_compute(
        actor=finance, formula=allocation_set.formula, snapshot=official, kind=SetKind.TRUE_UP
    )
    allocation_set_release(actor=finance, allocation_set=true_up, released_on=datetime.date(2026, 10, 5))
    plan.refresh_from_db()
    assert plan.allocation.allocation_set_id == true_up.pk
