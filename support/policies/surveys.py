"""Who may do what with the service surveys: one place, asked by the pages, the API and the services.

The autonomy office runs the cycles (creates, edits a draft, opens, closes). A school's principal answers
for their school while a cycle is open and within its dates. Results, always at the suppressed level
(support.survey_results), are read once a cycle has closed:

- the autonomy office and the board (viewers) read every department: they hold central office to account;
- a department's staff read their own department's results and scorecard, not their peers';
- principals read the district-wide summary (every department, never split finer than the suppression
  allows): they gave the answers, and the survey is only worth their time if they see what came of it.

Anyone else (school team, liaisons, reviewers outside a department) is answered 404, as for any page
that is not theirs.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.policies import ALLOW, Decision, conflict, deny
from core.workflows import Actor
from schools.models import Role, School
from schools.policies import acts_at_school_as, autonomy_office, roles_of
from support.models import Department, SurveyCycle, SurveyStatus
from support.policies.staff import departments_of

ALL_DEPARTMENTS = tuple(Department.values)


def survey_acts_as(user: AbstractBaseUser, cycle: SurveyCycle, who: Actor) -> Decision:
    """The kernel's question for SURVEY_WORKFLOW: only the autonomy office opens and closes a cycle by hand."""
    if who == Actor.ADMIN:
        return autonomy_office(user, "Only the autonomy office runs the service surveys.")
    return deny("Nobody may do this by hand.")


def can_manage_surveys(user: AbstractBaseUser) -> Decision:
    """Create cycles, edit a draft's items and dates, open and close: the autonomy office."""
    return autonomy_office(user, "Only the autonomy office runs the service surveys.")


def can_answer_survey(user: AbstractBaseUser, cycle: SurveyCycle, school: School, *, today: datetime.date) -> Decision:
    """The school's principal (else 403), while the cycle is open and `today` is within its dates (else 409)."""
    if not acts_at_school_as(user, school_id=school.pk, who=Actor.PRINCIPAL):
        return deny("Only the school's principal answers the survey for the school.")
    if cycle.status != SurveyStatus.OPEN:
        return conflict(
            _("The %(survey)s survey is %(status)s: it takes no answers now.")
            % {"survey": cycle, "status": str(cycle.get_status_display()).lower()}
        )
    if today < cycle.opens_on:
        return conflict(
            _("The %(survey)s survey opens on %(date)s.")
            % {"survey": cycle, "date": date_format(cycle.opens_on, _("F j, Y"))}
        )
    if today > cycle.closes_on:
        return conflict(
            _("The %(survey)s survey closed on %(date)s.")
            % {"survey": cycle, "date": date_format(cycle.closes_on, _("F j, Y"))}
        )
    return ALLOW


def survey_departments_visible_to(user: AbstractBaseUser) -> tuple[str, ...]:
    """The departments whose results the user reads (see the module's docstring); empty: none."""
    roles = roles_of(user)
    if roles.is_admin or Role.VIEWER in roles.district or roles.principal_of:
        return ALL_DEPARTMENTS
    staff = departments_of(user)
    return tuple(d for d in ALL_DEPARTMENTS if d in staff)


def can_view_surveys(user: AbstractBaseUser) -> Decision:
    """The surveys' landing page: whoever runs, answers or reads them."""
    if survey_departments_visible_to(user):
        return ALLOW
    return deny("The service surveys are for principals, central-office departments and the autonomy office.")


def can_view_survey_results(user: AbstractBaseUser, cycle: SurveyCycle) -> Decision:
    """Results of a closed cycle for whoever reads a department; a cycle still running shows none yet."""
    if not survey_departments_visible_to(user):
        return deny("These results are not for you.")
    if cycle.status != SurveyStatus.CLOSED:
        return conflict(
            _("The %(survey)s survey is %(status)s: results come when it closes.")
            % {"survey": cycle, "status": str(cycle.get_status_display()).lower()}
        )
    return ALLOW


def can_view_scorecard(user: AbstractBaseUser, department: str) -> Decision:
    """A department's scorecard: its own staff, the autonomy office and the board. Principals read the
    district-wide results page instead: a scorecard is the department's account of itself to the district."""
    roles = roles_of(user)
    if roles.is_admin or Role.VIEWER in roles.district or department in departments_of(user):
        return ALLOW
    return deny("A department's scorecard is for its staff, the autonomy office and the board.")


def scorecard_departments_visible_to(user: AbstractBaseUser) -> tuple[str, ...]:
    return tuple(d for d in ALL_DEPARTMENTS if can_view_scorecard(user, d))
