"""The caseload reads: schools held against the limit, schools without a liaison, the time with principals
worked out as the pages say, the log newest first; each in the same queries for 1 row as for 20."""

import datetime

import pytest

from schools.models import Role
from schools.policies import roles_of
from support.models import FocusArea, PartnershipEntry, ServicePolicy
from support.selectors.caseloads import (
    Period,
    TimeShare,
    district_caseloads,
    liaison_load,
    partnership_log,
    periods_to,
)
from tests.factories import SchoolFactory, SchoolYearFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 14)  # a Saturday: 14 days of November, 137 days of the school year


def log(liaison, school, *, on, minutes, with_principal=True):
    return PartnershipEntry.objects.create(
        school=school, liaison=liaison, kind="visit", on=on, minutes=minutes, with_principal=with_principal
    )


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN, is_superuser=True)


def test_the_periods_are_the_month_and_the_school_year_to_today():
    SchoolYearFactory()  # 2026-27, from Jul 1
    month, year = periods_to(TODAY)
    assert (month.start, month.days, year.start, year.days) == (
        datetime.date(2026, 11, 1),
        14,
        datetime.date(2026, 7, 1),
        137,
    )


def test_without_a_school_year_recorded_the_year_starts_on_the_latest_july_first():
    assert periods_to(datetime.date(2027, 3, 2))[1].start == datetime.date(2026, 7, 1)
    assert periods_to(datetime.date(2026, 7, 1))[1].start == datetime.date(2026, 7, 1)


