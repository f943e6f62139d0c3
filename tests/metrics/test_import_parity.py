"""The two ways in agree: random files, messy on purpose, give the same report and the same table
through COPY as through Python. And a large load, which sets the table's foreign keys and indexes
aside, puts them back exactly as they were."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from metrics.models import Metric, Observation, ObservationRevision
from metrics.services import import_check, import_postgres, observations_import_csv, observations_import_records

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY, the second way in, needs PostgreSQL"),
]

CELL_TEXT = st.text(alphabet=st.sampled_from(list("S01-., e'\"x\t\n;%٣\x00…")), max_size=12)
SCHOOLS = st.one_of(st.sampled_from(["S0001", "S0002", " S0001 ", "s0001", "", "S9999", "S" * 60]), CELL_TEXT)
METRICS = st.one_of(
    st.sampled_from(["ela_proficiency", "finance_rating", "reserve", "floor_only", "", "nope"]), CELL_TEXT
)
PERIODS = st.one_of(
    st.sampled_from(["2025-26", "2024-25", "2025-27", "2025-99", "2025/26", "", "2099-00", "٢٠٢٥-٢٦", "２０２５-２６"]),
    st.from_regex(r"[0-9]{4}-[0-9]{2}", fullmatch=True),
    CELL_TEXT,
)
VALUES = st.one_of(
    st.sampled_from(
        ["41.5", "41.50", "0", "-0.0", "100", "100.00005", "1e2", "1E-9999", ".5", "5.", "+1", "4.99995", "NaN"]
        + ["abc", "", "1e10000", "99999999999", "-99999999999", "0.00005", "-0.00005", "1" * 101, "5%", "1,5"]
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-200, max_value=200).map(str),
    CELL_TEXT,
)
SOURCES = st.one_of(st.sampled_from(["", "state", "state audit", "s" * 250]), CELL_TEXT)
ROWS = st.lists(st.tuples(SCHOOLS, METRICS, PERIODS, VALUES, SOURCES), min_size=0, max_size=25)
# Files that mostly import: new rows, corrections and unchanged rows of the district below.
GOOD_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["S0001", "S0002"]),
        st.sampled_from(["ela_proficiency", "finance_rating", "reserve"]),
        st.sampled_from(["2025-26", "2024-25"]),
        st.one_of(st.sampled_from(["4.5", "3", "3.00001"]), st.decimals(min_value=1, max_value=5, places=5).map(str)),
        st.sampled_from(["", "state", "hr"]),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda row: row[:3],
)


@pytest.fixture
def district(schools):
    reserve = Metric.objects.create(code="reserve", name="Reserve", unit="count", direction="higher", category="people")
    Metric.objects.create(
        code="floor_only", name="Floor 50%", unit="percent", direction="higher", category="people", min_value=5
    )
    ela = Metric.objects.get(code="ela_proficiency")
    Observation.objects.create(school=schools[0], metric=ela, period="2025-26", value=Decimal("4.5"), source="state")
    Observation.objects.create(school=schools[1], metric=reserve, period="2024-25", value=Decimal("3"), source="")


def _through(method, run):
    """What a way in reports and leaves in the tables, rolled back so the other way starts alike."""
    with transaction.atomic():
        report = run(method)
        table = sorted(Observation.objects.values_list("school_id", "metric_id", "period", "value", "source"))
        history = sorted(ObservationRevision.objects.values_list("observation_id", "value", "source"))
        transaction.set_rollback(True)
    return report, table, history


def _csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["school", "metric", "period", "value", "source"])
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.one_of(ROWS, GOOD_ROWS))
def test_copy_and_python_agree_on_any_file(district, rows):
    text = _csv(rows)
    python = _through("python", lambda method: observations_import_csv(text=text, label="f", method=method))
    copy = _through("copy", lambda method: observations_import_csv(text=text, label="f", method=method))
    assert copy == python
    event("imported" if python[0].ok else "refused")
    event("with corrections" if python[0].updated else "no corrections")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS, surrogate=st.booleans())
def test_copy_and_python_agree_on_any_records(district, rows, surrogate):
    keys = ("school", "metric", "period", "value", "source")
    records = [dict(zip(keys, row, strict=True)) for row in rows]
    if surrogate and records:
        records[0]["source"] = "\udc80"

    def run(method):
        return observations_import_records(records=records, label="api", first_row=0, method=method)

    assert _through("copy", run) == _through("python", run)


def _schema():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
               WHERE conrelid = 'metrics_observation'::regclass ORDER BY conname"""
        )
        constraints = cursor.fetchall()
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'metrics_observation' ORDER BY 1")
        indexes = cursor.fetchall()
        cursor.execute(
            """SELECT column_name, column_default FROM information_schema.columns
               WHERE table_name = 'metrics_observation' ORDER BY 1"""
        )
        return constraints, indexes, cursor.fetchall()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.one_of(ROWS, GOOD_ROWS))
