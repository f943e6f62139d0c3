"""Who may do what with the surveys, role by role and state by state: the office runs the cycles; a
school's principal answers its open cycle; results of a closed cycle go to the office, the board, principals
and (their own department only) a department's staff; scorecards to the office, the board and the staff."""

import datetime

import pytest

from schools.models import Role
from support.models import Department, DepartmentStaff, SurveyCycle, SurveyStatus
from support.policies.surveys import (
    can_answer_survey,
    can_manage_surveys,
    can_view_scorecard,
    can_view_survey_results,
    survey_departments_visible_to,
)
from tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory, UserFactory

pytestmark = pytest.mark.django_db
OPENS, CLOSES = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)


@pytest.fixture
def people():
    own, other = SchoolFactory(), SchoolFactory()
    staff = UserFactory()
    DepartmentStaff.objects.create(user=staff, department=Department.FINANCE)
    return {
        "own": own,
        "other": other,
        Role.PRINCIPAL: MembershipFactory(role=Role.PRINCIPAL, school=own).user,
        Role.SCHOOL_TEAM: MembershipFactory(role=Role.SCHOOL_TEAM, school=own).user,
        Role.LIAISON: MembershipFactory(role=Role.LIAISON).user,
        Role.REVIEWER: MembershipFactory(role=Role.REVIEWER, function="finance").user,
        Role.VIEWER: MembershipFactory(role=Role.VIEWER).user,
        Role.ADMIN: MembershipFactory(role=Role.ADMIN).user,
        "staff": staff,
        "none": UserFactory(),
    }


def _cycle(status):
    return SurveyCycle(school_year=SchoolYearFactory(), term="Fall", opens_on=OPENS, closes_on=CLOSES, status=status)


ROLES = [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER, Role.ADMIN, "staff", "none"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_manages(people, role):
    assert bool(can_manage_surveys(people[role])) == (role == Role.ADMIN)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", SurveyStatus.values)
@pytest.mark.parametrize("own", [True, False])
def test_only_the_schools_principal_answers_an_open_cycle(people, role, status, own):
    school = people["own" if own else "other"]
    decision = can_answer_survey(people[role], _cycle(status), school, today=OPENS)
    assert bool(decision) == (role == Role.PRINCIPAL and own and status == SurveyStatus.OPEN)
    if role == Role.PRINCIPAL and own and status != SurveyStatus.OPEN:
        assert decision.conflict


@pytest.mark.parametrize(
    ("today", "allowed"),
    [
        (OPENS - datetime.timedelta(days=1), False),
        (OPENS, True),
        (CLOSES, True),
        (CLOSES + datetime.timedelta(days=1), False),
    ],
)
def test_answers_only_within_the_dates(people, today, allowed):
    decision = can_answer_survey(people[Role.PRINCIPAL], _cycle(SurveyStatus.OPEN), people["own"], today=today)
    assert bool(decision) == allowed
    assert allowed or decision.conflict


EVERY = tuple(Department.values)
READS = {
    Role.PRINCIPAL: EVERY,
    Role.VIEWER: EVERY,
    Role.ADMIN: EVERY,
    "staff": ("finance",),
    Role.SCHOOL_TEAM: (),
    Role.LIAISON: (),
    Role.REVIEWER: (),
    "none": (),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", SurveyStatus.values)
def test_results_of_a_closed_cycle_by_role(people, role, status):
    assert survey_departments_visible_to(people[role]) == READS[role]
    decision = can_view_survey_results(people[role], _cycle(status))
    assert bool(decision) == (bool(READS[role]) and status == SurveyStatus.CLOSED)
    if READS[role] and status != SurveyStatus.CLOSED:
        assert decision.conflict  # seen once it closes, not before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("department", ["finance", "hr"])
def test_scorecards_by_role(people, role, department):
    expected = role in (Role.VIEWER, Role.ADMIN) or (role == "staff" and department == "finance")
    assert bool(can_view_scorecard(people[role], department)) == expected
