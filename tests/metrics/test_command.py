"""import_observations: what the operator sees, and its exit status."""

import pytest
from django.core.management import CommandError, call_command

from metrics.models import Observation
from metrics.services import MAX_LISTED_ERRORS

pytestmark = pytest.mark.django_db

GOOD = "school,metric,period,value,source\nS0001,ela_proficiency,2025-26,41.5,state\nS0002,ela_proficiency,2025-26,5,\n"


def _write(tmp_path, text, name="obs.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return str(path)


def test_import_prints_the_counts(schools, tmp_path, capsys):
    call_command("import_observations", _write(tmp_path, GOOD))
    assert capsys.readouterr().out == "Imported 2 row(s): 2 new, 0 corrected, 0 unchanged.\n"
    call_command("import_observations", _write(tmp_path, GOOD.replace("41.5", "42"), "fix.csv"))
    assert capsys.readouterr().out == "Imported 2 row(s): 0 new, 1 corrected, 1 unchanged.\n"
    assert Observation.objects.get(school=schools[0]).revisions.get().replaced_by_import == "fix.csv"


def test_a_file_saved_with_a_byte_order_mark_is_read(schools, tmp_path, capsys):
    call_command("import_observations", _write(tmp_path, GOOD, encoding="utf-8-sig"))
    assert "2 new" in capsys.readouterr().out


def test_bad_rows_are_listed_one_a_line_and_the_exit_status_says_so(schools, tmp_path, capsys):
    text = GOOD + "S9999,ela_proficiency,2025-26,1\nS0001,ela_proficiency,2025-26,41.5\n"
    with pytest.raises(CommandError, match=r"^Nothing imported: 2 bad row\(s\) in 4 row\(s\)\.$"):
        call_command("import_observations", _write(tmp_path, text))
    assert capsys.readouterr().err == (
        "row 4: unknown school 'S9999'\nrow 5: duplicate of row 2 (S0001, ela_proficiency, 2025-26)\n"
    )
    assert not Observation.objects.exists()


def test_more_bad_rows_than_are_listed_are_counted(schools, tmp_path, capsys):
    text = "school,metric,period,value\n" + "S9999,ela_proficiency,2025-26,1\n" * (MAX_LISTED_ERRORS + 2)
    with pytest.raises(CommandError, match=f"Nothing imported: {MAX_LISTED_ERRORS + 2} bad row"):
        call_command("import_observations", _write(tmp_path, text))
    err = capsys.readouterr().err.splitlines()
    assert len(err) == MAX_LISTED_ERRORS + 1 and err[-1] == "… and 2 more bad row(s), not listed."


def test_missing_columns_are_named(schools, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_observations", _write(tmp_path, "school,metric,value\nS0001,ela_proficiency,4\n"))
    assert capsys.readouterr().err == "row 1: missing column(s) period\n"


def test_missing_empty_and_non_utf8_files_are_refused(schools, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_observations", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_observations", _write(tmp_path, "school,metric,period,value\n"))
    with pytest.raises(CommandError, match="not a UTF-8 text file"):
        call_command("import_observations", _write(tmp_path, GOOD.replace("state", "état"), encoding="latin-1"))
    with pytest.raises(CommandError, match="a folder"):
        call_command("import_observations", str(tmp_path))


@pytest.mark.parametrize(
    ("period", "reason"),
    [
        ("2025-99", "period '2025-99' is not a school year: 99 is not the year after 2025 (write 2025-26)"),
        ("٢٠٢٥-٢٦", "period '٢٠٢٥-٢٦' is not a school year written as 2025-26 with the digits 0-9"),
        ("２０２５-２６", "period '２０２５-２６' is not a school year written as 2025-26 with the digits 0-9"),
    ],
)
def test_a_period_that_is_not_a_school_year_is_refused_naming_the_row(schools, tmp_path, capsys, period, reason):
    text = GOOD + f"S0001,math_proficiency,{period},41\n"
    with pytest.raises(CommandError, match=r"^Nothing imported: 1 bad row\(s\) in 3 row\(s\)\.$"):
        call_command("import_observations", _write(tmp_path, text))
    assert capsys.readouterr().err == f"row 4: {reason}\n"
    assert not Observation.objects.exists()
    call_command("import_observations", _write(tmp_path, GOOD + "S0001,math_proficiency,2025-26,41\n", "ok.csv"))
    assert "3 new" in capsys.readouterr().out
