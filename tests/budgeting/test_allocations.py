"""Computing a year's allocations: set-based, exact to the cent, replaced while unreleased, never after."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgeting.models import AllocationLine, AllocationSet, FormulaStatus, LineKind, SchoolAllocation, SetKind
from budgeting.policies import can_manage_budgeting
from budgeting.services.allocations import allocation_set_compute, allocation_set_release
from core.errors import ApplicationError, Conflict, NotPermitted
from schools.models import Role
from tests.budgeting import allocation_builders as build

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(make_member):
    return make_member(Role.REVIEWER, function="finance")


def _queries_to_compute(finance, schools: int) -> int:
    formula, snapshot, _ = build.district(schools=schools, school_year=build.year(f"{2030 + schools}-{31 + schools}"))
    can_manage_budgeting(finance)  # who the actor is, read once and cached, as on any page
    with CaptureQueriesContext(connection) as captured:
        allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    assert SchoolAllocation.objects.filter(allocation_set__formula=formula).count() == schools
    return len(captured)


def test_the_same_number_of_queries_for_3_and_for_30_schools(finance):
    assert _queries_to_compute(finance, 3) == _queries_to_compute(finance, 30)


def test_a_middle_school_of_412_students_gets_the_hand_computed_figure(finance):
    formula, snapshot, schools = build.district(schools=1)
    allocation_set = allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    allocation = SchoolAllocation.objects.get(allocation_set=allocation_set, school=schools[0])
    assert allocation.students == 412
    assert allocation.final_amount == build.MIDDLE_412
    assert allocation.per_pupil == (build.MIDDLE_412 / 412).quantize(Decimal("0.01"))
    grade = AllocationLine.objects.get(allocation=allocation, kind=LineKind.WEIGHT, category__code="g68")
    assert (grade.basis, grade.weight, grade.per_capita, grade.amount) == (
        Decimal("412"),
        Decimal("1.08"),
        Decimal("4411.58"),
        Decimal("1817570.96"),
    )
    assert allocation_set.total == build.MIDDLE_412


def test_stored_lines_add_to_each_final_exactly(finance):
    formula, snapshot, schools = build.district(schools=4)
    allocation_set = allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    allocations = list(SchoolAllocation.objects.filter(allocation_set=allocation_set).prefetch_related("lines"))
    assert len(allocations) == 4
    for allocation in allocations:
        assert sum(line.amount for line in allocation.lines.all()) == allocation.final_amount
        assert [line.position for line in allocation.lines.all()] == list(range(1, len(allocation.lines.all()) + 1))
    assert sum(a.final_amount for a in allocations) == allocation_set.total


def test_recomputing_an_unreleased_set_replaces_it(finance):
    formula, snapshot, schools = build.district(schools=2)
    first = allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    snapshot.counts.filter(school=schools[0], category__code="poverty").update(students=300)
    second = allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    assert second.pk == first.pk
    assert AllocationSet.objects.count() == 1
    assert SchoolAllocation.objects.filter(allocation_set=second).count() == 2
    changed = SchoolAllocation.objects.get(allocation_set=second, school=schools[0])
    assert changed.final_amount == build.MIDDLE_412 + 100 * Decimal("490.18")
    assert second.total == sum(a.final_amount for a in SchoolAllocation.objects.filter(allocation_set=second))


def test_recomputing_a_released_set_is_refused_and_changes_nothing(finance):
    formula, snapshot, schools = build.district(schools=2)
    allocation_set = allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    allocation_set_release(actor=finance, allocation_set=allocation_set, released_on=datetime.date(2026, 3, 2))
    before = list(SchoolAllocation.objects.values_list("pk", "final_amount"))
    snapshot.counts.filter(school=schools[0], category__code="poverty").update(students=300)
    with pytest.raises(Conflict, match="released"):
        allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    assert list(SchoolAllocation.objects.values_list("pk", "final_amount")) == before


def test_a_draft_formula_is_refused_naming_the_formula(finance):
    formula, snapshot, _ = build.district(schools=1)
    formula.status = FormulaStatus.DRAFT
    formula.save()
    with pytest.raises(ApplicationError) as refused:
        allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    assert "formula" in refused.value.fields
    assert not AllocationSet.objects.exists()


def test_a_true_up_needs_an_official_count(finance):
    formula, snapshot, _ = build.district(schools=1)
    with pytest.raises(ApplicationError) as refused:
        allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot, kind=SetKind.TRUE_UP)
    assert "snapshot" in refused.value.fields


def test_only_finance_computes(make_member, school):
    formula, snapshot, _ = build.district(schools=1)
    principal = make_member(Role.PRINCIPAL, school=school)
    hr = make_member(Role.REVIEWER, function="hr")
    for user in (principal, hr):
        with pytest.raises(NotPermitted):
            allocation_set_compute(actor=user, formula=formula, snapshot=snapshot)
    assert not AllocationSet.objects.exists()


def test_last_years_final_is_read_from_the_last_released_set_of_the_year_before(finance):
    last_year = build.year("2025-26")
    old_formula, old_snapshot, schools = build.district(schools=2, school_year=last_year)
    old_set = allocation_set_compute(actor=finance, formula=old_formula, snapshot=old_snapshot)
    allocation_set_release(actor=finance, allocation_set=old_set, released_on=datetime.date(2025, 3, 2))
    this_year = build.year("2026-27")
    formula = build.published_formula(school_year=this_year)
    snapshot = build.snapshot(school_year=this_year, counts={schools[0]: {"g68": 412, "poverty": 200}})
    allocation_set = allocation_set_compute(actor=finance, formula=formula, snapshot=snapshot)
    allocation = SchoolAllocation.objects.get(allocation_set=allocation_set)
    assert (
        allocation.previous_amount
        == SchoolAllocation.objects.get(allocation_set=old_set, school=schools[0]).final_amount
    )


def test_a_stop_loss_is_a_line_and_the_lines_still_add_to_the_final(finance):
    last_year = build.year("2025-26")
    old_formula, old_snapshot, schools = build.district(schools=2, school_year=last_year)
    old_set = allocation_set_compute(actor=finance, formula=old_formula, snapshot=old_snapshot)
    allocation_set_release(actor=finance, allocation_set=old_set, released_on=datetime.date(2025, 3, 2))
    this_year = build.year("2026-27")
    formula = build.published_formula(school_year=this_year)
    formula.transition_mode, formula.stop_loss_share = "stop_loss", Decimal("0.02")
    formula.save()
    # the first school loses 112 students; the second keeps its 422
    counts = {schools[0]: {"g68": 300, "poverty": 200}, schools[1]: {"g68": 422, "poverty": 200}}
    allocation_set = allocation_set_compute(
        actor=finance, formula=formula, snapshot=build.snapshot(school_year=this_year, counts=counts)
    )
    shrinking = SchoolAllocation.objects.get(allocation_set=allocation_set, school=schools[0])
    assert shrinking.final_amount == (build.MIDDLE_412 * Decimal("0.98")).quantize(Decimal("0.01"))
    transition = shrinking.lines.get(kind=LineKind.TRANSITION)
    assert transition.amount == shrinking.transition_adjustment > 0
    for allocation in SchoolAllocation.objects.filter(allocation_set=allocation_set).prefetch_related("lines"):
        assert sum(line.amount for line in allocation.lines.all()) == allocation.final_amount
