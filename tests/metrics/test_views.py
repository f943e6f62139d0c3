"""The admin's import page: upload, the report of a good or a bad file, the form's refusals, who may."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from metrics.forms import MAX_UPLOAD_BYTES
from metrics.models import Observation
from metrics.policies import can_import_observations
from metrics.services import MAX_LISTED_ERRORS
from schools.models import Role

pytestmark = pytest.mark.django_db

URL = reverse("metrics:observation_import")
GOOD = (
    b"school,metric,period,value,source\nS0001,ela_proficiency,2025-26,41.5,state\nS0002,ela_proficiency,2025-26,5,\n"
)


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


def _upload(client, content: bytes, name="scores.csv", **headers):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, content_type="text/csv")}, **headers)


def test_the_page_explains_the_file_and_lists_the_metric_codes(admin, client_for):
    response = client_for(admin).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_file">CSV file</label>' in page
    assert 'aria-describedby="id_file_helptext"' in page
    assert "<code>ela_proficiency</code></td><td>Proficiency in ELA</td><td>0–100<small" in page
    assert 'hx-indicator="#import-progress, #import-report"' in page and "Check and import" in page


def test_a_good_file_is_imported_and_counted(schools, admin, client_for):
    response = _upload(client_for(admin), GOOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Imported scores.csv" in page and "All 2 rows were good and are saved." in page
    assert "<dt>New</dt><dd>2</dd>" in page and "<dt>Corrected</dt><dd>0</dd>" in page
    assert Observation.objects.count() == 2
    response = _upload(client_for(admin), GOOD.replace(b"41.5", b"43"), name="fix.csv")
    assert "<dt>Corrected</dt><dd>1</dd>" in response.content.decode()
    assert Observation.objects.get(value=43).revisions.get().replaced_by_import == "fix.csv"


def test_a_bad_file_lists_every_bad_row_and_imports_nothing(schools, admin, client_for):
    content = GOOD + b"S9999,ela_proficiency,2025-26,1\nS0001,ela_proficiency,2025/26,1\n"
    response = _upload(client_for(admin), content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported from scores.csv" in page
    assert "2 of 4 rows have problems." in page
    assert '<th scope="row" class="num">4</th><td>unknown school &#x27;S9999&#x27;</td>' in page
    assert "period &#x27;2025/26&#x27; is not a school year written as 2025-26 with the digits 0-9" in page
    assert not Observation.objects.exists()


def test_more_bad_rows_than_are_listed_are_counted(schools, admin, client_for):
    content = b"school,metric,period,value\n" + b"S9999,ela_proficiency,2025-26,1\n" * (MAX_LISTED_ERRORS + 5)
    page = _upload(client_for(admin), content).content.decode()
    assert "The first 1,000 rows with problems, of 1,005" in page
    assert "5 more rows with problems are not listed" in page
    assert page.count('<th scope="row" class="num">') == MAX_LISTED_ERRORS


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scores.xlsx", GOOD, "Choose a CSV file (its name ends in .csv)."),
        ("scores.csv", "école,x\n".encode("latin-1"), "The file is not UTF-8 text"),
        ("scores.csv", b"", "The file is empty."),
        ("scores.csv", b"\x00" * (MAX_UPLOAD_BYTES + 1), "The file is 50.0\xa0MB; the most is 50.0\xa0MB."),
    ],
)
def test_the_form_refuses_what_is_not_a_csv_file_to_read(schools, admin, client_for, name, content, message):
    response = _upload(client_for(admin), content, name=name)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved: please check" in page and message in page
    assert 'aria-describedby="id_file_helptext id_file_error"' in page
    assert not Observation.objects.exists()


def test_no_file_is_refused(admin, client_for):
    response = client_for(admin).post(URL, {})
    assert response.status_code == 400
    assert "Choose the CSV file to import." in response.content.decode()


def test_an_htmx_upload_gets_the_panel_alone(schools, admin, client_for):
    response = _upload(client_for(admin), GOOD + b"S9999,ela_proficiency,2025-26,1\n", HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps 200s only; the panel says it was refused
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="import-panel">') and "<html" not in page
    assert "Nothing was imported" in page


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER])
def test_nobody_but_the_autonomy_office_may_import(schools, make_member, client_for, role):
    at = schools[0] if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) else None
    user = make_member(role, school=at, function="finance" if role == Role.REVIEWER else "")
    assert not can_import_observations(user)
    client = client_for(user)
    assert client.get(URL).status_code == 404
    assert _upload(client, GOOD).status_code == 404
    assert not Observation.objects.exists()
    assert "Import data" not in client.get(reverse("inbox")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, schools):
    assert _upload(client, GOOD).status_code == 302
    assert not Observation.objects.exists()


def test_the_navigation_links_the_page_for_admins(admin, client_for):
    assert f'<a href="{URL}">Import data</a>' in client_for(admin).get(reverse("inbox")).content.decode()


def _rows(count: int) -> bytes:
    return b"school,metric,period,value\n" + b"".join(
        f"S000{1 + n % 2},ela_proficiency,{2000 + n // 2}-{(2001 + n // 2) % 100:02d},{n}\n".encode()
        for n in range(count)
    )


# Session and user, the import's own statements (a transaction, the checks and the merge: on
# PostgreSQL a fixed set of SQL statements, in Python the lookups and a bulk insert per 5,000 rows).
QUERIES = {"postgresql": 18, "sqlite": 10}


def test_the_upload_costs_the_same_queries_for_1_row_and_for_20(schools, admin, client_for, django_assert_num_queries):
    client = client_for(admin)
    client.get(URL)  # warm: session and roles are cached from here on
    with django_assert_num_queries(QUERIES[connection.vendor]):
        assert _upload(client, _rows(1)).status_code == 200
    Observation.objects.all().delete()
    with django_assert_num_queries(QUERIES[connection.vendor]):
        assert _upload(client, _rows(20)).status_code == 200
    assert Observation.objects.count() == 20
