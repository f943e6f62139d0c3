"""observations_import_csv and observations_import_records, each test through both ways in (COPY on
PostgreSQL, Python anywhere): the same reports, the same rows written."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from metrics.models import Metric, Observation, ObservationRevision
from metrics.services import (
    MAX_LISTED_ERRORS,
    ImportReport,
    RowError,
    import_rows,
    observations_import_csv,
    observations_import_records,
)

pytestmark = pytest.mark.django_db

GOOD = (
    "school,metric,period,value,source\n"
    "S0001,ela_proficiency,2025-26,41.5,state\n"
    "S0002,teacher_vacancies_first_day,2025-26,5,hr\n"
)
HEADER = "school,metric,period,value\n"


def _import(text, method, label="obs.csv") -> ImportReport:
    return observations_import_csv(text=text, label=label, method=method)


def _reasons(report) -> dict[int, str]:
    return {error.row: error.reason for error in report.errors}


def _refused_alone(text, method) -> str:
    """The one reason a one-row file is refused for; nothing may have been written."""
    report = _import(HEADER + text + "\n", method)
    assert not report.ok and report.error_count == 1 and not Observation.objects.exists()
    (error,) = report.errors
    assert error.row == 2
    return error.reason


def test_a_good_file_is_imported_and_counted(schools, method):
    report = _import(GOOD, method)
    assert (report.ok, report.rows, report.created, report.updated, report.unchanged) == (True, 2, 2, 0, 0)
    ela = Observation.objects.get(school=schools[0], metric__code="ela_proficiency", period="2025-26")
    assert (ela.value, ela.source) == (Decimal("41.5"), "state")
    assert Observation.objects.get(school=schools[1]).value == Decimal("5")


def test_a_reimport_changes_nothing_not_even_updated_at(schools, method):
    _import(GOOD, method)
    before = {o.pk: (o.value, o.source, o.updated_at) for o in Observation.objects.all()}
    report = _import(GOOD, method)
    assert (report.ok, report.created, report.updated, report.unchanged) == (True, 0, 0, 2)
    assert {o.pk: (o.value, o.source, o.updated_at) for o in Observation.objects.all()} == before
    assert not ObservationRevision.objects.exists()


def test_a_correction_replaces_the_value_and_keeps_the_old_one(schools, method):
    _import(GOOD, method)
    first = Observation.objects.get(metric__code="ela_proficiency")
    other = Observation.objects.get(metric__code="teacher_vacancies_first_day")
    report = _import(GOOD.replace("41.5", "43"), method, label="fix.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    observation = Observation.objects.get(metric__code="ela_proficiency")
    assert observation.value == Decimal("43") and observation.updated_at > first.updated_at
    revision = observation.revisions.get()
    assert (revision.value, revision.source, revision.replaced_by_import) == (Decimal("41.5"), "state", "fix.csv")
    # The second row did not change: no history, not touched.
    assert Observation.objects.get(pk=other.pk).updated_at == other.updated_at


def test_a_new_source_alone_is_a_correction_and_an_empty_source_keeps_the_old_one(schools, method):
    _import(GOOD, method)
    report = _import(GOOD.replace(",state", ",state audit"), method)
    assert report.updated == 1
    assert Observation.objects.get(metric__code="ela_proficiency").source == "state audit"
    report = _import(HEADER + "S0001,ela_proficiency,2025-26,41.5\n", method)
    assert (report.updated, report.unchanged) == (0, 1)
    report = _import(HEADER + "S0001,ela_proficiency,2025-26,42\n", method)
    assert report.updated == 1
    observation = Observation.objects.get(metric__code="ela_proficiency")
    assert (observation.value, observation.source) == (Decimal("42"), "state audit")
    assert list(observation.revisions.values_list("value", "source")) == [
        (Decimal("41.5"), "state"),
        (Decimal("41.5"), "state audit"),
    ]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("S9999,ela_proficiency,2025-26,40", "unknown school 'S9999'"),
        (",ela_proficiency,2025-26,40", "school is empty"),
        ("s0001,ela_proficiency,2025-26,40", "unknown school 's0001'"),
        ("S0001,no_metric,2025-26,40", "unknown metric 'no_metric'"),
        ("S0001,,2025-26,40", "metric is empty"),
        (
            "S0001,ela_proficiency,2025/26,40",
            "period '2025/26' is not a school year written as 2025-26 with the digits 0-9",
        ),
        (
            "S0001,ela_proficiency,2025-27,40",
            "period '2025-27' is not a school year: 27 is not the year after 2025 (write 2025-26)",
        ),
        ("S0001,ela_proficiency,2099-00,40", None),
        (
            "S0001,ela_proficiency,٢٠٢٥-٢٦,40",
            "period '٢٠٢٥-٢٦' is not a school year written as 2025-26 with the digits 0-9",
        ),
        (
            "S0001,ela_proficiency,２０２５-２６,40",
            "period '２０２５-２６' is not a school year written as 2025-26 with the digits 0-9",
        ),
        (
            "S0001,ela_proficiency,2025-99,40",
            "period '2025-99' is not a school year: 99 is not the year after 2025 (write 2025-26)",
        ),
        ("S0001,ela_proficiency,,40", "period is empty"),
        ("S0001,ela_proficiency,2025-26,lots", "value 'lots' is not a number"),
        ("S0001,ela_proficiency,2025-26,", "value is empty"),
        ("S0001,ela_proficiency,2025-26,NaN", "value 'NaN' is not a number"),
        ("S0001,ela_proficiency,2025-26,Infinity", "value 'Infinity' is not a number"),
        ("S0001,ela_proficiency,2025-26,1_0", "value '1_0' is not a number"),
        ("S0001,ela_proficiency,2025-26,٤٠", "value '٤٠' is not a number"),
        ("S0001,ela_proficiency,2025-26,4 0", "value '4 0' is not a number"),
        ("S0001,ela_proficiency,2025-26,1e10000", "value '1e10000' is not a number"),
        ("S0001,ela_proficiency,2025-26,140", "value 140 is outside Proficiency in ELA's range 0–100"),
        ("S0001,ela_proficiency,2025-26,-0.5", "value -0.5 is outside Proficiency in ELA's range 0–100"),
        ("S0001,finance_rating,2025-26,5.5", "value 5.5 is outside Finance evaluation rating's range 1–5"),
        ("S0001,ela_proficiency,2025-26,1e400", "value 1e400 is outside Proficiency in ELA's range 0–100"),
    ],
)
def test_each_kind_of_bad_row_is_named(schools, method, row, reason):
    if reason is None:  # 2099-00 is a school year: the year after 2099 ends in 00
        assert _import(HEADER + row + "\n", method).ok
    else:
        assert _refused_alone(row, method) == reason


def test_several_problems_in_one_row_are_named_together(schools, method):
    reason = _refused_alone("S9999,no_metric,2025,x", method)
    assert reason == (
        "unknown school 'S9999'; unknown metric 'no_metric'; "
        "period '2025' is not a school year written as 2025-26 with the digits 0-9; value 'x' is not a number"
    )


def test_every_bad_row_is_reported_in_order_and_nothing_is_imported(schools, method):
    text = (
        HEADER + "S0001,ela_proficiency,2025-26,40\n"  # row 2 good
        "S9999,ela_proficiency,2025-26,40\n"  # row 3 unknown school
        "\n"  # row 4 blank: skipped but counted, as a spreadsheet shows it
        "S0001,no_metric,2025-26,40\n"  # row 5 unknown metric
        "S0001,math_proficiency,2025/26,40\n"  # row 6 bad period
        "S0001,growth_percentile,2025-26,lots\n"  # row 7 not a number
        "S0001,chronic_absenteeism,2025-26,140\n"  # row 8 outside the range
        "S0001,ela_proficiency,2025-26,41\n"  # row 9 duplicate of row 2
        "S0002,ela_proficiency,2025-26,41\n"  # row 10 good
        "S0001,ela_proficiency,2025-26,42\n"  # row 11 duplicate of row 2 again
    )
    report = _import(text, method)
    assert not report.ok and (report.rows, report.error_count) == (9, 7)
    assert [error.row for error in report.errors] == [3, 5, 6, 7, 8, 9, 11]
    assert _reasons(report)[9] == "duplicate of row 2 (S0001, ela_proficiency, 2025-26)"
    assert _reasons(report)[11] == "duplicate of row 2 (S0001, ela_proficiency, 2025-26)"
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert not Observation.objects.exists()


def test_a_bad_row_duplicating_a_good_one_is_named_for_its_own_problem_only(schools, method):
    report = _import(HEADER + "S0001,ela_proficiency,2025-26,40\nS0001,ela_proficiency,2025-26,400\n", method)
    assert _reasons(report) == {3: "value 400 is outside Proficiency in ELA's range 0–100"}


def test_a_file_with_bad_rows_leaves_earlier_data_untouched(schools, method):
    _import(GOOD, method)
    before = list(Observation.objects.values_list("pk", "value", "updated_at"))
    report = _import(GOOD.replace("41.5", "43") + "S9999,ela_proficiency,2025-26,1\n", method)
    assert not report.ok and _reasons(report) == {4: "unknown school 'S9999'"}
    assert list(Observation.objects.values_list("pk", "value", "updated_at")) == before
    assert not ObservationRevision.objects.exists()


def test_a_long_cell_is_cut_short_in_the_report(schools, method):
    code = "S" + "x" * 100
    reason = _refused_alone(f"{code},ela_proficiency,2025-26,40", method)
    assert reason == f"unknown school '{code[:39]}…'"


def test_values_are_rounded_to_four_places_half_away_from_zero(schools, method):
    text = (
        HEADER + "S0001,ela_proficiency,2025-26,41.123449999\n"
        "S0002,ela_proficiency,2025-26,0.00005\n"
        "S0001,math_proficiency,2025-26,4.1e1\n"
        "S0002,math_proficiency,2025-26,+.5\n"
    )
    assert _import(text, method).ok
    values = sorted(Observation.objects.values_list("value", flat=True))
    assert values == [Decimal("0.0001"), Decimal("0.5"), Decimal("41"), Decimal("41.1234")]
    # The same numbers written differently are the same values: nothing to correct.
    again = HEADER + "S0001,ela_proficiency,2025-26,41.1234\nS0001,math_proficiency,2025-26,41.000\n"
    assert (_import(again, method).unchanged, ObservationRevision.objects.count()) == (2, 0)


@pytest.fixture
def open_ended(db):
    """Metrics with one bound or none, as a district may configure them."""
    return [
        Metric.objects.create(code=code, name=name, unit="count", direction="higher", category="financial", **bounds)
        for code, name, bounds in [
            ("reserve", "Reserve", {}),
            ("floor_only", "Floor only", {"min_value": Decimal("0")}),
            ("ceiling_only", "Ceiling only", {"max_value": Decimal("12.5")}),
        ]
    ]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "S0001,reserve,2025-26,99999999999",
            "value 99999999999 is too large to store (at most 10 digits before the decimal point)",
        ),
        (
            "S0001,reserve,2025-26,-1e10",
            "value -1e10 is too large to store (at most 10 digits before the decimal point)",
        ),
        (
            "S0001,reserve,2025-26,9999999999.99995",
            "value 9999999999.99995 is too large to store (at most 10 digits before the decimal point)",
        ),
        ("S0001,reserve,2025-26,9999999999.99994", None),
        ("S0001,floor_only,2025-26,-1", "value -1 is below Floor only's minimum 0"),
        ("S0001,ceiling_only,2025-26,12.6", "value 12.6 is above Ceiling only's maximum 12.5"),
        ("S0001,ceiling_only,2025-26,-3", None),
    ],
)
def test_huge_values_and_open_ended_ranges(schools, open_ended, method, row, reason):
    if reason is None:
        assert _import(HEADER + row + "\n", method).ok
    else:
        assert _refused_alone(row, method) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        (" \n\n", "the file is empty"),
        ("school,metric,value\nS0001,ela_proficiency,4\n", "missing column(s) period"),
        (
            "school,metric,period,value,notes\n",
            "unknown column(s) notes; the columns are school, metric, period, value, source, n",
        ),
        ("school,metric,period,value,value\n", "column(s) named twice: value"),
    ],
)
def test_an_empty_file_or_a_bad_header_is_refused_on_row_1(schools, method, text, reason):
    report = _import(text, method)
    assert not report.ok and report.errors == [RowError(1, reason)] and report.error_count == 1


def test_a_header_only_file_has_no_data_rows(schools, method):
    report = _import(HEADER + "\n\n", method)
    assert report.errors == [RowError(2, "the file has no data rows")]


def test_header_names_are_read_leniently(schools, method):
    text = "\ufeff Source ,School,METRIC,period,Value,\nstate,S0001,ela_proficiency,2025-26,41.5,ignored\n"
    report = _import(text, method)
    assert report.ok and report.created == 1
    assert Observation.objects.get().source == "state"


def test_quotes_commas_and_line_breaks_in_a_cell_are_data(schools, method):
    source = 'Survey, spring "final"\nsecond line'
    text = (
        HEADER.replace("value", "value,source")
        + 'S0001,ela_proficiency,2025-26,41,"Survey, spring ""final""\nsecond line"\n'
    )
    assert _import(text, method).ok
    assert Observation.objects.get().source == source


def test_a_cell_that_reads_as_sql_is_only_text(schools, method):
    reason = _refused_alone('"S1\'; DROP TABLE x; --",ela_proficiency,2025-26,4', method)
    assert reason == "unknown school 'S1'; DROP TABLE x; --'"


def test_a_short_row_reads_as_blanks(schools, method):
    assert _refused_alone("S0001,ela_proficiency", method) == "period is empty; value is empty"


def test_nul_characters_refuse_their_row(schools, method):
    text = HEADER + "S0001,ela_proficiency,2025-26,40\nS00\x0001,ela_proficiency,2025-26,40\nS0002,x,2025-26,\x00\n"
    report = _import(text, method)
    assert _reasons(report) == {
        3: "contains a NUL character",
        4: "contains a NUL character",
    }
    assert not Observation.objects.exists()


def test_a_long_source_is_cut_to_200_characters(schools, method):
    assert _import(
        HEADER.replace("value", "value,source") + "S0001,ela_proficiency,2025-26,41," + "s" * 250 + "\n", method
    ).ok
    assert Observation.objects.get().source == "s" * 200


def test_the_report_lists_the_first_errors_and_counts_them_all(schools, method):
    rows = "".join(f"S9999,ela_proficiency,2025-26,{n % 100}\n" for n in range(MAX_LISTED_ERRORS + 5))
    report = _import(HEADER + "S0001,ela_proficiency,2025-26,1\n" + rows + "S0001,ela_proficiency,2025-26,2\n", method)
    assert report.error_count == MAX_LISTED_ERRORS + 6  # the last row duplicates row 2
    assert len(report.errors) == MAX_LISTED_ERRORS and report.unlisted_errors == 6
    assert [error.row for error in report.errors] == list(range(3, 3 + MAX_LISTED_ERRORS))


def test_too_many_rows_are_refused_before_anything_is_checked(schools, method, monkeypatch):
    monkeypatch.setattr(import_rows, "MAX_ROWS", 3)
    text = HEADER + "S0001,ela_proficiency,2025-26,1\n" * 4
    report = _import(text, method)
    assert report.errors == [RowError(5, "there are more than 3 rows; split them into smaller imports")]
    assert not Observation.objects.exists()


# --- records: the API's way in -------------------------------------------------------------------


def test_records_name_rows_from_first_row_and_take_decimals(schools, method):
    records = [
        {"school": "S0001", "metric": "ela_proficiency", "period": "2025-26", "value": Decimal("41.5")},
        {"school": "S0002", "metric": "ela_proficiency", "period": "2025-26", "value": None, "source": None},
        {"school": "S0002", "metric": "math_proficiency", "period": "2025-26", "value": Decimal("NaN")},
        {"school": " S0002 ", "metric": "finance_rating", "period": "2025-26", "value": "4", "source": "hr"},
    ]
    report = observations_import_records(records=records, label="api", first_row=0, method=method)
    assert report.errors == [RowError(1, "value is empty"), RowError(2, "value 'NaN' is not a number")]
    assert str(report.errors[0]) == "row 1: value is empty"
    del records[1:3]
    report = observations_import_records(records=records, label="api", first_row=0, method=method)
    assert (report.ok, report.created) == (True, 2)
    assert Observation.objects.get(metric__code="finance_rating").source == "hr"


def test_records_with_text_no_database_stores_are_refused(schools, method):
    records = [
        {"school": "S0001", "metric": "ela_proficiency", "period": "2025-26", "value": "1", "source": "a\ud800b"},
        {"school": "S0001", "metric": "ela_proficiency", "period": "2025-26", "value": "1\x00"},
    ]
    report = observations_import_records(records=records, label="api", first_row=0, method=method)
    assert report.errors == [
        RowError(0, "contains characters that are not valid text (broken UTF-16 surrogates)"),
        RowError(1, "contains a NUL character"),
    ]


def test_no_records_is_refused(schools, method):
    report = observations_import_records(records=[], label="api", first_row=0, method=method)
    assert report.errors == [RowError(0, "there are no rows")]


def test_a_correction_through_records_keeps_history_with_the_label(schools, method):
    record = {"school": "S0001", "metric": "ela_proficiency", "period": "2025-26", "value": "40"}
    observations_import_records(records=[record], label="api", first_row=0, method=method)
    observations_import_records(records=[{**record, "value": "44.25"}], label="push 7", first_row=0, method=method)
    revision = ObservationRevision.objects.get()
    assert (revision.value, revision.replaced_by_import) == (Decimal("40"), "push 7")
    assert revision.replaced_at > timezone.now() - datetime.timedelta(minutes=1)
