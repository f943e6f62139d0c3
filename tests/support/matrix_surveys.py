"""The surveys pages in the authorization matrix: {url name: Page} in the vocabulary of tests/matrix_kit.py.

The world gains, on first use, a draft, an open and a closed cycle (the closed one answered by both
schools' principals) and makes its finance reviewer a member of the finance department's staff: the
office runs cycles; the school's principal answers on their own school's page; results go to the office,
the board, principals and the department's staff; a scorecard to the office, the board and the staff.
"""

import datetime

from django.utils import timezone

from schools.models import Role, SchoolYear
from support.models import DepartmentStaff
from support.services.survey_answers import survey_answer_submit
from support.services.surveys import survey_cycle_close, survey_cycle_create, survey_cycle_open
from tests.matrix_kit import ADMIN_ONLY, Page, login_or
from tests.support.surveys_world import every_answer


def survey_world(world: dict) -> dict:
    if "surveys" in world:
        return world["surveys"]
    admin, year = world["users"][Role.ADMIN], SchoolYear.objects.order_by("start_date").first()
    today = timezone.localdate()
    DepartmentStaff.objects.get_or_create(user=world["users"][Role.REVIEWER], department="finance")

    def cycle(term):
        window = {"opens_on": today - datetime.timedelta(days=3), "closes_on": today + datetime.timedelta(days=10)}
        return survey_cycle_create(actor=admin, school_year=year, term=term, **window)

    draft, running, closed = cycle("Summer"), cycle("Fall"), cycle("Spring")
    survey_cycle_open(actor=admin, cycle_id=running.pk)
    survey_cycle_open(actor=admin, cycle_id=closed.pk)
    principals = {True: world["users"][Role.PRINCIPAL]}
    principals[False] = world["other"].memberships.get(role=Role.PRINCIPAL).user
    for own in (True, False):
        school = world["own" if own else "other"]
        survey_answer_submit(actor=principals[own], cycle=closed, school=school, answers=every_answer(closed))
    survey_cycle_close(actor=admin, cycle_id=closed.pk)
    world["surveys"] = {"draft": draft, "open": running, "closed": closed}
    return world["surveys"]


def cycle(state):
    def kwargs(world, own):
        return {"pk": survey_world(world)[state].pk}

    return kwargs


def nothing(world, own):
    survey_world(world)
    return {}


def answer_page(world, own):
    return {"pk": survey_world(world)["open"].pk, "code": world["own" if own else "other"].code}


def finance(world, own):
    survey_world(world)
    return {"department": "finance"}


READERS = login_or(others=404, principal=200, reviewer=200, viewer=200, admin=200)

PAGES = {
    "support:surveys": Page(READERS, kwargs=nothing),
    "support:survey_cycle_new": Page(ADMIN_ONLY),
    "support:survey_cycle": Page(ADMIN_ONLY, kwargs=cycle("draft")),
    "support:survey_cycle_edit": Page(ADMIN_ONLY, kwargs=cycle("draft")),
    "support:survey_cycle_open": Page(
        login_or(others=404, admin=302), kwargs=cycle("draft"), method="post", data={"expected_status": "draft"}
    ),
    "support:survey_cycle_close": Page(
        login_or(others=404, admin=302), kwargs=cycle("open"), method="post", data={"expected_status": "open"}
    ),
    "support:survey_answer": Page(login_or(others=404, principal=(200, 404)), kwargs=answer_page),
    "support:survey_results": Page(READERS, kwargs=cycle("closed")),
    "support:survey_results_csv": Page(READERS, kwargs=cycle("closed")),
    "support:survey_scorecard": Page(login_or(others=404, reviewer=200, viewer=200, admin=200), kwargs=finance),
}
