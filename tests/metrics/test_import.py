from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from metrics.models import Observation, ObservationRevision
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return SchoolFactory(code="S0001"), SchoolFactory(code="S0002")


def _write(tmp_path, text, name="obs.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


GOOD = (
    "school,metric,period,value,source\n"
    "S0001,ela_proficiency,2025-26,41.5,state\n"
    "S0002,teacher_vacancies_first_day,2025-26,5,hr\n"
)


def test_import_creates_rows_and_a_reimport_changes_nothing(schools, tmp_path, capsys):
    call_command("import_observations", _write(tmp_path, GOOD))
    assert Observation.objects.count() == 2
    assert "2 new" in capsys.readouterr().out
    call_command("import_observations", _write(tmp_path, GOOD))
    assert "2 unchanged" in capsys.readouterr().out
    assert Observation.objects.count() == 2
    assert not ObservationRevision.objects.exists()


def test_a_correction_replaces_the_value_and_keeps_the_old_one(schools, tmp_path):
    call_command("import_observations", _write(tmp_path, GOOD))
    call_command("import_observations", _write(tmp_path, GOOD.replace("41.5", "43"), "fix.csv"))
    observation = Observation.objects.get(metric__code="ela_proficiency")
    assert observation.value == Decimal("43")
    revision = observation.revisions.get()
    assert revision.value == Decimal("41.5") and revision.replaced_by_import == "fix.csv"


def test_every_bad_row_is_reported_and_nothing_is_imported(schools, tmp_path, capsys):
    text = (
        "school,metric,period,value\n"
        "S0001,ela_proficiency,2025-26,40\n"  # row 2 good
        "S9999,ela_proficiency,2025-26,40\n"  # row 3 unknown school
        "S0001,no_metric,2025-26,40\n"  # row 4 unknown metric
        "S0001,math_proficiency,2025/26,40\n"  # row 5 bad period
        "S0001,growth_percentile,2025-26,lots\n"  # row 6 not a number
        "S0001,chronic_absenteeism,2025-26,140\n"  # row 7 outside the range
        "S0001,ela_proficiency,2025-26,41\n"  # row 8 duplicate of row 2
    )
    with pytest.raises(CommandError, match="Nothing imported: 6 bad row"):
        call_command("import_observations", _write(tmp_path, text))
    err = capsys.readouterr().err
    for row, words in [
        (3, "unknown school 'S9999'"),
        (4, "unknown metric"),
        (5, "period"),
        (6, "not a number"),
        (7, "outside"),
        (8, "duplicate of row 2"),
    ]:
        assert f"row {row}: " in err and words in err
    assert not Observation.objects.exists()


def test_missing_columns_are_named(schools, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_observations", _write(tmp_path, "school,metric,value\nS0001,ela_proficiency,4\n"))
    assert "missing column(s) period" in capsys.readouterr().err


def test_missing_file_and_empty_file_are_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_observations", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError):
        call_command("import_observations", _write(tmp_path, "school,metric,period,value\n"))
