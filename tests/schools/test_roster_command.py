"""import_roster: a folder or a .zip, the plan as `name: value` lines, a dry run, and a refusal listing every
bad row with a non-zero exit; and the plan's queries, the same for 1 school as for 20."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schools.models import School
from schools.roster.imports import roster_import_files
from schools.roster.parse import roster_parse
from schools.roster.plan import roster_plan
from tests.schools.roster_sets import SAMPLES, replaced, sample, zipped

pytestmark = pytest.mark.django_db
User = get_user_model()


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def lines(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)


def test_the_command_imports_a_folder_and_prints_the_plan():
    out, _ = command(str(SAMPLES / "v1_1"))
    summary = lines(out)
    assert summary["version"] == "1.1" and summary["dry_run"] == "no"
    assert summary["schools_created"] == "3" and summary["people_created"] == "3"
    assert "school create: Lincoln Elementary School (code S101;" in out
    assert School.objects.count() == 3
    assert lines(command(str(SAMPLES / "v1_1"))[0])["changes"] == "0"


def test_the_command_reads_a_zip_and_a_dry_run_writes_nothing(tmp_path):
    archive = tmp_path / "roster.zip"
    archive.write_bytes(zipped(sample("1.2")))
    out, _ = command(str(archive), "--dry-run")
    assert lines(out)["dry_run"] == "yes" and lines(out)["people_created"] == "4"
    assert School.objects.count() == 0 and User.objects.count() == 0


def test_a_refused_set_exits_non_zero_listing_every_bad_row(tmp_path):
    files = replaced(sample("1.1"), "users.csv", "u-004,,,true", "u-004,,,yes")
    files = replaced(files, "orgs.csv", ",school,S102,", ",campus,S102,")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(CommandError, match="Nothing imported: 2 problem"):
        command(str(tmp_path))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(tmp_path), stderr=err)
    assert "orgs.csv line 4: type is 'campus'" in err.getvalue()
    assert "users.csv line 5: enabledUser is 'yes'" in err.getvalue()
    assert School.objects.count() == 0


def test_a_missing_path_is_refused():
    with pytest.raises(CommandError, match="no such folder or file"):
        command("/nonexistent/roster")


def district_files(schools: int) -> dict[str, bytes]:
    """A bulk 1.1 set with this many schools, an administrator and a teacher at each."""
    manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.orgs,bulk\nfile.users,bulk\n"
    orgs = ["sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId", "d,,,District,district,D,"]
    users = [
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
        "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
    ]
    for n in range(schools):
        orgs.append(f"s{n},,,School {n},school,C{n:03d},d")
        users.append(f"a{n},,,true,s{n},administrator,admin{n},,Ada,Admin{n},,,admin{n}@d.example,,,,,")
        users.append(f"t{n},,,true,s{n},teacher,teacher{n},,Tom,Teacher{n},,,teacher{n}@d.example,,,,,")
    return {
        "manifest.csv": manifest.encode(),
        "orgs.csv": "\n".join(orgs).encode(),
        "users.csv": "\n".join(users).encode(),
    }


@pytest.mark.parametrize("schools", [1, 20])
def test_the_plan_reads_the_same_number_of_queries_for_1_school_as_for_20(schools, django_assert_num_queries):
    today = datetime.date(2026, 9, 1)
    files = district_files(schools)
    same_files = roster_parse(files=files, today=today)
    roster_import_files(files=files, dry_run=False, today=today)  # the portal holds them all…
    bigger = roster_parse(files=district_files(schools + 1), today=today)  # …and a school more arrives
    with django_assert_num_queries(5):  # the mapping, the district, the schools, the accounts, the memberships
        plan = roster_plan(roster=bigger, today=today)
    assert plan.counts["schools_created"] == 1 and plan.counts["memberships_added"] == 1
    with CaptureQueriesContext(connection) as queries:
        assert roster_plan(roster=same_files, today=today).empty
    assert len(queries) == 5
