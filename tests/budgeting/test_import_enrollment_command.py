"""import_enrollment: what the operator sees, and its exit status."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from budgeting.models import EnrollmentCount, EnrollmentSnapshot
from tests.budgeting.enrollment_world import HEADER, district

pytestmark = pytest.mark.django_db

GOOD = HEADER + "S0001,k5,300\nS0001,poverty,120\nS0002,k5,1200\nS0002,g68,150\n"
ARGS = ["--year", "2027-28", "--kind", "projected", "--as-of", "2027-03-01"]


@pytest.fixture
def world(db):
    return district()


def _write(tmp_path, text, name="enrollment.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return str(path)


def test_an_import_prints_the_counts_and_a_second_one_no_changes(world, tmp_path, capsys):
    call_command("import_enrollment", _write(tmp_path, GOOD), *ARGS)
    assert capsys.readouterr().out == (
        "Imported 4 row(s) into 2027-28 projected enrollment, 2027-03-01: 2 school(s), 1,650 student(s); "
        "4 new, 0 changed, 0 removed, 0 unchanged.\n"
    )
    snapshot = EnrollmentSnapshot.objects.get()
    assert (snapshot.kind, snapshot.as_of, snapshot.label) == ("projected", datetime.date(2027, 3, 1), "enrollment.csv")
    call_command("import_enrollment", _write(tmp_path, GOOD, "again.csv", encoding="utf-8-sig"), *ARGS)
    assert capsys.readouterr().out == (
        "No changes: 2027-28 projected enrollment, 2027-03-01 already holds these 4 count(s).\n"
    )
    assert EnrollmentSnapshot.objects.count() == 1 and EnrollmentCount.objects.count() == 4


def test_bad_rows_are_listed_one_a_line_and_the_exit_status_says_so(world, tmp_path, capsys):
    text = GOOD + "S9999,k5,1\nS0001,k5,12.5\nS0001,k5,-4\nS0001,k5,7\n"
    with pytest.raises(CommandError, match=r"^Nothing imported: 4 bad row\(s\) in 8 row\(s\)\.$"):
        call_command("import_enrollment", _write(tmp_path, text), *ARGS)
    assert capsys.readouterr().err == (
        "row 6: unknown school 'S9999'\n"
        "row 7: students '12.5' is not a whole number\n"
        "row 8: students -4 is negative; a count is 0 or more\n"
        "row 9: duplicate of row 2 (S0001, k5)\n"
    )
    assert not EnrollmentSnapshot.objects.exists()


def test_a_bare_cr_is_refused_like_the_observation_import(world, tmp_path, capsys):
    with pytest.raises(CommandError, match="Nothing imported: 1 bad row"):
        call_command("import_enrollment", _write(tmp_path, GOOD.replace("\n", "\r")), *ARGS)
    assert capsys.readouterr().err.startswith("row 1: holds a carriage return (CR) outside quotes")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2031-32", "--kind", "official", "--as-of", "2027-03-01"], "no school year '2031-32'"),
        (["--year", "2027-28", "--kind", "official", "--as-of", "1 March"], "'1 March' is not a date"),
    ],
)
def test_a_bad_option_is_named(world, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_enrollment", _write(tmp_path, GOOD), *args)
    assert not EnrollmentSnapshot.objects.exists()


def test_a_missing_file_is_named(world, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_enrollment", str(tmp_path / "nope.csv"), *ARGS)
