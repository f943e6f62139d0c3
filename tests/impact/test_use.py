"""Use against a hand count: each Money grant's verdict from the school's discretionary share."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from impact.selectors.use import NO_PLAN, NOT_USED, TOO_EARLY, USED, grant_use_verdict, use_table
from impact.selectors.years import start_year_of
from metrics.models import Metric, Observation
from schools.periods import school_year_label
from tests.factories import SchoolFactory
from tests.impact.builders import granted

pytestmark = pytest.mark.django_db


def _share(school, start_year: int, value: str):
    Observation.objects.create(
        school=school,
        metric=Metric.objects.get(code="discretionary_share"),
        period=school_year_label(start_year),
        value=Decimal(value),
    )


def test_the_verdict_rules_at_their_edges():
    shares = {2023: Decimal("10"), 2024: Decimal("11"), 2025: Decimal("10.9")}
    assert grant_use_verdict(first=2024, last=2025, this_year=2025, shares=shares)[2] == USED  # +1 point exactly
    assert (
        grant_use_verdict(first=2025, last=2025, this_year=2025, shares={2024: Decimal("11"), 2025: Decimal("11.9")})[2]
        == NOT_USED
    )
    assert grant_use_verdict(first=2023, last=2025, this_year=2025, shares={2022: Decimal("5")})[2] == NO_PLAN
    assert grant_use_verdict(first=2025, last=2025, this_year=2025, shares={})[2] == TOO_EARLY  # not a whole year yet
    assert (
        grant_use_verdict(first=2024, last=2025, this_year=2025, shares={2024: Decimal("30")})[2] == TOO_EARLY
    )  # no year before


def test_money_grants_are_judged_as_counted_by_hand():
    this_year = start_year_of(timezone.localdate())
    used, idle, planless, fresh = SchoolFactory(), SchoolFactory(), SchoolFactory(), SchoolFactory()
    for school in (used, idle, planless):
        granted(school, "money.budget", starts_on=datetime.date(this_year - 1, 7, 1))
    granted(fresh, "money.budget", starts_on=timezone.localdate())  # this school year: too early
    _share(used, this_year - 2, "12")
    _share(used, this_year - 1, "25")
    _share(idle, this_year - 2, "12")
    _share(idle, this_year - 1, "12.5")
    _share(idle, this_year, "12")
    _share(planless, this_year - 2, "8")
    granted(SchoolFactory(), "people.hiring", starts_on=datetime.date(this_year - 1, 7, 1))

    table = {row.autonomy.code: row for row in use_table()}
    money = table["money.budget"]
    verdicts = {g.grant.school_id: g.verdict for g in money.grants}
    assert verdicts == {used.pk: USED, idle.pk: NOT_USED, planless.pk: NO_PLAN, fresh.pk: TOO_EARLY}
    assert (money.used_count, len(money.findings), money.too_early_count) == (1, 2, 1)
    assert not table["people.hiring"].measured and table["people.hiring"].grants == []


def test_use_reads_four_queries_whatever_the_grants(django_assert_num_queries):
    year = start_year_of(timezone.localdate())
    for _ in range(3):
        granted(SchoolFactory(), "money.budget", starts_on=datetime.date(year - 1, 7, 1))
    with django_assert_num_queries(4):
        use_table()
    for _ in range(17):
        school = SchoolFactory()
        granted(school, "money.budget", starts_on=datetime.date(year - 1, 7, 1))
        _share(school, year - 1, "20")
    with django_assert_num_queries(4):
        assert len(next(r for r in use_table() if r.autonomy.code == "money.budget").grants) == 20
