"""A demo a district would believe: targets drawn from the district's own data that ask each school to
improve, standings that mean something, and schools with results only from the year they opened."""

import statistics

import pytest
from django.core.management import call_command
from django.db.models import F

from contracts.models import Benchmark, BenchmarkKind, TargetMode, TemplateBenchmark
from demo.services.data import MORE_BENCHMARKS, TEMPLATE_BENCHMARKS
from metrics.models import Observation
from schools.models import School, SchoolYear

pytestmark = pytest.mark.django_db

LOWEST_STANDING = 25


@pytest.fixture
def demo():
    """The demo district of 40 schools (its first evaluation is not needed here)."""
    call_command("seed_demo", "--schools", "40", verbosity=0)


def _year(back: int) -> SchoolYear:
    """The current school year (0), the one before (1)…: the demo's years end with two a term runs into."""
    return SchoolYear.objects.order_by("-start_date")[2 + back]


@pytest.mark.parametrize(
    "metric, fields", TEMPLATE_BENCHMARKS + MORE_BENCHMARKS, ids=lambda v: getattr(v, "get", None) and v["key"]
)
def test_every_standard_target_asks_for_something(metric, fields):
    """No growth of 0 or less, no standing below the 25th percentile, no target of 'the baseline plus 0'."""
    kind, target = fields["kind"], fields["target_value"]
    if kind == BenchmarkKind.GROWTH:
        assert target > 0
    if kind == BenchmarkKind.RELATIVE:
        assert target >= LOWEST_STANDING
    if fields["target_mode"] == TargetMode.BASELINE_PLUS:
        assert target > 0
    if metric == "growth_percentile" and kind == BenchmarkKind.VALUE:
        assert target >= 40  # a median growth percentile at or above the 40th


def test_no_contract_holds_a_target_at_or_below_the_schools_baseline(demo):
    """Every target set from the school's own results asks it to improve on them."""
    growth = Benchmark.objects.filter(kind=BenchmarkKind.GROWTH)
    assert growth.exists() and not growth.filter(target__lte=0).exists()
    from_baseline = {t.key for t in TemplateBenchmark.objects.filter(target_mode=TargetMode.BASELINE_PLUS)}
    raised = Benchmark.objects.filter(key__in=from_baseline, baseline__isnull=False)
    assert raised.count() >= 30  # nearly every school's math target comes from its baseline
    assert not raised.filter(comparator__in=(">=", ">"), target__lte=F("baseline")).exists()
    assert not raised.filter(comparator__in=("<=", "<"), target__gte=F("baseline")).exists()


def test_no_standing_target_is_below_the_25th_percentile(demo):
    standings = Benchmark.objects.filter(kind=BenchmarkKind.RELATIVE)
    assert standings.exists()
    assert not standings.filter(target__lt=LOWEST_STANDING).exists()


def test_floors_and_limits_sit_within_the_districts_own_range(demo):
    """A fixed floor some school could miss and most meet: between the lowest and the median of the
    district's baseline year (a limit, between the median and the highest)."""
    baseline_year = _year(1).label  # the term starts with the current year
    fixed = TemplateBenchmark.objects.filter(
        target_mode=TargetMode.FIXED, kind__in=(BenchmarkKind.VALUE, BenchmarkKind.AGGREGATE)
    ).select_related("metric")
    assert fixed.exists()
    for standard in fixed:
        values = list(
            Observation.objects.filter(metric=standard.metric, period=baseline_year).values_list("value", flat=True)
        )
        median = statistics.median(values)
        if standard.comparator in (">=", ">"):
            assert min(values) < standard.target_value < median, standard.key
        else:
            assert median < standard.target_value < max(values) + 3, standard.key


def test_no_school_has_results_from_before_it_opened(demo):
    early = [
        (code, period)
        for code, opened, period in Observation.objects.values_list("school__code", "school__opened_year", "period")
        if int(period[:4]) < opened
    ]
    assert early == []
    # And the rule is not vacuous: the demo has a school opened within the last two years, with data only
    # from then on.
    new = School.objects.filter(opened_year__gte=_year(1).start_date.year)
    assert new.exists()
    for school in new:
        periods = set(Observation.objects.filter(school=school).values_list("period", flat=True))
        assert periods and min(int(p[:4]) for p in periods) >= school.opened_year


def test_earned_grants_rest_on_the_rating_they_were_decided_on_and_one_has_slipped_since(demo):
    """A budget earned on last year's finance rating, its evidence the criterion as checked then; and one
    school rated 3 this year, below the criterion, for the nightly re-check to find."""
    from autonomy.evidence_words import evidence_summary
    from autonomy.models import AutonomyGrant

    decided, latest = _year(1).label, _year(0).label
    grants = AutonomyGrant.objects.filter(autonomy__code="money.budget").select_related("school")
    assert grants.count() >= 5
    for grant in grants:
        (check,) = grant.evidence["criteria"]
        assert check["period"] == decided and check["holds"] and int(check["value"]) >= 4
        rating = Observation.objects.get(school=grant.school, metric__code="finance_rating", period=decided).value
        assert rating == int(check["value"])
    slipped = grants.get(school__code="S0011")
    assert Observation.objects.get(school=slipped.school, metric__code="finance_rating", period=latest).value == 3
    assert evidence_summary(slipped.evidence) == [f"Finance evaluation rating at least 4: 4 in {decided} (met)."]
