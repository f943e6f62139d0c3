"""Use for people, time and program autonomies, against a hand count: the staffing model from the
budget plans' positions, the others from a measure the district imports as a metric, and the page saying
plainly what is not measured."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgeting.models import BudgetPlan, PlanStatus, Position
from impact.selectors.use import NO_PLAN, NOT_USED, TOO_EARLY, USED, staffing_moved, use_table
from impact.selectors.years import start_year_of
from metrics.models import Metric, Observation
from schools.models import Role
from schools.periods import school_year_label
from tests.budgeting.plan_builders import allocation_set, budget_reference, school_allocation
from tests.factories import SchoolFactory, SchoolYearFactory
from tests.impact.builders import granted

pytestmark = pytest.mark.django_db
THIS_YEAR = start_year_of(timezone.localdate())


def _year(start: int):
    return SchoolYearFactory(
        label=school_year_label(start),
        start_date=datetime.date(start, 7, 1),
        end_date=datetime.date(start + 1, 6, 30),
        first_day=datetime.date(start, 8, 20),
    )


def _plan(school, year, jobs: dict, *, status=PlanStatus.SUBMITTED, mandated=None):
    """A plan as the school put it forward: FTE by job type (and the district's mandated posts)."""
    reference = budget_reference()
    allocation = school_allocation(school, sets=allocation_set(year=year))
    plan = BudgetPlan.objects.create(school=school, school_year=year, allocation=allocation, status=status)
    for code, fte in {**jobs, **(mandated or {})}.items():
        job, left = reference["jobs"][code], Decimal(fte)
        while left > 0:  # a position is at most one full-time post
            part = min(left, Decimal(1))
            Position.objects.create(
                plan=plan, job_type=job, fte=part, cost=job.average_salary * part, mandated=code in (mandated or {})
            )
            left -= part
    return plan


def test_fte_moved_by_hand():
    assert (
        staffing_moved({"Teacher": Decimal(10)}, {"Teacher": Decimal(9), "Coach": Decimal(1)}) == 1
    )  # one post turned
    assert staffing_moved({"Teacher": Decimal(10)}, {"Teacher": Decimal(11)}) == 1  # one post added
    assert staffing_moved({"Teacher": Decimal(10)}, {"Teacher": Decimal(10)}) == 0


def test_the_staffing_model_is_judged_from_the_plans_positions_as_counted_by_hand():
    before, held = _year(THIS_YEAR - 2), _year(THIS_YEAR - 1)
    changed, same, planless, draft_only = (SchoolFactory() for _ in range(4))
    for school in (changed, same, planless, draft_only):
        granted(school, "people.staffing_model", starts_on=held.start_date)
    _plan(changed, before, {"teacher": "10"}, mandated={"principal": "1"})
    _plan(changed, held, {"teacher": "9", "coach": "1"}, mandated={"principal": "1"})  # 1 FTE moved: used
    _plan(same, before, {"teacher": "10"})
    _plan(same, held, {"teacher": "10.25"}, mandated={"principal": "1"})  # 0.25 FTE chosen; mandated posts don't count
    _plan(draft_only, held, {"teacher": "8"}, status=PlanStatus.DRAFT)  # a draft is no plan put forward

    row = next(r for r in use_table() if r.autonomy.code == "people.staffing_model")
    assert row.measured and "budget plan" in row.measure
    verdicts = {g.grant.school_id: g for g in row.grants}
    assert verdicts[changed.pk].verdict == USED and verdicts[changed.pk].held_words == "1 FTE moved"
    assert verdicts[changed.pk].before_words == "10 FTE"
    assert verdicts[same.pk].verdict == NOT_USED and verdicts[same.pk].best_held == Decimal("0.25")
    assert verdicts[planless.pk].verdict == NO_PLAN and verdicts[draft_only.pk].verdict == NO_PLAN
    assert (row.used_count, len(row.findings)) == (1, 3)


def test_an_imported_measure_judges_its_autonomy_in_its_direction_as_counted_by_hand():
    minutes = Metric.objects.create(
        code="learning_minutes", name="Learning minutes a week", unit="count", direction="higher", category="academic"
    )
    placements = Metric.objects.create(
        code="forced_placements", name="Forced placements", unit="count", direction="lower", category="people"
    )
    held = datetime.date(THIS_YEAR - 1, 8, 1)
    longer, shorter, unplaced, placed = (SchoolFactory() for _ in range(4))
    for school in (longer, shorter):
        granted(school, "time.learning_time", starts_on=held)
    for school in (unplaced, placed):
        granted(school, "people.hiring", starts_on=held)
    fresh = SchoolFactory()
    granted(fresh, "time.learning_time", starts_on=timezone.localdate())

    def value(school, metric, start, v):
        Observation.objects.create(school=school, metric=metric, period=school_year_label(start), value=Decimal(v))

    value(longer, minutes, THIS_YEAR - 2, "1800")
    value(longer, minutes, THIS_YEAR - 1, "1830")  # +30 minutes: used
    value(shorter, minutes, THIS_YEAR - 2, "1800")
    value(shorter, minutes, THIS_YEAR - 1, "1829")  # +29: not used
    value(unplaced, placements, THIS_YEAR - 2, "3")
    value(unplaced, placements, THIS_YEAR - 1, "1")  # fewer placements by the district: used
    value(placed, placements, THIS_YEAR - 2, "3")
    value(placed, placements, THIS_YEAR - 1, "4")  # more: not used

    table = {row.autonomy.code: row for row in use_table()}
    time = {g.grant.school_id: g.verdict for g in table["time.learning_time"].grants}
    assert time == {longer.pk: USED, shorter.pk: NOT_USED, fresh.pk: TOO_EARLY}
    people = {g.grant.school_id: g.verdict for g in table["people.hiring"].grants}
    assert people == {unplaced.pk: USED, placed.pk: NOT_USED}
    assert (
        table["people.hiring"].measure
        == "Forced placements: staff placed at the school by the district rather than chosen by it"
    )


def test_the_page_says_plainly_what_is_not_measured(client_for, make_member):
    page = client_for(make_member(Role.ADMIN)).get(reverse("impact:use")).content.decode()
    assert "Not measured: the portal holds no record of minutes of learning in a school week." in page
    assert "Importing it as the metric “learning_minutes” would measure it." in page
    assert "Run teacher evaluation and coaching</th>" in page
    assert "The portal holds no record that shows it in use." in page  # people.evaluation: no measure at all
    assert "The positions of the school&#x27;s budget plan it chose (not mandated)" in page
    rows = {r.autonomy.code: r for r in use_table()}
    assert not rows["time.schedule"].measured and not rows["program.curriculum"].measured
