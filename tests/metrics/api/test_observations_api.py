"""/api/v1/observations/: the values of the schools a user sees, with filters and constant query counts;
and the bulk push — 10,000 rows in one call, all or nothing, each bad row named by its index, more than
the limit refused with 413, wrong shapes refused per row and key."""

import json
from decimal import Decimal

import pytest

from metrics.models import Metric, Observation, ObservationRevision
from schools.models import Role
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

BULK = "/api/v1/observations/bulk/"
KEYS = {"id", "school", "metric", "period", "value", "n", "source", "created_at", "updated_at"}


@pytest.fixture
def world(make_member):
    liaison = make_member(Role.LIAISON)
    own, other = SchoolFactory(liaison=liaison), SchoolFactory()
    ela, math = Metric.objects.get(code="ela_proficiency"), Metric.objects.get(code="math_proficiency")
    for school in (own, other):
        for period, value in (("2024-25", 40), ("2025-26", 45)):
            Observation.objects.create(school=school, metric=ela, period=period, value=value, source="state")
        Observation.objects.create(school=school, metric=math, period="2025-26", value=50)
    return {
        "own": own,
        "other": other,
        "admin": make_member(Role.ADMIN),
        "principal": make_member(Role.PRINCIPAL, school=own),
        "team": make_member(Role.SCHOOL_TEAM, school=own),
        "liaison": liaison,
        "viewer": make_member(Role.VIEWER),
        "reviewer": make_member(Role.REVIEWER, function="finance"),
        "nobody": UserFactory(),
    }


def _schools(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["school"] for row in response.json()["results"]}


# --- listing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("admin", {"own", "other"}),
        ("viewer", {"own", "other"}),
        ("reviewer", {"own", "other"}),
        ("liaison", {"own"}),
        ("principal", {"own"}),
        ("team", {"own"}),
        ("nobody", set()),
    ],
)
def test_each_role_lists_the_observations_of_the_schools_it_sees(world, api_for, role, sees):
    assert _schools(api_for(world[role]).get("/api/v1/observations/")) == {world[name].code for name in sees}


def test_another_schools_observation_is_404(world, api_for):
    client = api_for(world["principal"])
    mine = Observation.objects.filter(school=world["own"]).first()
    theirs = Observation.objects.filter(school=world["other"]).first()
    assert client.get(f"/api/v1/observations/{mine.pk}/").status_code == 200
    assert client.get(f"/api/v1/observations/{theirs.pk}/").json()["error"] == "not_found"
    assert client.get("/api/v1/observations/99999999999999999999/").status_code == 404


@pytest.mark.parametrize("role", ["admin", "principal", "liaison", "viewer"])
def test_every_role_gets_the_same_pinned_fields(world, api_for, role):
    client = api_for(world[role])
    rows = client.get("/api/v1/observations/").json()["results"]
    assert rows and all(set(row) == KEYS for row in rows)
    assert set(client.get(f"/api/v1/observations/{rows[0]['id']}/").json()) == KEYS


def test_a_row_reads_as_the_observation(world, api_for):
    rows = api_for(world["principal"]).get("/api/v1/observations/").json()["results"]
    assert [(r["school"], r["metric"], r["period"], r["value"], r["source"]) for r in rows] == [
        (world["own"].code, "ela_proficiency", "2024-25", "40.0000", "state"),
        (world["own"].code, "ela_proficiency", "2025-26", "45.0000", "state"),
        (world["own"].code, "math_proficiency", "2025-26", "50.0000", ""),
    ]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"metric": "ela_proficiency"}, 4),
        ({"metric": "no_such_metric"}, 0),
        ({"period": "2025-26"}, 4),
        ({"period_from": "2025-26"}, 4),
        ({"period_to": "2024-25"}, 2),
        ({"period_from": "2024-25", "period_to": "2024-25", "metric": "ela_proficiency"}, 2),
    ],
)
def test_filters_narrow_the_list(world, api_for, query, count):
    assert api_for(world["admin"]).get("/api/v1/observations/", query).json()["count"] == count


