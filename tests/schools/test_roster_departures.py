"""People who leave the roster, and schools that close: deactivated and marked, never deleted; a departed
person's session and API tokens are refused on their next request; cached roles are forgotten."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.services import api_token_create
from schools.models import Membership, MembershipSource, Role, School
from schools.policies import roles_of
from schools.roster.imports import roster_import_files
from schools.roster.parse import RosterRefused
from tests.factories import MembershipFactory
from tests.schools.roster_sets import replaced, sample, with_line, without_line

pytestmark = pytest.mark.django_db
User = get_user_model()
TODAY = datetime.date(2026, 9, 1)


def run(files, *, dry_run=False):
    return roster_import_files(files=files, dry_run=dry_run, today=TODAY)


def chen():
    return User.objects.get(username="jchen")


def test_a_person_dropped_from_a_bulk_file_is_deactivated_and_their_roster_roles_end():
    run(sample("1.1"))
    plan = run(without_line(sample("1.1"), "users.csv", "u-002,"))
    assert plan.counts["people_deactivated"] == 1 and plan.counts["memberships_ended"] == 1
    assert not chen().is_active  # kept, never deleted
    assert not Membership.objects.filter(user=chen()).exists()
    assert not Membership.objects.filter(school__code="S102", role=Role.PRINCIPAL).exists()
    assert run(without_line(sample("1.1"), "users.csv", "u-002,")).empty


@pytest.mark.parametrize(
    ("old", "new"),
    [("u-002,,,true", "u-002,,,false"), ("u-002,,,true", "u-002,tobedeleted,,true")],
    ids=["not enabled", "tobedeleted"],
)
def test_a_person_disabled_or_to_be_deleted_is_deactivated(old, new):
    run(sample("1.1"))
    run(replaced(sample("1.1"), "users.csv", old, new))
    assert not chen().is_active and not Membership.objects.filter(user=chen()).exists()


def test_a_person_who_comes_back_is_active_again():
    run(sample("1.1"))
    run(without_line(sample("1.1"), "users.csv", "u-002,"))
    plan = run(sample("1.1"))
    assert chen().is_active and plan.counts["people_updated"] == 1 and plan.counts["memberships_added"] == 1


def test_a_departed_persons_session_ends_on_their_next_request(client_for):
    run(sample("1.1"))
    client = client_for(chen())
    assert client.get("/").status_code == 200
    run(without_line(sample("1.1"), "users.csv", "u-002,"))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_departed_persons_api_token_is_refused_on_its_next_use():
    run(sample("1.1"))
    _, raw = api_token_create(user=chen(), name="HR push")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/metrics/").status_code == 200
    run(without_line(sample("1.1"), "users.csv", "u-002,"))
    assert client.get("/api/v1/metrics/").status_code == 401


def test_cached_roles_are_forgotten_when_the_roster_ends_a_role(settings):
    settings.ROLES_CACHE_TIMEOUT = 300
    run(sample("1.1"))
    roosevelt = School.objects.get(code="S102")
    assert roosevelt.pk in roles_of(chen()).principal_of  # read, and cached
    # Moved to Lincoln as an administrator: Lincoln already has one, so in 1.1 that is refused, both named.
    with pytest.raises(RosterRefused) as refused:
        run(replaced(sample("1.1"), "users.csv", "u-002,,,true,org-roosevelt", "u-002,,,true,org-lincoln"))
    assert [(error.file, error.line) for error in refused.value.errors] == [("users.csv", 2), ("users.csv", 3)]
    assert "more than one person would be principal of Lincoln" in refused.value.errors[0].reason
    assert roosevelt.pk in roles_of(chen()).principal_of
    run(replaced(sample("1.1"), "users.csv", "org-roosevelt,administrator,jchen", "org-roosevelt,teacher,jchen"))
    assert roles_of(chen()).principal_of == frozenset()  # a fresh user object: read from the cache


def test_a_school_marked_tobedeleted_is_closed_and_keeps_its_history():
    run(sample("1.1"))
    washington = School.objects.get(code="S103")
    office = MembershipFactory(role=Role.SCHOOL_TEAM, school=washington)
    files = replaced(sample("1.1"), "orgs.csv", "org-washington,,", "org-washington,tobedeleted,")
    files = without_line(files, "users.csv", "u-003,")  # its principal left with it
    plan = run(files)
    washington.refresh_from_db()
    assert washington.closed_on == TODAY and plan.counts["schools_closed"] == 1
    assert Membership.objects.filter(pk=office.pk).exists()  # the office's own assignment is kept
    assert not Membership.objects.filter(school=washington, source=MembershipSource.ROSTER).exists()
    assert run(files).empty


def test_a_school_absent_from_a_bulk_orgs_file_is_closed_and_reopens_when_it_returns():
    run(sample("1.1"))
    files = without_line(sample("1.1"), "orgs.csv", "org-washington,")
    files = without_line(files, "users.csv", "u-003,")
    files = without_line(files, "users.csv", "u-007,")
    files = without_line(files, "users.csv", "u-008,")
    run(files)
    assert School.objects.get(code="S103").closed_on == TODAY
    plan = run(sample("1.1"))
    assert School.objects.get(code="S103").closed_on is None and plan.counts["schools_updated"] == 1


def test_a_delta_file_changes_only_its_rows():
    run(sample("1.1"))
    files = replaced(sample("1.1"), "manifest.csv", "file.users,bulk", "file.users,delta")
    files = replaced(files, "manifest.csv", "file.orgs,bulk", "file.orgs,absent")
    files = {
        **files,
        "users.csv": b"sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
        b"givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n",
    }
    files = with_line(
        files, "users.csv", "u-002,tobedeleted,2026-08-30,true,org-roosevelt,administrator,jchen,,James,Chen,,,,,,,,"
    )
    plan = run(files)
    assert plan.counts["people_deactivated"] == 1
    assert User.objects.filter(is_active=True, roster_person__isnull=False).count() == 2