def test_a_first_load_straight_into_the_table_agrees_with_python(schools, monkeypatch, rows):
    """A large load into an empty table is copied straight in, constraints set aside: the same report and
    rows as the Python path, and the table's constraints, indexes and defaults as they were."""
    monkeypatch.setattr(import_postgres, "BULK_ROWS", 1)
    text = _csv(rows)
    before = _schema()

    def run(method):
        report = observations_import_csv(text=text, label="first", method=method)
        assert _schema() == before
        return report

    assert not Observation.objects.exists()
    assert _through("copy", run) == _through("python", run)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.one_of(ROWS, GOOD_ROWS))
def test_what_the_check_remembers_changes_no_report(district, monkeypatch, rows):
    text = _csv(rows)
    usual = _through("copy", lambda method: observations_import_csv(text=text, label="f", method=method))
    monkeypatch.setattr(import_check, "REMEMBERED", 0)
    for method in ("copy", "python"):
        assert _through(method, lambda method: observations_import_csv(text=text, label="f", method=method)) == usual


def test_a_large_load_puts_back_every_constraint_and_index(schools, monkeypatch):
    monkeypatch.setattr(import_postgres, "BULK_ROWS", 2)
    before = _schema()
    text = "school,metric,period,value,source\n" + "".join(
        f"{school.code},{metric},2025-26,{n + 1},state\n"
        for n, (school, metric) in enumerate((s, m) for s in schools for m in ("ela_proficiency", "math_proficiency"))
    )
    report = observations_import_csv(text=text, label="big", method="copy")
    assert (report.ok, report.created) == (True, 4)
    assert _schema() == before
    report = observations_import_csv(text=text.replace(",1,", ",9,").replace(",2,", ",8,"), label="fix", method="copy")
    assert (report.created, report.updated, report.unchanged) == (0, 2, 2)
    assert sorted(ObservationRevision.objects.values_list("value", "replaced_by_import")) == [
        (Decimal("1"), "fix"),
        (Decimal("2"), "fix"),
    ]
    assert _schema() == before
    # The constraints are back and enforced: the same row twice is refused by the database.
    with pytest.raises(Exception, match="observation_unique_period"), transaction.atomic():
        Observation.objects.create(
            school=schools[0], metric=Metric.objects.get(code="ela_proficiency"), period="2025-26", value=1
        )


def test_a_large_load_gives_the_same_result_as_the_upsert(schools, monkeypatch):
    text = "school,metric,period,value,source\nS0001,ela_proficiency,2025-26,40,a\nS0002,ela_proficiency,2025-26,41,\n"
    observations_import_csv(text=text, label="first", method="copy")
    again = text.replace("40,a", "40,b").replace("41,", "42,")

    def run(bulk_rows):
        monkeypatch.setattr(import_postgres, "BULK_ROWS", bulk_rows)
        return _through("copy", lambda method: observations_import_csv(text=again, label="second", method=method))

    assert run(1) == run(10**9)
