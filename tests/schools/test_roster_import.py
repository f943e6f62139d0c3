"""The OneRoster import: the first import, the re-import that changes nothing, the 1.2 variant, the
mapping, the dry run and the autonomy office's own assignments kept through an import."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from schools.models import District, Membership, MembershipSource, Role, School
from schools.roster.imports import roster_import_files
from schools.roster.models import RosterPerson, RosterRoleMapping
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.schools.roster_sets import replaced, sample

pytestmark = pytest.mark.django_db
User = get_user_model()
TODAY = datetime.date(2026, 9, 1)


def run(files, *, dry_run=False):
    return roster_import_files(files=files, dry_run=dry_run, today=TODAY)


def roster_memberships():
    return set(
        Membership.objects.filter(source=MembershipSource.ROSTER).values_list("user__username", "role", "school__code")
    )


def test_the_first_import_makes_the_district_its_schools_and_principals():
    plan = run(sample("1.1"))
    district = District.objects.get()
    assert (district.name, district.sourced_id) == ("Riverside Unified School District", "org-district")
    schools = {school.sourced_id: school for school in School.objects.all()}
    assert set(schools) == {"org-lincoln", "org-roosevelt", "org-washington"}
    assert schools["org-washington"].name == "Washington High School, North Campus"  # a quoted comma
    assert schools["org-washington"].code == "S103" and schools["org-washington"].closed_on is None
    # By default only administrators at a school (principals) are imported: teachers, aides, the district's
    # administrator (at no school), the student and the guardian are not.
    assert roster_memberships() == {
        ("mgarcia", Role.PRINCIPAL, "S101"),
        ("jchen", Role.PRINCIPAL, "S102"),
        ("aokafor", Role.PRINCIPAL, "S103"),
    }
    assert set(RosterPerson.objects.values_list("sourced_id", flat=True)) == {"u-001", "u-002", "u-003"}
    garcia = User.objects.get(username="mgarcia")
    assert (garcia.first_name, garcia.last_name, garcia.email) == ("Maria", "Garcia", "mgarcia@riverside.example")
    assert garcia.is_active and not garcia.has_usable_password()  # the file's password column is never used
    assert plan.counts == {
        "schools_created": 3,
        "schools_updated": 0,
        "schools_closed": 0,
        "people_created": 3,
        "people_updated": 0,
        "people_deactivated": 0,
        "memberships_added": 3,
        "memberships_ended": 0,
        "people_not_imported": 9,
    }


def test_importing_the_same_files_again_changes_nothing():
    run(sample("1.1"))
    before = (list(User.objects.values()), list(Membership.objects.values()), list(School.objects.values()))
    plan = run(sample("1.1"))
    assert plan.empty and not any(value for name, value in plan.counts.items() if name != "people_not_imported")
    assert before == (list(User.objects.values()), list(Membership.objects.values()), list(School.objects.values()))


def test_teachers_join_the_school_team_when_the_office_maps_them_so():
    RosterRoleMapping.objects.filter(oneroster_role__in=["teacher", "aide"]).update(portal_role="school_team")
    run(sample("1.1"))
    team = {(user, code) for user, role, code in roster_memberships() if role == Role.SCHOOL_TEAM}
    # dsmith's orgSourcedIds is "org-lincoln,org-roosevelt", quoted: a member of both teams.
    assert ("dsmith", "S101") in team and ("dsmith", "S102") in team
    assert len(team) == 7
    assert run(sample("1.1")).empty


def test_the_1_2_files_read_roles_from_roles_csv():
    plan = run(sample("1.2"))
    assert roster_memberships() == {
        ("mgarcia", Role.PRINCIPAL, "S101"),
        ("jchen", Role.PRINCIPAL, "S102"),
        ("aokafor", Role.PRINCIPAL, "S103"),  # the primary administrator…
        ("bkim", Role.SCHOOL_TEAM, "S103"),  # …and the secondary one joins the team
    }
    assert User.objects.get(username="jchen").first_name == "Jim"  # preferredGivenName
    assert plan.version == "1.2"
    assert run(sample("1.2")).empty


def test_a_role_outside_its_dates_is_not_held():
    RosterRoleMapping.objects.filter(oneroster_role="teacher").update(portal_role="school_team")
    run(sample("1.2"))
    # dsmith's Roosevelt role ended in 2020: only Lincoln's is held.
    assert {code for user, _, code in roster_memberships() if user == "dsmith"} == {"S101"}


def test_a_dry_run_writes_nothing():
    counts = [model.objects.count() for model in (User, School, Membership, RosterPerson, District)]
    plan = run(sample("1.1"), dry_run=True)
    assert plan.counts["people_created"] == 3 and plan.counts["schools_created"] == 3
    assert [model.objects.count() for model in (User, School, Membership, RosterPerson, District)] == counts


def test_the_offices_own_assignments_are_kept_through_every_import():
    run(sample("1.1"))
    chen = User.objects.get(username="jchen")
    lincoln = School.objects.get(code="S101")
    reviewer = MembershipFactory(user=chen, role=Role.REVIEWER, function="finance")
    liaison = MembershipFactory(user=UserFactory(), role=Role.LIAISON)
    team = MembershipFactory(user=chen, role=Role.SCHOOL_TEAM, school=lincoln)  # the office put him on a team
    lincoln.liaison = liaison.user
    lincoln.save()
    assert run(sample("1.1")).empty
    # Even when he leaves the roster, the office's assignments stay (his account is deactivated).
    files = replaced(sample("1.1"), "users.csv", "u-002,,,true", "u-002,,,false")
    run(files)
    assert set(Membership.objects.filter(source=MembershipSource.DISTRICT)) == {reviewer, liaison, team}
    lincoln.refresh_from_db()
    assert lincoln.liaison == liaison.user


def test_the_office_giving_a_roster_role_first_leaves_it_the_offices():
    lincoln = SchoolFactory(code="S101", sourced_id="org-lincoln")
    garcia = UserFactory(username="mgarcia", email="mgarcia@riverside.example")
    MembershipFactory(user=garcia, role=Role.PRINCIPAL, school=lincoln)
    plan = run(sample("1.1"))
    assert plan.counts["people_created"] == 1 + 2  # the existing account, same username and email, is linked
    assert Membership.objects.get(school=lincoln, role=Role.PRINCIPAL).source == MembershipSource.DISTRICT
    assert run(sample("1.1")).empty


def test_a_school_the_office_made_by_hand_is_taken_over_by_its_code():
    by_hand = SchoolFactory(code="S102", name="Roosevelt MS")
    run(sample("1.1"))
    by_hand.refresh_from_db()
    assert (by_hand.sourced_id, by_hand.name) == ("org-roosevelt", "Roosevelt Middle School")
    assert School.objects.count() == 3
