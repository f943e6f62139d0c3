"""Earned autonomy is kept, not just won: the nightly run re-checks every earned grant's criteria; a lapse
puts it at risk for the cure period, met again within it the grant is cured, still unmet after it the grant
is suspended."""

import datetime

import pytest
from django.conf import settings

from accountability.services import evaluation_run
from autonomy.models import Autonomy, EligibilityCriterion, GrantStatus
from core.models import Notification
from metrics.models import Metric
from schools.models import Role
from tests.accountability.builders import AS_OF, observe, school_years
from tests.factories import MembershipFactory, SchoolFactory, grant

pytestmark = pytest.mark.django_db

CURE_ENDS = AS_OF + datetime.timedelta(days=settings.CURE_PERIOD_DAYS)


@pytest.fixture
def budget_control():
    """A school holding `money.salary`, earned with a finance rating of at least 4, rated 4.5 so far."""
    school_years()
    autonomy = Autonomy.objects.get(code="money.salary")
    EligibilityCriterion.objects.create(
        autonomy=autonomy, metric=Metric.objects.get(code="finance_rating"), comparator=">=", threshold=4
    )
    school = SchoolFactory()
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
    observe(school, "2025-26", "4.5", metric="finance_rating")
    held = grant(school, "money.salary")
    assert held.model == "earned"
    return school, held, principal


def test_a_school_whose_rating_falls_below_the_criterion_is_put_at_risk_for_the_cure_period(budget_control):
    """Found: a school kept budget control after its finance rating fell to 3 where the criterion is 4."""
    school, held, principal = budget_control
    observe(school, "2026-27", "3", metric="finance_rating")
    run = evaluation_run(as_of=AS_OF)
    held.refresh_from_db()
    assert (held.status, held.at_risk_until) == (GrantStatus.AT_RISK, CURE_ENDS)
    assert run.counts["grants_at_risk"] == 1
    event = held.events.latest("pk")
    assert (event.action, event.actor) == ("criteria_lapse", None)
    assert "Finance evaluation rating at least 4, but 3 in 2026-27" in event.reason
    assert f"until {CURE_ENDS:%B %-d, %Y}" in event.reason
    assert event.evidence["criteria"][0]["value"] == "3"
    assert Notification.objects.filter(user=principal, title__contains="is at risk").count() == 1
    # The same date again changes nothing.
    assert evaluation_run(as_of=AS_OF).counts["grants_at_risk"] == 0


def test_met_again_within_the_cure_period_the_grant_is_cured(budget_control):
    school, held, _ = budget_control
    observe(school, "2026-27", "3", metric="finance_rating")
    evaluation_run(as_of=AS_OF)
    observe(school, "2026-27", "4", metric="finance_rating")  # a corrected rating
    run = evaluation_run(as_of=AS_OF + datetime.timedelta(days=5))
    held.refresh_from_db()
    assert (held.status, held.at_risk_until, run.counts["grants_cured"]) == (GrantStatus.ACTIVE, None, 1)
    assert held.events.latest("pk").action == "criteria_cure"


def test_still_unmet_when_the_cure_period_has_ended_the_grant_is_suspended(budget_control):
    school, held, _ = budget_control
    observe(school, "2026-27", "3", metric="finance_rating")
    evaluation_run(as_of=AS_OF)
    held.refresh_from_db()
    assert evaluation_run(as_of=AS_OF + datetime.timedelta(days=3)).counts["grants_suspended"] == 0
    type(held).objects.filter(pk=held.pk).update(at_risk_until=AS_OF + datetime.timedelta(days=5))
    run = evaluation_run(as_of=AS_OF + datetime.timedelta(days=6))
    held.refresh_from_db()
    assert (held.status, run.counts["grants_suspended"]) == (GrantStatus.SUSPENDED, 1)
    assert held.events.latest("pk").action == "criteria_suspend"


def test_no_data_yet_is_no_lapse_and_a_met_criterion_changes_nothing(budget_control):
    school, held, _ = budget_control
    other = SchoolFactory()
    unobserved = grant(other, "money.salary")
    run = evaluation_run(as_of=AS_OF)
    held.refresh_from_db()
    unobserved.refresh_from_db()
    assert held.status == unobserved.status == GrantStatus.ACTIVE and run.counts["grants_at_risk"] == 0


@pytest.fixture
def improving_literacy():
    """An earned autonomy whose criterion is an improvement: ELA proficiency up by at
    least 3 points over 2 years."""
    school_years()
    autonomy = Autonomy.objects.get(code="money.salary")
    EligibilityCriterion.objects.create(
        autonomy=autonomy,
        metric=Metric.objects.get(code="ela_proficiency"),
        kind="improvement",
        comparator=">=",
        threshold=3,
        years=2,
    )
    return autonomy


def test_an_improvement_criterion_is_met_by_improving_and_judged_the_same_nightly_and_on_a_request(
    improving_literacy,
):
    """The sources give more latitude to schools with high or improving achievement."""
    from accountability.models import EligibilityFinding
    from autonomy.selectors_eligibility import eligibility_for

    improving, flat = SchoolFactory(), SchoolFactory()
    for school, then, now in ((improving, 30, 34), (flat, 60, 61)):
        observe(school, "2024-25", then)
        observe(school, "2026-27", now)
    evaluation_run(as_of=AS_OF)
    assert set(EligibilityFinding.objects.values_list("school_id", flat=True)) == {improving.pk}
    (check,) = eligibility_for(school=improving, autonomies=[improving_literacy])[improving_literacy.pk]
    assert check.holds and check.value == "+4 points" and check.period == "2024-25 to 2026-27"
    assert check.criterion == "Proficiency in ELA up by at least 3 points over 2 years"
    (check,) = eligibility_for(school=flat, autonomies=[improving_literacy])[improving_literacy.pk]
    assert not check.holds and check.value == "+1 point"


def test_a_school_that_stops_improving_puts_its_earned_grant_at_risk(improving_literacy):
    school = SchoolFactory()
    observe(school, "2023-24", 30)
    observe(school, "2025-26", 35)
    held = grant(school, "money.salary")
    observe(school, "2024-25", 36)
    observe(school, "2026-27", 35)  # down a point over two years
    evaluation_run(as_of=AS_OF)
    held.refresh_from_db()
    assert held.status == GrantStatus.AT_RISK
    assert "Proficiency in ELA up by at least 3 points over 2 years, but -1 point in 2024-25 to 2026-27" in (
        held.events.latest("pk").reason
    )
