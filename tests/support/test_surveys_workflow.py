"""SURVEY_WORKFLOW walked row by row: each step from its state, by its actor, and refused from every other
state; the nightly job's step is never a person's, and a person's never the nightly job's."""

import datetime

import pytest

from core.errors import Conflict, NotPermitted
from core.workflows import Actor
from support.models import SurveyStatus
from support.services.surveys import SURVEY_STEPS, survey_cycle_create
from support.workflows import SURVEY_WORKFLOW
from tests.factories import SchoolYearFactory
from tests.support.surveys_world import admin_user, networks_with

pytestmark = pytest.mark.django_db


def _cycle_in(status, admin):
    cycle = survey_cycle_create(
        actor=admin,
        school_year=SchoolYearFactory(),
        term=f"Term {status}",
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 9, 30),
    )
    type(cycle).objects.filter(pk=cycle.pk).update(status=status)
    return cycle


def test_the_table_is_as_the_design_says():
    assert [(t.source, t.action, t.target, t.who) for t in SURVEY_WORKFLOW.transitions] == [
        (SurveyStatus.DRAFT, "open", SurveyStatus.OPEN, Actor.ADMIN),
        (SurveyStatus.OPEN, "close", SurveyStatus.CLOSED, Actor.ADMIN),
        (SurveyStatus.OPEN, "close_on_date", SurveyStatus.CLOSED, Actor.SYSTEM),
    ]
    assert SURVEY_WORKFLOW.person_actions == ["open", "close"]


@pytest.mark.parametrize("transition", SURVEY_WORKFLOW.transitions, ids=lambda t: f"{t.source}-{t.action}")
def test_each_step_moves_its_state_and_records_an_event(transition):
    admin = admin_user()
    cycle = _cycle_in(transition.source, admin)
    actor = None if transition.who == Actor.SYSTEM else admin
    moved, event = SURVEY_STEPS.apply(pk=cycle.pk, actor=actor, action=transition.action)
    assert moved.status == transition.target
    assert (event.from_status, event.to_status, event.actor) == (transition.source, transition.target, actor)


@pytest.mark.parametrize("transition", SURVEY_WORKFLOW.transitions, ids=lambda t: f"{t.source}-{t.action}")
def test_each_step_is_refused_from_every_other_state(transition):
    admin = admin_user()
    actor = None if transition.who == Actor.SYSTEM else admin
    for status in SURVEY_WORKFLOW.states():
        if status == transition.source:
            continue
        cycle = _cycle_in(status, admin)
        with pytest.raises(Conflict):
            SURVEY_STEPS.apply(pk=cycle.pk, actor=actor, action=transition.action)
        cycle.refresh_from_db()
        assert cycle.status == status
        cycle.delete()


@pytest.mark.parametrize("transition", SURVEY_WORKFLOW.transitions, ids=lambda t: f"{t.source}-{t.action}")
def test_each_step_is_refused_to_anyone_else(transition):
    admin = admin_user()
    ((_, principal),) = networks_with(1)[1]
    cycle = _cycle_in(transition.source, admin)
    others = [principal] if transition.who == Actor.ADMIN else [principal, admin]
    if transition.who == Actor.ADMIN:
        others.append(None)  # the nightly job never opens or closes by hand
    for actor in others:
        with pytest.raises(NotPermitted):
            SURVEY_STEPS.apply(pk=cycle.pk, actor=actor, action=transition.action)
    cycle.refresh_from_db()
    assert cycle.status == transition.source
