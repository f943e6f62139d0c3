"""The survey reads in a fixed number of queries: a cycle's results for one department or all six, with one
network or twenty; the scorecards over one closed cycle or twenty; the cycles list for one or twenty."""

import datetime

import pytest
from django.db.models import Q

from support.models import Department, SurveyAnswer, SurveyCycle, SurveyItem, SurveyResponse, SurveyStatus
from support.selectors.surveys import department_scorecards, survey_cycles_list, survey_results
from support.services.surveys import survey_cycle_close
from tests.factories import NetworkFactory, SchoolYearFactory
from tests.support.surveys_world import admin_user, answer, networks_with, open_cycle

pytestmark = pytest.mark.django_db


def _closed_cycles(count: int, admin) -> list[SurveyCycle]:
    """`count` closed cycles with 5 answers each, written in bulk (the services are tested elsewhere)."""
    year = SchoolYearFactory()
    cycles = []
    for n in range(count):
        cycle = SurveyCycle.objects.create(
            school_year=year,
            term=f"Term {n}",
            opens_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            closes_on=datetime.date(2026, 1, 2) + datetime.timedelta(days=n),
            status=SurveyStatus.CLOSED,
        )
        item = SurveyItem.objects.create(cycle=cycle, position=1, text="Fine.")
        for _ in range(5):
            response = SurveyResponse.objects.create(cycle=cycle, submitted_on=cycle.opens_on)
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, item=item, department=d, value=4) for d in Department.values
            )
        cycles.append(cycle)
    return cycles


@pytest.mark.parametrize("departments", [["finance"], Department.values])
@pytest.mark.parametrize("networks", [1, 20])
def test_results_take_the_same_queries_for_one_or_many(django_assert_num_queries, departments, networks):
    admin = admin_user()
    _, pairs = networks_with(5)
    for _ in range(networks - 1):
        NetworkFactory()
    cycle = open_cycle(admin)
    answer(cycle, pairs)
    cycle = survey_cycle_close(actor=admin, cycle_id=cycle.pk)
    # the policy, the statements, the two tallies, the networks, whether any school is in none
    with django_assert_num_queries(6):
        results = survey_results(cycle=cycle, departments=departments)
    assert len(results.departments) == len(departments)
    assert results.departments[0].overall.respondents == 5


@pytest.mark.parametrize("count", [1, 20])
def test_scorecards_take_the_same_queries_for_one_or_twenty_cycles(django_assert_num_queries, count):
    _closed_cycles(count, admin_user())
    with django_assert_num_queries(3):  # the policy, the closed cycles, one tally
        cards = department_scorecards(departments=Department.values)
    assert len(cards) == 6 and all(len(card.points) == count for card in cards)
    assert cards[0].latest.cell.percent_positive == 100 and cards[0].latest.target_met


@pytest.mark.parametrize("count", [1, 20])
def test_the_cycles_list_takes_one_query(django_assert_num_queries, count):
    _closed_cycles(count, admin_user())
    with django_assert_num_queries(1):
        cycles = list(survey_cycles_list())
    assert len(cycles) == count and cycles[0].item_count == 1 and cycles[0].answer_count == 0
    assert [c.opens_on for c in cycles] == sorted((c.opens_on for c in cycles), reverse=True)  # newest first


def test_a_suppressed_cycle_is_a_gap_in_the_scorecard_not_a_zero():
    admin = admin_user()
    cycles = _closed_cycles(2, admin)
    SurveyResponse.objects.filter(
        Q(cycle=cycles[0]), pk__in=SurveyResponse.objects.filter(cycle=cycles[0]).values("pk")[:1]
    ).delete()
    card = department_scorecards(departments=["finance"])[0]
    assert [p.cell.shown for p in card.points] == [False, True]
    assert card.points[0].target_met is None and card.points[0].cell.percent_positive is None
