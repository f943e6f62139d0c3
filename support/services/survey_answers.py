"""A principal's answers to a service survey, kept without their name or their school.

Two rows are written in one transaction: the participation (who answered, for which school — so a second
answer is refused) and the response (the answers, with the school's network only). A principal answers
every statement for every department, or says "no experience" of it; a "no experience" is not stored, so
it weighs on no figure. Of two submissions racing for the same person or school, the database's unique
constraints let one win; the other is refused naming the cycle.
"""

import datetime
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import ApplicationError, Conflict
from core.policies import require
from schools.models import School
from support.models import (
    SCALE_MAX,
    SCALE_MIN,
    Department,
    SurveyAnswer,
    SurveyCycle,
    SurveyParticipation,
    SurveyResponse,
)
from support.policies.surveys import can_answer_survey
from support.services.surveys import SURVEY_STEPS

NO_EXPERIENCE = None  # what a "no experience" answer is, in the `answers` mapping


def _already(cycle: SurveyCycle) -> Conflict:
    return Conflict(
        gettext("The %(survey)s survey has already been answered for this school, or by you: it takes one answer each.")
        % {"survey": cycle},
        fields={
            "cycle": [
                gettext("The %(survey)s survey takes one answer per principal and per school.") % {"survey": cycle}
            ]
        },
    )


def _value_checked(value, field: str) -> int | None:
    if value is NO_EXPERIENCE:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not SCALE_MIN <= value <= SCALE_MAX:
        message = f"Choose a value from {SCALE_MIN} to {SCALE_MAX}, or no experience."
        raise ApplicationError(f"{field}: {message}", fields={field: [message]})
    return value


def survey_answers_checked(cycle: SurveyCycle, items: list, answers: Mapping) -> list[tuple[int, str, int]]:
    """(item id, department, value) of every answer to store; refused naming `answers[<department>][<n>]`
    (n, the statement's number) for a statement left unanswered or a value off the scale, and naming the
    key for a department or statement the survey does not ask about."""
    if not isinstance(answers, Mapping):
        raise ApplicationError(
            "Send the answers by department.", fields={"answers": ["Send the answers by department."]}
        )
    unknown = [str(key) for key in answers if key not in Department.values]
    if unknown:
        field = f"answers[{unknown[0]}]"
        raise ApplicationError(f"{field}: no such department.", fields={field: ["No such department."]})
    rows = []
    for department in Department.values:
        given = answers.get(department)
        if given is None:
            given = {}
        if not isinstance(given, Mapping):
            field = f"answers[{department}]"
            raise ApplicationError(f"{field}: answer by statement.", fields={field: ["Answer by statement number."]})
        given = {str(key): value for key, value in given.items()}
        positions = {str(item.position) for item in items}
        if extra := sorted(set(given) - positions):
            field = f"answers[{department}][{extra[0]}]"
            raise ApplicationError(f"{field}: no such statement.", fields={field: ["No such statement."]})
        for item in items:
            field = f"answers[{department}][{item.position}]"
            if str(item.position) not in given:
                message = "Choose an answer, or no experience."
                raise ApplicationError(f"{field}: {message}", fields={field: [message]})
            value = _value_checked(given[str(item.position)], field)
            if value is not None:
                rows.append((item.pk, department, value))
    if not rows:
        message = gettext("Rate at least one department: every answer was no experience.")
        raise ApplicationError(message, fields={"answers": [message]})
    return rows


def survey_answer_submit(
    *,
    actor: AbstractBaseUser,
    cycle: SurveyCycle,
    school: School,
    answers: Mapping,
    on: datetime.date | None = None,
) -> SurveyResponse:
    """The school's principal answers an open cycle, once; nothing is saved on any refusal.

    `on` is the day of the answer (today, unless a demo district is built on dates of its own)."""
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            cycle = SURVEY_STEPS.lock(cycle.pk)  # a cycle being closed waits for answers in flight, and back
            require(can_answer_survey(actor, cycle, school, today=on))
            if SurveyParticipation.objects.filter(cycle=cycle, user=actor).exists() or (
                SurveyParticipation.objects.filter(cycle=cycle, school=school).exists()
            ):
                raise _already(cycle)
            rows = survey_answers_checked(cycle, list(cycle.items.all()), answers)
            at = timezone.now() if on == timezone.localdate() else _noon(on)
            SurveyParticipation.objects.create(cycle=cycle, user=actor, school=school, at=at)
            response = SurveyResponse.objects.create(cycle=cycle, network_id=school.network_id, submitted_on=on)
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, item_id=item_id, department=department, value=value)
                for item_id, department, value in rows
            )
    except IntegrityError:  # a second submission committed first, for this person or this school
        raise _already(cycle) from None
    return response


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
