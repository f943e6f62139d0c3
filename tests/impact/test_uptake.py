"""Uptake against a hand count, and its queries pinned: the same for 1 school and 20."""

import datetime

import pytest

from autonomy.models import ItemDecision
from impact.selectors.uptake import uptake_table, uptake_totals
from schools.models import Role
from tests.factories import SchoolFactory
from tests.impact.builders import clarified, granted, moved, requested

D = datetime.date
pytestmark = pytest.mark.django_db


def _row(rows, code):
    return next(r for r in rows if r.autonomy.code == code)


def _year(row, label):
    return next((y for y in row.years if y.label == label), None)


def test_uptake_counts_schools_by_school_year_as_counted_by_hand(make_member):
    office = make_member(Role.ADMIN)
    a, b, c = SchoolFactory(), SchoolFactory(), SchoolFactory()
    # money.budget: a and b request in 2024-25 (b twice: one school), c in 2025-26 (June 2026 is still 2025-26).
    first = requested(
        a, "money.budget", submitted=D(2024, 9, 1), decided=D(2024, 9, 11), barrier="Central purchasing rule"
    )
    requested(b, "money.budget", submitted=D(2024, 10, 1), decided=D(2024, 10, 31), decision=ItemDecision.DECLINED)
    requested(b, "money.budget", submitted=D(2025, 3, 1))  # not decided: no wait counted
    requested(c, "money.budget", submitted=D(2026, 6, 1), decided=D(2026, 6, 21), barrier="Budget code lock")
    clarified(first, by=office)
    # Grants: a from 2024-07-01 (2024-25), c from 2025-08-01 (2025-26).
    ga = granted(a, "money.budget", starts_on=D(2024, 7, 1))
    gc = granted(c, "money.budget", starts_on=D(2025, 8, 1))
    moved(ga, "suspend", on=D(2025, 1, 10), actor=office)  # suspended in 2024-25
    moved(ga, "restore", on=D(2025, 9, 1), actor=office)  # reinstated in 2025-26
    moved(gc, "revoke", on=D(2026, 2, 1), actor=office)  # revoked in 2025-26
    moved(ga, "put_at_risk", on=D(2026, 3, 1), actor=None)  # at risk in 2025-26

    row = _row(uptake_table(), "money.budget")
    y1, y2 = _year(row, "2024-25"), _year(row, "2025-26")
    assert (y1.count("requested"), y1.count("granted"), y1.count("suspended")) == (2, 1, 1)
    assert (
        y2.count("requested"),
        y2.count("granted"),
        y2.count("revoked"),
        y2.count("reinstated"),
        y2.count("at_risk"),
    ) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert y1.count("revoked") == 0 and y2.count("suspended") == 0
    assert row.decided == 3 and row.median_days == 20  # waits of 10, 30 and 20 days
    assert (row.barriers_named, row.clarified) == (2, 1)
    assert _row(uptake_table(), "people.hiring").years == []
    assert uptake_totals([row])["requested"] == 3


def test_a_year_filter_keeps_that_school_year_only(make_member):
    school = SchoolFactory()
    requested(school, "money.budget", submitted=D(2024, 9, 1))
    requested(school, "money.budget", submitted=D(2025, 9, 1), call=None)
    row = _row(uptake_table(start_year=2025), "money.budget")
    assert [y.label for y in row.years] == ["2025-26"]


def _district(n: int, office):
    for _ in range(n):
        school = SchoolFactory()
        item = requested(school, "money.budget", submitted=D(2024, 9, 1), decided=D(2024, 9, 5), barrier="A rule")
        clarified(item, by=office)
        moved(granted(school, "money.budget", starts_on=D(2024, 7, 1)), "suspend", on=D(2025, 1, 1), actor=office)


def test_uptake_reads_the_same_number_of_queries_for_1_school_and_20(make_member, django_assert_num_queries):
    office = make_member(Role.ADMIN)
    _district(1, office)
    with django_assert_num_queries(7):
        uptake_table()
    _district(19, office)
    with django_assert_num_queries(7):
        rows = uptake_table()
    assert _year(_row(rows, "money.budget"), "2024-25").count("suspended") == 20
