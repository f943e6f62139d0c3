"""The demo's surveys: two closed cycles answered by most principals through the services, grades spread
across departments, and special education's smallest network suppressed with its complement."""

import random

import pytest
from django.utils import timezone

from demo.services.builder import DistrictBuilder
from demo.services.support_survey_scenes import surveys_scene
from support.models import Department, SurveyCycle, SurveyParticipation, SurveyStatus
from support.selectors.surveys import department_scorecards, survey_results
from support.survey_results import COMPLEMENT_WORDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    builder = DistrictBuilder(rng=random.Random(7), school_count=40, year_count=3)
    builder.organisation()
    surveys_scene(builder, rng=random.Random(11))
    return builder


def test_two_closed_cycles_answered_by_most_principals(district):
    cycles = list(SurveyCycle.objects.order_by("opens_on"))
    assert [(c.term, c.status) for c in cycles] == [("Spring", SurveyStatus.CLOSED), ("Fall", SurveyStatus.CLOSED)]
    assert all(c.closes_on < timezone.localdate() for c in cycles)
    for cycle in cycles:
        assert 28 <= SurveyParticipation.objects.filter(cycle=cycle).count() < 40
        assert cycle.events.last().action == "close_on_date"


def test_grades_spread_and_the_scorecards_show_a_trend(district):
    cards = {card.department: card for card in department_scorecards(departments=Department.values)}
    latest = {d: card.latest.cell.grade for d, card in cards.items()}
    assert latest[Department.FINANCE] == "A"
    assert {"C", "D"} & set(latest.values())
    assert all(len(card.points) == 2 and all(p.cell.shown for p in card.points) for card in cards.values())


def test_special_education_is_suppressed_in_one_network(district):
    cycle = SurveyCycle.objects.get(term="Fall")
    results = survey_results(cycle=cycle, departments=[Department.SPECIAL_EDUCATION])
    cells = {n.name: n.cell for n in results.departments[0].networks}
    hidden = [name for name, c in cells.items() if c.hidden.startswith("Fewer than")]
    assert district.schools[-1].network.name in hidden
    assert any(c.hidden == COMPLEMENT_WORDS for c in cells.values())
