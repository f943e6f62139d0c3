"""Text the CSV reader cannot split into fields: a bare CR, a CR inside an unquoted field, a field past the
csv module's limit. The service, the upload page and the command refuse it in the same words, naming the
row, and import nothing (not even the good rows read before it)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from metrics.models import Observation
from metrics.services import observations_import_csv
from schools.models import Role

pytestmark = pytest.mark.django_db

HEADER = "school,metric,period,value\n"
GOOD_ROW = "S0001,ela_proficiency,2025-26,41.5\n"
CR_REASON = (
    "holds a carriage return (CR) outside quotes: a line ending in a bare CR or a stray CR inside a field; "
    "save the file again as “CSV UTF-8”"
)
LONG_REASON = "has a field longer than 131,072 characters"

UNREADABLE = {
    # name: (text, the row refused, why)
    "bare CR line endings": (HEADER.replace("\n", "\r") + GOOD_ROW.replace("\n", "\r"), 1, CR_REASON),
    "a bare CR after good rows": (HEADER + GOOD_ROW + "S0002,ela_proficiency,2025-26,5\r" + GOOD_ROW, 3, CR_REASON),
    "a stray CR inside a field": (HEADER + GOOD_ROW + "S0002,ela_pro\rficiency,2025-26,5\n", 3, CR_REASON),
    "a field over the limit": (
        HEADER + GOOD_ROW + "S0002,ela_proficiency,2025-26," + "9" * 131_073 + "\n",
        3,
        LONG_REASON,
    ),
    "a quoted field over the limit": (
        HEADER + GOOD_ROW + GOOD_ROW + 'S0002,"' + "x" * 200_000 + '",2025-26,5\n',
        4,
        LONG_REASON,
    ),
    "an over-long header": ("school,metric,period,value," + "v" * 131_073 + "\n" + GOOD_ROW, 1, LONG_REASON),
}


@pytest.mark.parametrize("text, row, reason", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_the_service_names_the_row_and_imports_nothing(schools, method, text, row, reason):
    report = observations_import_csv(text=text, label="obs.csv", method=method)
    assert not report.ok and report.error_count == 1
    assert [(error.row, error.reason) for error in report.errors] == [(row, reason)]
    assert not Observation.objects.exists()


def test_a_cr_inside_a_quoted_field_is_read(schools, method):
    report = observations_import_csv(
        text=HEADER + 'S0001,ela_proficiency,2025-26,41.5\r\n"S0002",ela_proficiency,"2025-26","5"\r\n', method=method
    )
    assert report.ok and report.created == 2


@pytest.mark.parametrize("text, row, reason", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_the_upload_page_refuses_it_with_a_400(schools, make_member, client_for, text, row, reason):
    client = client_for(make_member(Role.ADMIN))
    upload = SimpleUploadedFile("scores.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("metrics:observation_import"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<th scope="row" class="num">{row}</th>' in page
    assert reason in page
    assert not Observation.objects.exists()


@pytest.mark.parametrize("text, row, reason", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_the_command_refuses_it_with_a_failing_exit(schools, tmp_path, capsys, text, row, reason):
    path = tmp_path / "obs.csv"
    path.write_bytes(text.encode())
    with pytest.raises(CommandError, match=r"^Nothing imported: 1 bad row\(s\)"):
        call_command("import_observations", str(path))
    assert capsys.readouterr().err == f"row {row}: {reason}\n"
    assert not Observation.objects.exists()
