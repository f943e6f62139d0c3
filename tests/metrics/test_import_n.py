"""The optional column n (how many people a value was computed on): read by the CSV import and the bulk
API, checked like a value (an ASCII whole number, 0 or more), a bad one refused naming the row; both ways
in (Python, and COPY on PostgreSQL) agree."""

import pytest
from django.db import connection, transaction

from metrics.models import Observation
from metrics.services import observations_import_csv
from schools.models import Role

METHODS = ["python"] + (["copy"] if connection.vendor == "postgresql" else [])

pytestmark = pytest.mark.django_db


def _import(text, method):
    return observations_import_csv(text=text, label="f", method=method)


@pytest.mark.parametrize("method", METHODS)
def test_n_is_stored_and_optional(schools, method):
    a, b = schools[0].code, schools[1].code
    text = f"school,metric,period,value,n\n{a},ela_proficiency,2025-26,41.5,27\n{b},ela_proficiency,2025-26,50,\n"
    report = _import(text, method)
    assert report.ok and report.created == 2
    assert dict(Observation.objects.values_list("school__code", "n")) == {a: 27, b: None}


@pytest.mark.parametrize("method", METHODS)
def test_an_empty_n_keeps_the_n_recorded_and_a_new_n_corrects_it(schools, method):
    a = schools[0].code
    _import(f"school,metric,period,value,n\n{a},ela_proficiency,2025-26,41.5,27\n", method)
    report = _import(f"school,metric,period,value,n\n{a},ela_proficiency,2025-26,41.5,\n", method)
    assert (report.updated, report.unchanged) == (0, 1)
    assert Observation.objects.get().n == 27
    report = _import(f"school,metric,period,value,n\n{a},ela_proficiency,2025-26,41.5,30\n", method)
    assert report.updated == 1 and Observation.objects.get().n == 30


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("bad", ["-1", "2.5", "1e3", "٣", "abc", "1234567890", " 4x"])
def test_a_bad_n_is_refused_naming_the_row(schools, method, bad):
    a = schools[0].code
    text = f'school,metric,period,value,n\n{a},ela_proficiency,2025-26,41.5,"{bad}"\n'
    report = _import(text, method)
    assert not report.ok and Observation.objects.count() == 0
    (error,) = report.errors
    assert error.row == 2 and "n '" in error.reason and "whole number" in error.reason


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY, the second way in, needs PostgreSQL")
@pytest.mark.parametrize("n", ["", "0", "12", "-3", "x", "999999999"])
def test_copy_and_python_agree_on_n(schools, n):
    a = schools[0].code
    text = f"school,metric,period,value,n\n{a},ela_proficiency,2025-26,41.5,{n}\n{a},math_proficiency,2025-26,3,{n}\n"
    outcomes = []
    for method in ("python", "copy"):
        with transaction.atomic():
            report = _import(text, method)
            outcomes.append((report, sorted(Observation.objects.values_list("metric__code", "value", "n"))))
            transaction.set_rollback(True)
    assert outcomes[0] == outcomes[1]


def test_the_bulk_api_takes_n(schools, api_for, make_member):
    client = api_for(make_member(Role.ADMIN))
    rows = [{"school": schools[0].code, "metric": "ela_proficiency", "period": "2025-26", "value": 41.5, "n": 12}]
    response = client.post("/api/v1/observations/bulk/", {"rows": rows}, format="json")
    assert response.status_code in (200, 201), response.content
    assert Observation.objects.get().n == 12
    listed = client.get("/api/v1/observations/").json()["results"][0]
    assert listed["n"] == 12
    rows[0]["n"] = "many"
    refused = client.post("/api/v1/observations/bulk/", {"rows": rows}, format="json")
    assert refused.status_code == 400 and "n '" in str(refused.json())
