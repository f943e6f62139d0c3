"""The survey services: cycles created with the default statements, edited only as drafts, opened and
closed through the workflow; a principal's answer checked whole (nothing saved on any refusal), once per
person and per school, and kept without the person or the school."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from core.errors import ApplicationError, Conflict, NotPermitted
from core.models import Notification
from schools.models import Role
from support.models import (
    SurveyAnswer,
    SurveyCycle,
    SurveyParticipation,
    SurveyResponse,
    SurveyStatus,
)
from support.services import survey_answers
from support.services.survey_answers import survey_answer_submit
from support.services.surveys import (
    DEFAULT_ITEMS,
    survey_cycle_close,
    survey_cycle_create,
    survey_cycle_edit,
    survey_cycle_open,
    survey_cycles_close_due,
)
from tests.factories import MembershipFactory, SchoolYearFactory
from tests.support.surveys_world import admin_user, every_answer, networks_with, open_cycle

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def admin():
    return admin_user()


def _draft(admin, **options):
    values = {"school_year": SchoolYearFactory(), "term": "Fall", "opens_on": TODAY, "closes_on": TODAY}
    return survey_cycle_create(actor=admin, **(values | options))


def test_a_cycle_starts_as_a_draft_with_the_three_default_statements(admin):
    cycle = _draft(admin)
    assert cycle.status == SurveyStatus.DRAFT
    assert list(cycle.items.values_list("text", flat=True)) == list(DEFAULT_ITEMS)
    assert cycle.events.get().action == "create"


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"term": "  "}, "term"),
        ({"closes_on": TODAY - datetime.timedelta(days=1)}, "closes_on"),
        ({"items": ["", ""]}, "items[1]"),
        ({"items": ["Fine.", "x" * 301]}, "items[2]"),
        ({"items": [f"Statement {n}" for n in range(7)]}, "items"),
    ],
)
def test_a_bad_cycle_is_refused_naming_the_field_and_nothing_saved(admin, options, field):
    with pytest.raises(ApplicationError) as refused:
        _draft(admin, **options)
    assert field in refused.value.fields
    assert not SurveyCycle.objects.exists()


def test_the_same_term_twice_is_refused_naming_the_term(admin):
    _draft(admin)
    with pytest.raises(ApplicationError) as refused:
        _draft(admin, term="fall")
    assert "term" in refused.value.fields
    assert SurveyCycle.objects.count() == 1


def test_only_the_autonomy_office_creates_a_cycle(admin):
    ((_, principal),) = networks_with(1)[1]
    with pytest.raises(NotPermitted):
        _draft(principal)
    assert not SurveyCycle.objects.exists()


def test_a_draft_is_edited_but_an_open_cycle_keeps_its_statements(admin):
    cycle = _draft(admin)
    survey_cycle_edit(actor=admin, cycle_id=cycle.pk, opens_on=TODAY, closes_on=TODAY, items=["One.", "", "Two."])
    assert list(cycle.items.values_list("position", "text")) == [(1, "One."), (2, "Two.")]
    survey_cycle_open(actor=admin, cycle_id=cycle.pk)
    with pytest.raises(Conflict):
        survey_cycle_edit(actor=admin, cycle_id=cycle.pk, opens_on=TODAY, closes_on=TODAY, items=["Other."])
    assert list(cycle.items.values_list("text", flat=True)) == ["One.", "Two."]


def test_opening_tells_every_principal(admin):
    _, pairs = networks_with(2)
    cycle = _draft(admin)
    survey_cycle_open(actor=admin, cycle_id=cycle.pk)
    assert set(Notification.objects.values_list("user_id", flat=True)) == {p.pk for _, p in pairs}


def test_closing_due_cycles_is_idempotent(admin):
    cycle = open_cycle(admin)
    assert survey_cycles_close_due(today=cycle.closes_on) == 0  # its last day: still open
    assert survey_cycles_close_due(today=cycle.closes_on + datetime.timedelta(days=1)) == 1
    events = cycle.events.count()
    assert survey_cycles_close_due(today=cycle.closes_on + datetime.timedelta(days=1)) == 0
    cycle.refresh_from_db()
    assert cycle.status == SurveyStatus.CLOSED
    assert cycle.events.count() == events
    assert cycle.events.last().actor is None and cycle.events.last().action == "close_on_date"


# --- answers ----------------------------------------------------------------------------------------


@pytest.fixture
def answering(admin):
    _, pairs = networks_with(2)
    return open_cycle(admin), pairs


def _nothing_saved():
    return not (
        SurveyParticipation.objects.exists() or SurveyResponse.objects.exists() or SurveyAnswer.objects.exists()
    )


def test_an_answer_is_kept_without_the_person_or_the_school(answering):
    cycle, [(school, principal), _] = answering
    answers = every_answer(cycle, 5, finance=2, data=None)
    response = survey_answer_submit(actor=principal, cycle=cycle, school=school, answers=answers)
    assert response.network_id == school.network_id
    assert {f.name for f in SurveyResponse._meta.concrete_fields} == {"id", "cycle", "network", "submitted_on"}
    assert SurveyParticipation.objects.filter(cycle=cycle, user=principal, school=school).exists()
    stored = list(response.answers.values_list("department", "value"))
    assert ("finance", 2) in stored and all(d != "data" for d, _ in stored)  # no experience: not stored
    assert len(stored) == 5 * 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda a: a["finance"].update({2: 6}), "answers[finance][2]"),
        (lambda a: a["finance"].update({2: 0}), "answers[finance][2]"),
        (lambda a: a["hr"].update({1: "4"}), "answers[hr][1]"),
        (lambda a: a["hr"].update({1: True}), "answers[hr][1]"),
        (lambda a: a["academics"].pop(3), "answers[academics][3]"),
        (lambda a: a.pop("operations"), "answers[operations][1]"),
        (lambda a: a.update({"catering": {1: 4}}), "answers[catering]"),
        (lambda a: a["data"].update({9: 4}), "answers[data][9]"),
        (lambda a: a.update(dict.fromkeys(a, {1: None, 2: None, 3: None})), "answers"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_field_and_nothing_saved(answering, change, field):
    cycle, [(school, principal), _] = answering
    answers = every_answer(cycle)
    change(answers)
    with pytest.raises(ApplicationError) as refused:
        survey_answer_submit(actor=principal, cycle=cycle, school=school, answers=answers)
    assert field in refused.value.fields
    assert _nothing_saved()


def test_a_second_answer_is_refused_naming_the_cycle(answering):
    cycle, [(school, principal), _] = answering
    survey_answer_submit(actor=principal, cycle=cycle, school=school, answers=every_answer(cycle))
    with pytest.raises(Conflict) as refused:
        survey_answer_submit(actor=principal, cycle=cycle, school=school, answers=every_answer(cycle))
    assert str(cycle) in refused.value.message
    assert SurveyResponse.objects.count() == 1


def test_a_principal_of_two_schools_answers_once(answering):
    """One answer per person too: a principal leading two schools is one voice, not two."""
    cycle, [(school, principal), _] = answering
    second = networks_with(0)[0][0].schools.create(code="SECOND", name="Second School")
    MembershipFactory(role=Role.PRINCIPAL, school=second, user=principal)
    survey_answer_submit(actor=principal, cycle=cycle, school=school, answers=every_answer(cycle))
    with pytest.raises(Conflict):
        survey_answer_submit(actor=principal, cycle=cycle, school=second, answers=every_answer(cycle))
    assert SurveyResponse.objects.count() == 1


def test_of_two_racing_answers_one_wins_and_the_other_is_refused(answering, monkeypatch):
    """The second passed the check before the first committed: the unique constraint refuses it."""
    cycle, [(school, principal), _] = answering
    survey_answer_submit(actor=principal, cycle=cycle, school=school, answers=every_answer(cycle))
    monkeypatch.setattr(survey_answers.SurveyParticipation.objects, "filter", _never_found)
    with pytest.raises(Conflict) as refused:
        survey_answer_submit(actor=principal, cycle=cycle, school=school, answers=every_answer(cycle))
    assert str(cycle) in refused.value.message
    assert SurveyResponse.objects.count() == 1 and SurveyAnswer.objects.count() == 18


class _Nothing:
    def exists(self):
        return False


def _never_found(*args, **kwargs):
    return _Nothing()


def test_the_constraint_itself_holds_one_participation_per_school(answering):
    cycle, [(school, principal), _] = answering
    SurveyParticipation.objects.create(cycle=cycle, user=principal, school=school, at=timezone.now())
    with pytest.raises(IntegrityError):
        SurveyParticipation.objects.create(
            cycle=cycle,
            user=MembershipFactory(role=Role.PRINCIPAL, school=school).user,
            school=school,
            at=timezone.now(),
        )


def test_only_the_schools_principal_answers(answering):
    cycle, [(school, _), (_, other_principal)] = answering
    team = MembershipFactory(role=Role.SCHOOL_TEAM, school=school).user
    for user in (other_principal, team, admin_user()):
        with pytest.raises(NotPermitted):
            survey_answer_submit(actor=user, cycle=cycle, school=school, answers=every_answer(cycle))
    assert _nothing_saved()


def test_answers_only_while_open_and_within_its_dates(admin, answering):
    cycle, [(school, principal), _] = answering
    with pytest.raises(Conflict):
        survey_answer_submit(
            actor=principal,
            cycle=cycle,
            school=school,
            answers=every_answer(cycle),
            on=cycle.closes_on + datetime.timedelta(days=1),
        )
    with pytest.raises(Conflict):
        survey_answer_submit(
            actor=principal,
            cycle=cycle,
            school=school,
            answers=every_answer(cycle),
            on=cycle.opens_on - datetime.timedelta(days=1),
        )
    survey_cycle_close(actor=admin, cycle_id=cycle.pk)
    with pytest.raises(Conflict):
        survey_answer_submit(actor=principal, cycle=cycle, school=school, answers=every_answer(cycle))
    assert _nothing_saved()