def test_the_school_filter_takes_a_code(world, api_for):
    response = api_for(world["admin"]).get("/api/v1/observations/", {"school": world["other"].code})
    assert _schools(response) == {world["other"].code} and response.json()["count"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "2025"}, "period"),
        ({"period_from": "2025/26"}, "period_from"),
        ({"period": "2025-99"}, "period"),
        ({"period": "٢٠٢٥-٢٦"}, "period"),
        ({"period_to": "２０２５-２６"}, "period_to"),
        ({"period_to": "x" * 500}, "period_to"),
        ({"school": "a\x00b"}, "school"),
        ({"metric": "m" * 61}, "metric"),
    ],
)
def test_a_bad_filter_is_400_naming_it(world, api_for, query, field):
    response = api_for(world["admin"]).get("/api/v1/observations/", query)
    assert response.status_code == 400 and field in response.json()["fields"]


@pytest.mark.parametrize(
    ("period", "reason"),
    [
        ("2025-99", "period '2025-99' is not a school year: 99 is not the year after 2025 (write 2025-26)"),
        ("٢٠٢٥-٢٦", "period '٢٠٢٥-٢٦' is not a school year written as 2025-26 with the digits 0-9"),
        ("２０２５-２６", "period '２０２５-２６' is not a school year written as 2025-26 with the digits 0-9"),
    ],
)
def test_a_pushed_row_whose_period_is_not_a_school_year_is_refused_naming_the_row(world, api_for, period, reason):
    good = {"school": world["own"].code, "metric": "ela_proficiency", "period": "2026-27", "value": 50}
    client = api_for(world["admin"])
    response = client.post(BULK, {"rows": [good, good | {"period": period}]}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"rows.1": [reason]}
    assert client.post(BULK, {"rows": [good, good | {"period": "2025-26"}]}, format="json").status_code == 200


