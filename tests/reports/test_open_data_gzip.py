"""The open-data files gzipped for a client that admits it: the same bytes as the plain file, compressed once
per public version and kept in the shared cache beside the plain body, moved on by the same changes."""

import datetime
import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import BenchmarkResult
from accountability.services import evaluation_run
from metrics.models import Observation
from reports.cache import gzip_accepted
from reports.services.publishing import policy_publish
from tests.reports.public_world import SMALL_VALUE, public_world

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
RESULTS = "reports:results_csv"


@pytest.fixture
def world(db):
    return public_world(small_n=False)


@pytest.fixture
def compressions(monkeypatch):
    """How many times a body was gzipped."""
    calls = []
    compress = gzip.compress

    def counted(data, *args, **kwargs):
        calls.append(len(data))
        return compress(data, *args, **kwargs)

    monkeypatch.setattr(gzip, "compress", counted)
    return calls


def get(client, name, **headers):
    response = client.get(reverse(name), **headers)
    assert response.status_code == 200
    assert "Accept-Encoding" in response["Vary"]
    return response


def unzipped(response) -> bytes:
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) == len(response.content)
    return gzip.decompress(response.content)


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("reports:results_csv", b"school,metric,"),
        ("reports:register_csv", b"school,"),
        ("reports:service_scores_csv", b"survey,"),
    ],
)
def test_a_file_is_gzipped_when_asked_and_plain_when_not(client, world, name, header):
    zipped = get(client, name, **GZIP)  # first: built and compressed from a cold cache
    plain = get(client, name)
    assert not plain.has_header("Content-Encoding")
    assert plain.content.startswith(header)
    assert unzipped(zipped) == plain.content
    assert len(zipped.content) < len(plain.content)
    assert zipped["Content-Type"] == plain["Content-Type"] and plain["Content-Type"].startswith("text/csv")
    assert zipped["Content-Disposition"] == plain["Content-Disposition"]
    assert unzipped(get(client, name, **GZIP)) == plain.content  # warm


