"""Bad roster files: each problem named with its file and line, every one of them listed, nothing saved."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from schools.models import District, Membership, School
from schools.roster.imports import roster_import_files
from schools.roster.models import RosterPerson, RosterRoleMapping
from schools.roster.parse import RosterRefused, roster_files_unzip
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.schools.roster_sets import replaced, sample, with_line, without_line, zipped

pytestmark = pytest.mark.django_db
User = get_user_model()
TODAY = datetime.date(2026, 9, 1)
TABLES = (User, School, Membership, RosterPerson, District)


def refused(files) -> list[tuple[str, int | None, str]]:
    counts = [model.objects.count() for model in TABLES]
    with pytest.raises(RosterRefused) as caught:
        roster_import_files(files=files, dry_run=False, today=TODAY)
    assert [model.objects.count() for model in TABLES] == counts, "nothing is saved when a file set is refused"
    return [(error.file, error.line, error.reason) for error in caught.value.errors]


def only(errors):
    assert len(errors) == 1, errors
    return errors[0]


V11 = sample("1.1")
V12 = sample("1.2")
USER_ROW = "u-020,,,true,org-lincoln,{role},{username},,New,Person,,,new@riverside.example,,,,,"


@pytest.mark.parametrize(
    ("files", "where", "says"),
    [
        pytest.param(
            {k: v for k, v in V11.items() if k != "manifest.csv"},
            ("manifest.csv", None),
            "is missing",
            id="no manifest",
        ),
        pytest.param(
            without_line(V11, "manifest.csv", "manifest.version"),
            ("manifest.csv", None),
            "manifest.version",
            id="no manifest.version",
        ),
        pytest.param(
            replaced(V11, "manifest.csv", "oneroster.version,1.1", "oneroster.version,1.0"),
            ("manifest.csv", 3),
            "reads 1.1 and 1.2",
            id="version 1.0",
        ),
        pytest.param(
            {k: v for k, v in V11.items() if k != "orgs.csv"},
            ("manifest.csv", 13),
            "the set has no orgs.csv",
            id="a named file missing",
        ),
        pytest.param(
            {k: v for k, v in V12.items() if k != "roles.csv"},
            ("manifest.csv", 20),
            "the set has no roles.csv",
            id="1.2 roles.csv missing",
        ),
        pytest.param(
            replaced(V11, "manifest.csv", "file.users,bulk", "file.users,full"),
            ("manifest.csv", 16),
            "bulk, delta or absent",
            id="bad mode",
        ),
        pytest.param(
            replaced(V11, "users.csv", ",givenName,", ",firstName,"),
            ("users.csv", 1),
            "missing column(s) givenName",
            id="wrong header",
        ),
        pytest.param(
            replaced(V12, "users.csv", ",preferredGivenName,", ",role,"),
            ("users.csv", 1),
            "does not name: role",
            id="1.1 column in 1.2",
        ),
        pytest.param(
            replaced(V11, "users.csv", '"org-lincoln,org-roosevelt"', "org-lincoln,org-roosevelt"),
            ("users.csv", 6),
            "has 19 fields; the header names 18",
            id="unquoted comma",
        ),
        pytest.param(
            replaced(V11, "users.csv", "u-004,", "u-001,"),
            ("users.csv", 5),
            "'u-001' is also on line 2",
            id="duplicate user sourcedId",
        ),
        pytest.param(
            replaced(V11, "orgs.csv", "org-roosevelt,,", "org-lincoln,,"),
            ("orgs.csv", 4),
            "also on line 3",
            id="duplicate org sourcedId",
        ),
        pytest.param(
            replaced(V11, "users.csv", "org-washington,teacher,rbrown", "org-nowhere,teacher,rbrown"),
            ("users.csv", 8),
            "org 'org-nowhere' is not in orgs.csv",
            id="unknown org",
        ),
        pytest.param(
            with_line(V11, "users.csv", USER_ROW.format(role="proctor", username="np")),
            ("users.csv", 14),
            "role 'proctor' is not in the roster mapping",
            id="unknown role",
        ),
        pytest.param(
            replaced(V12, "roles.csv", "primary,principal,2020", "primary,counselor,2020"),
            ("roles.csv", 2),
            "role 'counselor'",
            id="1.2 unknown role",
        ),
        pytest.param(
            replaced(V12, "roles.csv", "u-013,secondary", "u-099,secondary"),
            ("roles.csv", 5),
            "'u-099' is not in users.csv",
            id="1.2 role of nobody",
        ),
        pytest.param(
            replaced(V12, "roles.csv", "u-013,secondary", "u-013,primary"),
            ("roles.csv", 4),
            "more than one person would be principal",
            id="1.2 two primaries",
        ),
        pytest.param(
            replaced(V11, "users.csv", "u-004,,,true", "u-004,,,yes"),
            ("users.csv", 5),
            "enabledUser is 'yes'",
            id="enabledUser",
        ),
        pytest.param(
            replaced(V11, "orgs.csv", "org-lincoln,,", "org-lincoln,inactive,"),
            ("orgs.csv", 3),
            "status is 'inactive'",
            id="status",
        ),
        pytest.param(
            replaced(V11, "orgs.csv", ",school,S102,", ",campus,S102,"),
            ("orgs.csv", 4),
            "type is 'campus'",
            id="org type",
        ),
        pytest.param(
            replaced(V11, "orgs.csv", ",S102,", ",S101,"),
            ("orgs.csv", 4),
            "identifier 'S101' is also on line 3",
            id="duplicate code",
        ),
        pytest.param(
            replaced(V11, "users.csv", ",jchen,", ",mgarcia,"),
            ("users.csv", 3),
            "username 'mgarcia' is also on line 2",
            id="duplicate username",
        ),
        pytest.param(
            {**V11, "users.csv": "sourcedId,name\n".encode("utf-16")},
            ("users.csv", None),
            "is not UTF-8",
            id="not utf-8",
        ),
    ],
)
def test_a_bad_file_set_is_refused_naming_the_file_and_line(files, where, says):
    errors = refused(files)
    assert any((file, line) == where and says in reason for file, line, reason in errors), errors


def test_two_administrators_at_one_school_in_1_1_are_refused_naming_both_lines():
    files = replaced(V11, "users.csv", "org-roosevelt,administrator", "org-lincoln,administrator")
    errors = refused(files)
    assert [(file, line) for file, line, _ in errors] == [("users.csv", 2), ("users.csv", 3)]


def test_every_bad_row_is_listed_not_only_the_first():
    files = replaced(V11, "users.csv", "u-004,,,true", "u-004,,,yes")
    files = replaced(files, "users.csv", "u-006,,,true,org-roosevelt", "u-006,,,true,org-nowhere")
    files = with_line(files, "users.csv", USER_ROW.format(role="proctor", username="np"))
    files = replaced(files, "orgs.csv", ",school,S102,", ",campus,S102,")
    errors = refused(files)
    # The rows' own problems and those found against the portal, all at once, file by file and line by line.
    assert [(file, line) for file, line, _ in errors] == [
        ("orgs.csv", 4),
        ("users.csv", 5),
        ("users.csv", 7),
        ("users.csv", 14),
    ]


def test_what_points_at_a_refused_row_is_not_refused_again():
    files = replaced(V11, "orgs.csv", ",school,S103,", ",campus,S103,")  # Washington's row is refused…
    errors = refused(files)
    assert [(file, line) for file, line, _ in errors] == [("orgs.csv", 5)]  # …not the people at it too
    errors = refused(replaced(V12, "users.csv", "u-013,active,2026-06-01T00:00:00.000Z,true", "u-013,active,,maybe"))
    assert [(file, line) for file, line, _ in errors] == [("users.csv", 5)]  # nor bkim's role in roles.csv


def test_a_file_that_cannot_be_read_stops_the_checks_there():
    errors = refused(replaced(V11, "orgs.csv", "sourcedId,status", "id,status"))
    assert [(file, line) for file, line, _ in errors] == [("orgs.csv", 1)]  # not every user's unknown org


def test_a_role_mapped_to_ignore_is_accepted_and_not_imported():
    RosterRoleMapping.objects.create(oneroster_role="proctor", portal_role="ignore")
    plan = roster_import_files(
        files=with_line(V11, "users.csv", USER_ROW.format(role="proctor", username="np")), dry_run=False, today=TODAY
    )
    assert plan.counts["people_not_imported"] == 10 and not User.objects.filter(username="np").exists()


def test_a_username_held_by_an_account_the_roster_does_not_keep_is_refused():
    UserFactory(username="jchen", email="someone.else@riverside.example")
    assert only(refused(V11))[:2] == ("users.csv", 3)


def test_a_school_with_a_principal_from_the_office_is_refused_another():
    lincoln = SchoolFactory(code="S101", sourced_id="org-lincoln")
    MembershipFactory(role="principal", school=lincoln)
    file, line, reason = only(refused(V11))
    assert (file, line) == ("users.csv", 2) and "assigned by the autonomy office" in reason


def test_a_second_district_is_refused():
    files = with_line(V11, "orgs.csv", "org-other,,,Another District,district,OD,")
    assert only(refused(files))[:2] == ("orgs.csv", 6)


def test_a_zip_is_read_at_its_top_or_in_one_folder_and_a_broken_one_is_refused():
    assert roster_files_unzip(data=zipped(V11), name="r.zip") == V11
    assert roster_files_unzip(data=zipped(V11, folder="export/"), name="r.zip") == V11
    with pytest.raises(RosterRefused) as caught:
        roster_files_unzip(data=b"not a zip", name="r.zip")
    assert str(caught.value.errors[0]) == "r.zip: is not a readable .zip file"