def test_the_share_is_minutes_with_principals_over_the_weeks_working_minutes():
    period = Period("this month", datetime.date(2026, 11, 1), TODAY)  # 2 weeks
    share = TimeShare(minutes=2 * 40 * 60 * 61 // 100, period=period, hours_per_week=40, target_percent=61)
    assert share.working_minutes == 4800
    assert (share.percent, share.meets_target) == (61, True)
    below = TimeShare(minutes=1200, period=period, hours_per_week=40, target_percent=61)
    assert (below.percent, below.meets_target, below.hours_words) == (25, False, "20 hours")
    assert TimeShare(135, period, 40, 61).hours_words == "2 hours 15 minutes"
    assert TimeShare(60, period, 40, 61).hours_words == "1 hour"
    assert TimeShare(45, period, 40, 61).hours_words == "45 minutes"
    assert TimeShare(0, period, 40, 61).hours_words == "0 minutes"
    assert TimeShare(8_290, period, 40, 61).hours_words == "138 hours"


def test_the_district_view_counts_schools_against_the_limit_and_names_schools_without_a_liaison(make_member, admin):
    SchoolYearFactory()
    ServicePolicy.objects.create(caseload_limit=2, liaison_hours_per_week=40, principal_time_target_percent=61)
    over = make_member(Role.LIAISON, first_name="Olga", last_name="Over")
    at = make_member(Role.LIAISON, first_name="Abe", last_name="At")
    idle = make_member(Role.LIAISON, first_name="Ida", last_name="Idle")
    schools = SchoolFactory.create_batch(3, liaison=over) + SchoolFactory.create_batch(2, liaison=at)
    orphan = SchoolFactory(name="Zeta Elementary", liaison=None)
    log(over, schools[0], on=datetime.date(2026, 11, 3), minutes=120)
    log(over, schools[1], on=datetime.date(2026, 11, 10), minutes=60)
    log(over, schools[1], on=datetime.date(2026, 11, 11), minutes=600, with_principal=False)  # not with the principal
    log(over, schools[2], on=datetime.date(2026, 9, 15), minutes=300)  # this year, not this month
    log(over, schools[2], on=datetime.date(2026, 6, 15), minutes=300)  # last school year
    log(over, schools[2], on=datetime.date(2026, 11, 15), minutes=300)  # after today

    caseloads = district_caseloads(user=admin, today=TODAY)

    loads = {load.liaison.last_name: load for load in caseloads.loads}
    assert [load.liaison.last_name for load in caseloads.loads] == ["Over", "At", "Idle"]
    assert (loads["Over"].schools, loads["Over"].over_limit, loads["Over"].limit_words) == (
        3,
        True,
        "Over the limit by 1",
    )
    assert (loads["At"].schools, loads["At"].at_limit, loads["At"].limit_words) == (2, True, "At the limit")
    assert (loads["Idle"].schools, loads["Idle"].limit_words) == (0, "2 under the limit")
    assert caseloads.over_limit == [loads["Over"]]
    assert (loads["Over"].month.minutes, loads["Over"].year.minutes) == (180, 480)
    # 180 of 2 weeks × 40 h × 60 = 4,800 minutes: 4%; 480 of 137/7 weeks × 2,400 = 46,971: 1%.
    assert (loads["Over"].month.percent, loads["Over"].year.percent) == (4, 1)
    assert caseloads.unassigned == [orphan]
    assert idle.pk in {load.liaison.pk for load in caseloads.loads}


def test_a_liaisons_load_is_the_same_as_in_the_district_view(make_member, admin):
    liaison = make_member(Role.LIAISON)
    school = SchoolFactory(liaison=liaison)
    log(liaison, school, on=datetime.date(2026, 11, 2), minutes=240)
    load = liaison_load(liaison=liaison, today=TODAY)
    (same,) = district_caseloads(user=admin, today=TODAY).loads
    assert (load.schools, load.month.minutes, load.month.percent) == (same.schools, same.month.minutes, 5)


@pytest.mark.parametrize("role", [Role.LIAISON, Role.PRINCIPAL])
def test_a_liaison_sees_only_their_own_load_and_a_principal_none(make_member, role):
    make_member(Role.LIAISON)
    school = SchoolFactory()
    user = make_member(role, school=school if role == Role.PRINCIPAL else None)
    loads = district_caseloads(user=user, today=TODAY).loads
    assert [load.liaison for load in loads] == ([user] if role == Role.LIAISON else [])


def test_the_district_view_costs_the_same_queries_for_one_liaison_as_for_twenty(
    make_member, admin, django_assert_num_queries
):
    def add_liaison():
        liaison = make_member(Role.LIAISON)
        school = SchoolFactory(liaison=liaison)
        log(liaison, school, on=datetime.date(2026, 11, 2), minutes=30)
        SchoolFactory(liaison=None)

    add_liaison()
    roles_of(admin)  # read once per request, before the page's own reads
    # the policy, the school year, the liaisons with their schools and minutes, the schools without one
    with django_assert_num_queries(4):
        assert len(district_caseloads(user=admin, today=TODAY).loads) == 1
    for _ in range(19):
        add_liaison()
    with django_assert_num_queries(4):
        caseloads = district_caseloads(user=admin, today=TODAY)
        assert len(caseloads.loads) == 20 and len(caseloads.unassigned) == 20


def test_the_log_is_newest_first_with_focus_tags_in_two_queries_for_one_entry_or_twenty(
    make_member, django_assert_num_queries
):
    liaison = make_member(Role.LIAISON)
    school = SchoolFactory(liaison=liaison)
    first = log(liaison, school, on=datetime.date(2026, 10, 1), minutes=30)
    first.focus.set(FocusArea.objects.filter(number__in=[3, 1]))
    roles_of(liaison)  # read once per request, before the page's own reads
    with django_assert_num_queries(2):
        entries = list(partnership_log(user=liaison, school=school))
        assert [[a.number for a in e.focus.all()] for e in entries] == [[1, 3]]
    for day in range(2, 22):
        log(liaison, school, on=datetime.date(2026, 10, day), minutes=30).focus.set(FocusArea.objects.filter(number=2))
    with django_assert_num_queries(2):
        entries = list(partnership_log(user=liaison, school=school))
        assert [e.liaison.username for e in entries] == [liaison.username] * 21
        assert all(list(e.focus.all()) for e in entries)
    assert entries[0].on == datetime.date(2026, 10, 21) and entries[-1] == first


def test_the_log_holds_each_persons_scope(make_member):
    liaison = make_member(Role.LIAISON)
    school, other = SchoolFactory(liaison=liaison), SchoolFactory(liaison=make_member(Role.LIAISON))
    log(liaison, school, on=TODAY, minutes=30)
    log(other.liaison, other, on=TODAY, minutes=30)
    principal = make_member(Role.PRINCIPAL, school=school)
    viewer = make_member(Role.VIEWER)
    assert partnership_log(user=liaison, school=other).count() == 0
    assert partnership_log(user=principal, school=school).count() == 1
    assert partnership_log(user=principal, school=other).count() == 0
    assert partnership_log(user=viewer, school=school).count() == 0