def test_a_client_refusing_gzip_gets_the_plain_file(client, world):
    plain = get(client, RESULTS)
    refused = get(client, RESULTS, HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert not refused.has_header("Content-Encoding") and refused.content == plain.content


@pytest.mark.parametrize(
    ("header", "admitted"),
    [
        ("gzip", True),
        ("GZIP", True),
        ("deflate, gzip;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("br;q=1.0, *;q=0.1", True),
        ("", False),
        ("identity", False),
        ("br, deflate", False),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("*, gzip;q=0", False),
        ("gzip;q=nonsense", False),
        ("gzipped", False),
    ],
)
def test_what_admits_gzip(header, admitted):
    assert gzip_accepted(header) is admitted


def test_the_gzipped_file_is_compressed_once_per_version(
    client, world, compressions, django_capture_on_commit_callbacks
):
    first = unzipped(get(client, RESULTS, **GZIP))
    with CaptureQueriesContext(connection) as captured:
        again = unzipped(get(client, RESULTS, **GZIP))
        get(client, RESULTS)
        unzipped(get(client, RESULTS, **GZIP))
    assert again == first and len(captured) == 0  # served from the cache, neither built nor read
    assert compressions == [len(first)]
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(minimum_n=10, marker="n<10")
    unzipped(get(client, RESULTS, **GZIP))
    unzipped(get(client, RESULTS, **GZIP))
    assert len(compressions) == 2  # once more for the new version, then kept


def test_the_gzipped_file_follows_an_evaluation_and_nothing_else(client, world, django_capture_on_commit_callbacks):
    before = unzipped(get(client, RESULTS, **GZIP))
    assert b",40," in before
    # Written behind the services' back: no version moves, so the kept file is answered as it was.
    BenchmarkResult.objects.filter(benchmark__contract__school=world["own"]).update(value=77)
    assert unzipped(get(client, RESULTS, **GZIP)) == before
    Observation.objects.filter(school=world["own"]).update(value=61)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_run(as_of=datetime.date(2026, 11, 20))
    after = unzipped(get(client, RESULTS, **GZIP))
    assert b",61," in after and after == get(client, RESULTS).content


def test_the_gzipped_file_follows_a_new_policy(client, world, django_capture_on_commit_callbacks):
    Observation.objects.filter(school=world["own"]).update(n=12)
    get(client, RESULTS)
    assert b"n<20" not in unzipped(get(client, RESULTS, **GZIP))
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(minimum_n=20, marker="n<20")
    assert b"n<20" in unzipped(get(client, RESULTS, **GZIP))


@pytest.mark.parametrize("gzip_first", [True, False])
def test_the_gzipped_file_holds_the_suppressed_body(client, db, gzip_first):
    world = public_world()  # the own school's values are a group of 4
    policy_publish(minimum_n=10, marker="n<10")
    if gzip_first:
        zipped, plain = unzipped(get(client, RESULTS, **GZIP)), get(client, RESULTS).content
    else:
        plain, zipped = get(client, RESULTS).content, unzipped(get(client, RESULTS, **GZIP))
    assert zipped == plain
    own = [line for line in zipped.decode().splitlines() if line.startswith(world["own"].code + ",")]
    assert own and all(",n<10," in line for line in own)
    assert SMALL_VALUE.encode() not in zipped and SMALL_VALUE.rstrip("0").encode() not in zipped


# --- a school year's file -------------------------------------------------------------------------


def last_year_too(value="55") -> None:
    """A result of 2025-26 beside each of 2026-27's (written straight: the test's own district)."""
    for result in BenchmarkResult.objects.filter(period="2026-27"):
        result.pk, result.period, result.value = None, "2025-26", value
        result.save()


def year_file(client, year, **headers):
    response = client.get(reverse(RESULTS), {"year": year}, **headers)
    assert response.status_code == 200
    assert "Accept-Encoding" in response["Vary"]
    assert response["Content-Disposition"] == f'attachment; filename="results-{year}.csv"'
    return response


def test_a_years_file_is_the_whole_files_rows_of_that_year_with_the_same_cells_masked(client, db):
    world = public_world()  # the own school's 2026-27 values are a group of 4
    last_year_too()
    policy_publish(minimum_n=10, marker="n<10")
    header, *whole = get(client, RESULTS).content.decode().splitlines()
    assert {line.split(",")[4] for line in whole} == {"2025-26", "2026-27"}
    for year in ("2025-26", "2026-27"):
        plain = year_file(client, year).content
        assert plain.decode().splitlines() == [header, *(line for line in whole if line.split(",")[4] == year)]
        assert unzipped(year_file(client, year, **GZIP)) == plain
    own_this_year = [line for line in whole if line.startswith(world["own"].code + ",") and ",2026-27," in line]
    assert own_this_year and all(",n<10," in line for line in own_this_year)


def test_a_years_file_is_compressed_once_and_follows_an_evaluation(
    client, world, compressions, django_capture_on_commit_callbacks
):
    last_year_too()
    before = unzipped(year_file(client, "2026-27", **GZIP))
    BenchmarkResult.objects.filter(benchmark__contract__school=world["own"]).update(value=77)  # behind its back
    assert unzipped(year_file(client, "2026-27", **GZIP)) == before and len(compressions) == 1
    Observation.objects.filter(school=world["own"], period="2026-27").update(value=61)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_run(as_of=datetime.date(2026, 11, 20))
    after = unzipped(year_file(client, "2026-27", **GZIP))
    assert b",61," in after and b",2025-26," not in after and len(compressions) == 2


@pytest.mark.parametrize(
    ("year", "status", "says"),
    [
        ("2026-2", 400, "year: '2026-2' is not a school year"),
        ("2026-28", 400, "year: '2026-28' is not a school year: 28 is not the year after 2026"),
        ("<script>alert(1)</script>", 400, "year: '<script>"),
        ("", 400, "year: "),
        ("2031-32", 404, "year: no results are published for 2031-32 (published: 2026-27)"),
    ],
)
def test_a_year_that_is_not_one_or_has_no_results_is_refused_saying_why(client, world, year, status, says):
    for headers in ({}, GZIP):
        response = client.get(reverse(RESULTS), {"year": year}, **headers)
        assert response.status_code == status
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert not response.has_header("Content-Encoding")
        assert response.content.decode().startswith(says)


def test_the_register_links_the_latest_years_file(client, world):
    page = client.get(reverse("reports:register")).content.decode()
    assert f'href="{reverse(RESULTS)}?year=2026-27"' in page and "Results of 2026-27 (CSV)" in page
