"""The allocation pages: finance's sets, district table, release and CSV; a school's page line by line."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgeting.models import AllocationLine, AllocationSet, LineKind, SchoolAllocation
from budgeting.services.allocations import allocation_set_compute, allocation_set_release
from core.models import Notification
from schools.models import Role
from tests.budgeting import allocation_builders as build

pytestmark = pytest.mark.django_db

SCHOOL_PAGE_QUERIES = 6  # session and user, the school, the allocation, its lines, last year's and its lines
TABLE_PAGE_QUERIES = 5  # session and user, the set, the totals, the page's count and its rows


@pytest.fixture
def finance(make_member):
    return make_member(Role.REVIEWER, function="finance")


@pytest.fixture
def released(finance):
    formula, snapshot, schools = build.district(schools=2)
    allocation_set = allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    allocation_set_release(actor=finance, allocation_set=allocation_set, released_on=datetime.date(2026, 3, 2))
    return allocation_set, schools


def _allocation_with_lines(school, school_year, lines: int, *, released=True) -> SchoolAllocation:
    """An allocation of `lines` lines written as rows, to measure the page, not the engine."""
    formula = build.published_formula(school_year=school_year)
    snapshot = build.snapshot(school_year=school_year, counts={})
    allocation_set = AllocationSet.objects.create(
        formula=formula,
        snapshot=snapshot,
        computed_at=timezone.now(),
        released_on=school_year.start_date - datetime.timedelta(days=100) if released else None,
        total=Decimal(lines),
    )
    allocation = SchoolAllocation.objects.create(
        allocation_set=allocation_set,
        school=school,
        students=lines,
        formula_amount=Decimal(lines),
        final_amount=Decimal(lines),
        per_pupil=Decimal("1.00"),
    )
    kinds = [LineKind.FOUNDATION, LineKind.WEIGHT, LineKind.CONCENTRATION, LineKind.SMALL_SCHOOL]
    AllocationLine.objects.bulk_create(
        AllocationLine(
            allocation=allocation,
            position=i + 1,
            kind=kinds[i % 4],
            label=f"Line {i + 1}",
            basis=Decimal(1),
            weight=Decimal("1.0"),
            per_capita=Decimal("1.00"),
            amount=Decimal("1.00"),
        )
        for i in range(lines)
    )
    return allocation


@pytest.mark.parametrize("lines", [1, 30])
def test_the_school_page_costs_the_same_queries_for_1_line_and_30(
    client_for, make_member, lines, django_assert_num_queries
):
    school = build.middle_school()
    _allocation_with_lines(school, build.year("2025-26"), lines)
    _allocation_with_lines(school, build.year("2026-27"), lines)
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    client.get(reverse("budgeting:allocation_school", args=[school.code]))  # roles and unread count cached
    with django_assert_num_queries(SCHOOL_PAGE_QUERIES):
        response = client.get(reverse("budgeting:allocation_school", args=[school.code]))
    assert response.status_code == 200
    assert response.content.decode().count('<tr><th scope="row">Line ') == lines
    assert "The change from last year, by kind of line" in response.content.decode()


def test_the_school_page_explains_each_line_and_compares_with_last_year(client_for, make_member, finance):
    last_year = build.year("2025-26")
    old_formula, old_snapshot, schools = build.district(schools=1, school_year=last_year)
    old = allocation_set_compute(actor=finance, formula=old_formula, snapshot=old_snapshot)
    allocation_set_release(actor=finance, allocation_set=old, released_on=datetime.date(2025, 3, 2))
    this_year = build.year("2026-27")
    formula = build.published_formula(school_year=this_year)
    snapshot = build.snapshot(school_year=this_year, counts={schools[0]: {"g68": 412, "poverty": 250}})
    current = allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    allocation_set_release(actor=finance, allocation_set=current, released_on=datetime.date(2026, 3, 2))
    client = client_for(make_member(Role.PRINCIPAL, school=schools[0]))
    page = client.get(reverse("budgeting:allocation_school", args=[schools[0].code])).content.decode()
    assert "412 students × 1.08 × $4,084.80 = $1,817,570.96" in page
    assert "250 students × 0.12 × $4,084.80 = $122,545.00" in page
    assert "$2,290,115.96" in page  # 350,000 + 1,817,570.96 + 122,545.00
    assert "+$24,509.00" in page  # 50 more students in poverty × $490.18
    assert "<svg" in page and "Where the change from last year comes from" in page


def test_another_schools_allocation_page_is_404_for_a_principal(client_for, make_member, released):
    _, schools = released
    client = client_for(make_member(Role.PRINCIPAL, school=schools[0]))
    assert client.get(reverse("budgeting:allocation_school", args=[schools[1].code])).status_code == 404
    assert client.get(reverse("budgeting:allocation_school", args=[schools[0].code])).status_code == 200


def test_a_principal_sees_nothing_before_release(client_for, make_member, finance):
    formula, snapshot, schools = build.district(schools=1)
    allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    client = client_for(make_member(Role.PRINCIPAL, school=schools[0]))
    page = client.get(reverse("budgeting:allocation_school", args=[schools[0].code])).content.decode()
    assert "has not released this school's allocation yet" in page
    assert "$2,265,606.96" not in page
    finance_page = client_for(finance).get(reverse("budgeting:allocation_school", args=[schools[0].code]))
    assert "$2,265,606.96" in finance_page.content.decode()
    assert "Not released yet" in finance_page.content.decode()


def _table_queries(client, allocation_set) -> int:
    url = reverse("budgeting:allocation_set_detail", args=[allocation_set.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_district_table_costs_the_same_queries_for_3_schools_and_30(client_for, finance):
    client = client_for(finance)
    sets = []
    for schools, label in ((3, "2026-27"), (30, "2027-28")):
        formula, snapshot, _ = build.district(schools=schools, school_year=build.year(label))
        sets.append(allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot))
    assert _table_queries(client, sets[0]) == _table_queries(client, sets[1]) == TABLE_PAGE_QUERIES


def test_the_csv_has_one_row_per_line_with_the_school_code(client_for, finance, released):
    allocation_set, schools = released
    response = client_for(finance).get(reverse("budgeting:allocation_set_lines_csv", args=[allocation_set.pk]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == AllocationLine.objects.filter(allocation__allocation_set=allocation_set).count() == 2 * 3
    assert {row["school_code"] for row in rows} == {s.code for s in schools}
    first = [row for row in rows if row["school_code"] == schools[0].code]
    assert sum(Decimal(row["amount"]) for row in first) == Decimal(first[0]["school_final_amount"])


@pytest.mark.parametrize(
    "name", ["allocation_set_list", "allocation_set_detail", "allocation_set_lines_csv", "allocation_set_release"]
)
def test_finance_pages_are_404_for_everyone_else(client_for, make_member, released, name):
    allocation_set, schools = released
    args = [] if name == "allocation_set_list" else [allocation_set.pk]
    for user in (
        make_member(Role.PRINCIPAL, school=schools[0]),
        make_member(Role.LIAISON),
        make_member(Role.REVIEWER, function="hr"),
    ):
        assert client_for(user).get(reverse(f"budgeting:{name}", args=args)).status_code == 404


def test_finance_computes_and_releases_through_the_pages(client_for, finance, make_member):
    formula, snapshot, schools = build.district(schools=2)
    principal = make_member(Role.PRINCIPAL, school=schools[0])
    client = client_for(finance)
    listing = client.get(reverse("budgeting:allocation_set_list")).content.decode()
    assert "Compute every school&#x27;s allocation" in listing or "Compute every school's allocation" in listing
    response = client.post(
        reverse("budgeting:allocation_set_compute"), {"formula": formula.pk, "snapshot": snapshot.pk, "kind": "initial"}
    )
    allocation_set = AllocationSet.objects.get()
    assert response.status_code == 302
    release_url = reverse("budgeting:allocation_set_release", args=[allocation_set.pk])
    assert "Release to principals" in client.get(release_url).content.decode()
    refused = client.post(release_url, {"released_on": "2026-03-02", "staffing_deadline": "2026-02-01"})
    assert refused.status_code == 400
    assert "The staffing deadline cannot come before the release." in refused.content.decode()
    client.post(
        release_url, {"released_on": "2026-03-02", "staffing_deadline": "2026-04-13", "plans_due_on": "2026-04-30"}
    )
    detail = client.get(reverse("budgeting:allocation_set_detail", args=[allocation_set.pk])).content.decode()
    assert "6 weeks before the staffing deadline" in detail
    assert Notification.objects.filter(user=principal, key=f"allocation-release:{allocation_set.pk}").count() == 1
    again = client.post(
        reverse("budgeting:allocation_set_compute"), {"formula": formula.pk, "snapshot": snapshot.pk, "kind": "initial"}
    )
    assert again.status_code == 409