def test_the_list_costs_the_same_queries_for_2_and_30_schools(world, api_for, django_assert_max_num_queries):
    client = api_for(world["admin"])
    client.get("/api/v1/observations/")
    with django_assert_max_num_queries(4) as few:
        client.get("/api/v1/observations/")
    ela = Metric.objects.get(code="ela_proficiency")
    Observation.objects.bulk_create(
        Observation(school=school, metric=ela, period="2025-26", value=50) for school in SchoolFactory.create_batch(28)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/observations/").json()["count"] == 34


# --- the bulk push ----------------------------------------------------------------------------------


def _rows(schools, count: int, *, period: str = "2026-27", value=55) -> list[dict]:
    metrics = ["ela_proficiency", "math_proficiency", "teacher_retention", "family_satisfaction"]
    pairs = [(school.code, metric) for school in schools for metric in metrics]
    periods = [period, "2022-23", "2021-22", "2020-21", "2019-20", "2018-19"]
    assert len(pairs) * len(periods) >= count
    return [
        {"school": pairs[i % len(pairs)][0], "metric": pairs[i % len(pairs)][1], "period": periods[i // len(pairs)],
         "value": value, "source": "HR export"}
        for i in range(count)
    ]  # fmt: skip


@pytest.fixture
def many_schools(db):
    return SchoolFactory.create_batch(500, network=None)


def test_ten_thousand_valid_rows_are_accepted_in_one_call_and_a_second_push_changes_nothing(
    world, api_for, many_schools
):
    client = api_for(world["admin"])
    rows = _rows(many_schools, 10_000)
    before = Observation.objects.count()
    response = client.post(BULK, {"rows": rows}, format="json")
    assert response.status_code == 200, response.content[:500]
    assert response.json() == {"rows": 10_000, "created": 10_000, "updated": 0, "unchanged": 0}
    assert Observation.objects.count() == before + 10_000
    again = client.post(BULK, {"rows": rows}, format="json")
    assert again.json() == {"rows": 10_000, "created": 0, "updated": 0, "unchanged": 10_000}
    assert Observation.objects.count() == before + 10_000 and not ObservationRevision.objects.exists()


def test_one_bad_row_among_ten_thousand_saves_nothing_and_names_its_index(world, api_for, many_schools):
    rows = _rows(many_schools, 10_000)
    rows[7_777]["value"] = "lots"
    before = Observation.objects.count()
    response = api_for(world["admin"]).post(BULK, {"rows": rows}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and body["fields"] == {"rows.7777": ["value 'lots' is not a number"]}
    assert body["detail"] == "Nothing was saved: 1 of 10,000 rows are refused."
    assert Observation.objects.count() == before


def test_more_rows_than_the_limit_are_413_and_nothing_is_saved(world, api_for, many_schools):
    rows = _rows(many_schools, 10_001)
    before = Observation.objects.count()
    response = api_for(world["admin"]).post(BULK, {"rows": rows}, format="json")
    assert response.status_code == 413
    body = response.json()
    assert body["error"] == "too_large"
    assert body["detail"] == "10,001 rows sent; one call takes at most 10,000. Split the rows."
    assert Observation.objects.count() == before


def test_a_body_larger_than_any_allowed_call_is_413_before_it_is_read(world, api_for, settings):
    settings.API_BULK_MAX_ROWS = 3
    rows = _rows([world["own"]], 3)
    for row in rows:
        row["source"] = "s" * 1_200
    response = api_for(world["admin"]).post(BULK, {"rows": rows}, format="json")
    assert response.status_code == 413 and "at most 3,072 bytes (3 rows)" in response.json()["detail"]
    assert not Observation.objects.filter(period="2026-27").exists()


def test_a_correction_replaces_the_value_and_keeps_the_old_one_with_who_pushed_it(world, api_for):
    row = {"school": world["own"].code, "metric": "ela_proficiency", "period": "2025-26", "value": "47.25"}
    response = api_for(world["admin"]).post(BULK, {"rows": [row]}, format="json")
    assert response.json() == {"rows": 1, "created": 0, "updated": 1, "unchanged": 0}
    observation = Observation.objects.get(school=world["own"], metric__code="ela_proficiency", period="2025-26")
    assert observation.value == Decimal("47.25")
    (revision,) = ObservationRevision.objects.filter(observation=observation)
    assert revision.value == Decimal("45") and revision.replaced_by_import.startswith("API push by ")
    assert "tests " in revision.replaced_by_import  # the token's name


def test_numbers_may_be_json_numbers_or_strings(world, api_for):
    base = {"school": world["own"].code, "metric": "math_proficiency", "source": None}
    rows = [{**base, "period": "2026-27", "value": 61.5}, {**base, "period": "2027-28", "value": "62"}]
    response = api_for(world["admin"]).post(BULK, {"rows": rows}, format="json")
    assert response.status_code == 200, response.content
    values = Observation.objects.filter(school=world["own"], metric__code="math_proficiency", period__gte="2026-27")
    assert sorted(values.values_list("value", flat=True)) == [Decimal("61.5"), Decimal("62")]


@pytest.mark.parametrize("role", ["principal", "team", "liaison", "reviewer", "viewer", "nobody"])
def test_only_the_autonomy_office_pushes_observations(world, api_for, role):
    row = {"school": world["own"].code, "metric": "ela_proficiency", "period": "2026-27", "value": 50}
    response = api_for(world[role]).post(BULK, {"rows": [row]}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == "Only the autonomy office imports observations."
    assert not Observation.objects.filter(period="2026-27").exists()


GOOD = {"school": "OWN", "metric": "ela_proficiency", "period": "2026-27", "value": 50, "source": "x"}


@pytest.mark.parametrize(
    ("row", "key", "message"),
    [
        ("a row", "rows.1", "Each row is an object"),
        (["OWN", "ela_proficiency"], "rows.1", "Each row is an object"),
        (None, "rows.1", "Each row is an object"),
        ({**GOOD, "value": True}, "rows.1.value", "A number, as a JSON number or a string."),
        ({**GOOD, "value": [50]}, "rows.1.value", "A number"),
        ({**GOOD, "value": None}, "rows.1.value", "A number"),
        ({**GOOD, "school": 12}, "rows.1.school", "A string."),
        ({**GOOD, "period": {"year": 2026}}, "rows.1.period", "A string."),
        ({**GOOD, "source": 5}, "rows.1.source", "A string."),
        ({k: v for k, v in GOOD.items() if k != "metric"}, "rows.1.metric", "This field is required."),
        ({**GOOD, "colour": "blue"}, "rows.1.colour", "Unknown key"),
    ],
)
def test_a_row_of_the_wrong_shape_is_named_by_index_and_key(world, api_for, row, key, message):
    good = {**GOOD, "school": world["own"].code}
    row = {**row, "school": world["own"].code} if isinstance(row, dict) and row.get("school") == "OWN" else row
    response = api_for(world["admin"]).post(BULK, {"rows": [good, row, good]}, format="json")
    assert response.status_code == 400, response.content
    fields = response.json()["fields"]
    assert list(fields) == [key] and fields[key][0].startswith(message), fields
    assert not Observation.objects.filter(period="2026-27").exists()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"school": "NOPE"}, "unknown school 'NOPE'"),
        ({"metric": "ela"}, "unknown metric 'ela'"),
        ({"period": "2026-28"}, "period '2026-28' is not a school year: 28 is not the year after 2026 (write 2026-27)"),
        ({"value": 101}, "value 101 is outside Proficiency in ELA's range 0–100"),
        ({"value": "1e400"}, "value 1e400 is outside Proficiency in ELA's range 0–100"),
        ({"value": "NaN"}, "value 'NaN' is not a number"),
        ({"school": "a\x00b"}, "contains a NUL character"),
    ],
)
def test_the_imports_own_checks_name_the_row(world, api_for, row, reason):
    good = {"school": world["own"].code, "metric": "ela_proficiency", "period": "2026-27", "value": 50}
    response = api_for(world["admin"]).post(
        BULK, {"rows": [good, good | {"period": "2027-28"}, good | row]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"rows.2": [reason]}
    assert not Observation.objects.filter(period__gte="2026-27").exists()


def test_a_repeated_row_is_named_as_a_duplicate(world, api_for):
    good = {"school": world["own"].code, "metric": "ela_proficiency", "period": "2026-27", "value": 50}
    response = api_for(world["admin"]).post(BULK, {"rows": [good, good]}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["rows.1"]
    assert response.json()["fields"]["rows.1"][0].startswith("duplicate of row 0")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "rows"),
        ({"rows": []}, "rows"),
        ({"rows": "school,metric"}, "rows"),
        ({"rows": {"0": GOOD}}, "rows"),
        ([GOOD], ""),
    ],
)
def test_a_body_of_the_wrong_shape_is_400(world, api_for, body, field):
    response = api_for(world["admin"]).post(BULK, body, format="json")
    assert response.status_code == 400
    assert (field in response.json()["fields"]) if field else response.json()["fields"] == {}


