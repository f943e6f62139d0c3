"""The demo's service surveys: principals rated central office last year's Spring and this year's Fall,
through the same services as the pages, so the scorecards show a trend and the grades spread (finance an A,
data and assessment a D); special education was rated by only three principals of one network, so that
network's cell is suppressed, with its complement.

Runs after the budget scene. Both cycles are closed by the nightly job's own step, their closing dates
having passed.
"""

import datetime
import random

from django.utils import timezone

from demo.services.builder import DistrictBuilder
from schools.models import Membership, Role
from support.models import Department
from support.services.survey_answers import survey_answer_submit
from support.services.surveys import survey_cycle_create, survey_cycle_open, survey_cycles_close_due

# The chance that an answer agrees (4 or 5), per department: last year's Spring, then this year's Fall.
POSITIVE_CHANCE = {
    Department.FINANCE: (0.90, 0.95),  # A
    Department.HR: (0.70, 0.76),  # C
    Department.ACADEMICS: (0.82, 0.87),  # B
    Department.OPERATIONS: (0.62, 0.69),  # D, then D or C
    Department.SPECIAL_EDUCATION: (0.80, 0.84),  # B
    Department.DATA: (0.68, 0.62),  # D, falling
}
ANSWERING = 0.85  # the share of principals who answer a cycle
FEW_RATERS = 3  # principals of the last network who rate special education; the others had no dealings with it


def surveys_scene(district: DistrictBuilder, *, rng: random.Random) -> None:
    admin = district.staff["admin"]
    today = timezone.localdate()
    this_year, last_year = district.years[-1], district.years[-2]
    spring_opens = datetime.date(last_year.end_date.year, 4, 1)
    fall_closes = min(datetime.date(this_year.start_date.year, 10, 31), today - datetime.timedelta(days=1))
    cycles = [
        (last_year, "Spring", spring_opens, spring_opens + datetime.timedelta(days=20), 0),
        (this_year, "Fall", fall_closes - datetime.timedelta(days=20), fall_closes, 1),
    ]
    principals = _principals(district)
    few_network = district.schools[-1].network_id
    for year, term, opens_on, closes_on, index in cycles:
        cycle = survey_cycle_create(actor=admin, school_year=year, term=term, opens_on=opens_on, closes_on=closes_on)
        survey_cycle_open(actor=admin, cycle_id=cycle.pk)
        positions = list(cycle.items.values_list("position", flat=True))
        raters = 0
        for school in district.schools:
            if rng.random() > ANSWERING or school.pk not in principals:
                continue
            answers = {
                department: {p: _value(rng, chance[index]) for p in positions}
                for department, chance in POSITIVE_CHANCE.items()
            }
            if school.network_id == few_network:
                raters += 1
                if raters > FEW_RATERS:
                    answers[Department.SPECIAL_EDUCATION] = dict.fromkeys(positions)  # no experience
            day = opens_on + datetime.timedelta(days=rng.randint(0, (closes_on - opens_on).days))
            survey_answer_submit(actor=principals[school.pk], cycle=cycle, school=school, answers=answers, on=day)
    survey_cycles_close_due(today=today)


def _principals(district: DistrictBuilder) -> dict:
    rows = Membership.objects.filter(role=Role.PRINCIPAL, school__in=district.schools).select_related("user")
    return {row.school_id: row.user for row in rows}


def _value(rng: random.Random, chance: float) -> int:
    """An agreeing answer (4 or 5) with the department's chance, else a 1, 2 or 3, mostly 3."""
    if rng.random() < chance:
        return 5 if rng.random() < 0.45 else 4
    return rng.choices([1, 2, 3], [1, 3, 6])[0]
