"""Who sees and keeps caseloads and the partnership log: role × own/other school, one answer per question."""

import datetime

import pytest

from schools.models import Role
from support.models import PartnershipEntry
from support.policies.caseloads import (
    can_change_partnership_entry,
    can_log_contact,
    can_manage_caseloads,
    can_view_caseload,
    can_view_district_caseloads,
    can_view_partnership_log,
    liaisons_visible_to,
    partnership_entries_visible_to,
)
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["principal", "school_team", "liaison", "reviewer", "viewer", "admin", "no_role"]


@pytest.fixture
def world(db):
    liaison = MembershipFactory(role=Role.LIAISON).user
    other_liaison = MembershipFactory(role=Role.LIAISON).user
    own, other = SchoolFactory(liaison=liaison), SchoolFactory(liaison=other_liaison)
    users = {"liaison": liaison, "no_role": UserFactory()}
    users["principal"] = MembershipFactory(role=Role.PRINCIPAL, school=own).user
    users["school_team"] = MembershipFactory(role=Role.SCHOOL_TEAM, school=own).user
    users["reviewer"] = MembershipFactory(role=Role.REVIEWER, function="finance").user
    users["viewer"] = MembershipFactory(role=Role.VIEWER).user
    users["admin"] = MembershipFactory(role=Role.ADMIN, user=UserFactory(is_superuser=True)).user
    day = datetime.date(2026, 11, 2)
    entries = {
        True: PartnershipEntry.objects.create(school=own, liaison=liaison, kind="visit", on=day, minutes=60),
        False: PartnershipEntry.objects.create(school=other, liaison=other_liaison, kind="visit", on=day, minutes=60),
    }
    return {
        "users": users,
        "schools": {True: own, False: other},
        "entries": entries,
        "liaisons": {True: liaison, False: other_liaison},
    }


# role → (own school, other school)
LOG_READERS = {
    "principal": (True, False),
    "school_team": (True, False),
    "liaison": (True, False),
    "admin": (True, True),
}
LOG_WRITERS = {"liaison": (True, False), "admin": (True, True)}
CASELOAD_READERS = {"liaison": (True, False), "reviewer": (True, True), "viewer": (True, True), "admin": (True, True)}


def expected(table, role, own):
    return table.get(role, (False, False))[0 if own else 1]


@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_who_reads_a_schools_log(world, role, own):
    user, school = world["users"][role], world["schools"][own]
    assert bool(can_view_partnership_log(user, school)) is expected(LOG_READERS, role, own)
    visible = partnership_entries_visible_to(user).filter(pk=world["entries"][own].pk).exists()
    assert visible is expected(LOG_READERS, role, own)


@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_who_logs_and_changes_contacts(world, role, own):
    user = world["users"][role]
    assert bool(can_log_contact(user, world["schools"][own])) is expected(LOG_WRITERS, role, own)
    assert bool(can_change_partnership_entry(user, world["entries"][own])) is expected(LOG_WRITERS, role, own)


@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_who_reads_a_liaisons_caseload(world, role, own):
    user, liaison = world["users"][role], world["liaisons"][own]
    assert bool(can_view_caseload(user, liaison)) is expected(CASELOAD_READERS, role, own)
    assert liaisons_visible_to(user).filter(pk=liaison.pk).exists() is expected(CASELOAD_READERS, role, own)


@pytest.mark.parametrize("role", ROLES)
def test_central_office_reads_the_district_view_and_only_the_office_manages_it(world, role):
    user = world["users"][role]
    assert bool(can_view_district_caseloads(user)) is (role in {"reviewer", "viewer", "admin"})
    assert bool(can_manage_caseloads(user)) is (role == "admin")


def test_the_office_never_stands_in_at_a_school_its_member_works_at(world):
    admin = world["users"]["admin"]
    MembershipFactory(user=admin, role=Role.SCHOOL_TEAM, school=world["schools"][True])
    assert not can_log_contact(admin, world["schools"][True])
    assert can_log_contact(admin, world["schools"][False])


def test_a_liaison_changes_only_the_entries_they_wrote(world):
    liaison, school = world["users"]["liaison"], world["schools"][True]
    by_office = PartnershipEntry.objects.create(
        school=school, liaison=world["users"]["admin"], kind="call", on=datetime.date(2026, 11, 3), minutes=15
    )
    assert not can_change_partnership_entry(liaison, by_office)
    assert can_change_partnership_entry(world["users"]["admin"], world["entries"][True])