@pytest.mark.parametrize("raw", ["", "not json", "{", "[" * 50_000, '{"rows": [NaN]}'])
def test_a_body_that_is_not_json_is_400(world, api_for, raw):
    response = api_for(world["admin"]).generic("POST", BULK, raw, content_type="application/json")
    assert response.status_code == 400, response.content


def test_many_bad_rows_are_counted_and_the_first_thousand_listed(world, api_for, many_schools):
    rows = _rows(many_schools, 1_500, value="x")
    response = api_for(world["admin"]).post(BULK, {"rows": rows}, format="json")
    body = response.json()
    assert response.status_code == 400 and len(body["fields"]) == 1_000
    assert body["detail"] == "Nothing was saved: 1,500 of 1,500 rows are refused; the first 1,000 are listed."
    assert list(body["fields"])[:2] == ["rows.0", "rows.1"]


def test_ten_thousand_rows_with_long_sources_pass_the_upload_limits(world, api_for, many_schools, settings):
    """More than Django's DATA_UPLOAD_MAX_MEMORY_SIZE: the bulk endpoint reads its body as a stream, under its
    own byte limit, so a full call is not cut short."""
    rows = _rows(many_schools, 10_000)
    for row in rows:
        row["source"] = "Human resources information system, nightly export. " * 4
    body = json.dumps({"rows": rows})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = api_for(world["admin"]).generic("POST", BULK, body, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
