"""Whether central office kept its commitments, decided from the evidence the district holds: a delivery
the department records, the district calendar's date, the school's support requests. Pure in the date
(a second decision of the same date changes nothing), set-based (the same queries for 1 school and 20),
and the delivery step is the department's (or the autonomy office's) alone."""

import datetime

import pytest
from django.utils import timezone

from contracts.models import (
    CommitmentMeasure,
    CommitmentStatus,
    ContractCommitment,
    ContractTemplate,
    TemplateBenchmark,
)
from contracts.services.commitments_tracking import commitment_record_delivery, commitments_track
from core.errors import ApplicationError, Conflict, NotPermitted
from support.models import Department, DepartmentStaff, Milestone, MilestoneKind, SupportCategory, SupportRequest
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 1)


def _commitment(contract, **fields) -> ContractCommitment:
    """A commitment written as the editing service stores one (the contract is active, so no longer editable)."""
    values = {
        "key": f"c{ContractCommitment.objects.count() + 1}",
        "department": Department.FINANCE,
        "text": "Budget projections released",
        "measure": CommitmentMeasure.DELIVERED_BY,
        "due_on": DUE,
        **fields,
    }
    return ContractCommitment.objects.create(contract=contract, **values)


def _track(contract, as_of):
    rows, changed = commitments_track(as_of=as_of, contracts={contract.pk: contract})
    return {r.pk: r for r in rows}, changed


def test_a_delivery_by_a_date_is_open_then_missed_then_met_late(admin, active):
    row = _commitment(active)
    rows, _ = _track(active, DUE)
    assert rows[row.pk].status == CommitmentStatus.OPEN  # due today: not missed yet
    rows, changed = _track(active, DUE + datetime.timedelta(days=1))
    assert rows[row.pk].status == CommitmentStatus.MISSED and changed
    assert rows[row.pk].decided_on == DUE + datetime.timedelta(days=1)
    # The same date again: nothing changes.
    assert _track(active, DUE + datetime.timedelta(days=1))[1] == []
    ContractCommitment.objects.filter(pk=row.pk).update(delivered_on=datetime.date(2027, 3, 9), delivery_note="Sent.")
    rows, _ = _track(active, datetime.date(2027, 3, 8))  # recorded for a later day: not delivered yet then
    assert rows[row.pk].status == CommitmentStatus.MISSED
    rows, _ = _track(active, datetime.date(2027, 3, 10))
    assert rows[row.pk].status == CommitmentStatus.MET_LATE
    assert rows[row.pk].evidence == {
        "due_on": "2027-03-01",
        "source": "recorded",
        "delivered_on": "2027-03-09",
        "note": "Sent.",
    }


def test_a_delivery_read_from_the_district_calendar(active, years):
    row = _commitment(active, milestone_kind=MilestoneKind.ALLOCATIONS_RELEASED)
    Milestone.objects.create(
        school_year=years["2026-27"], kind=MilestoneKind.ALLOCATIONS_RELEASED, title="Allocations", on=DUE
    )
    rows, _ = _track(active, DUE - datetime.timedelta(days=1))
    assert rows[row.pk].status == CommitmentStatus.OPEN
    rows, _ = _track(active, DUE)
    assert rows[row.pk].status == CommitmentStatus.MET
    assert rows[row.pk].evidence["source"] == "calendar"


def _category():
    return SupportCategory.objects.get_or_create(
        code="staffing", defaults={"name": "Staffing", "department": Department.HR}
    )[0]


def _request(school, user, *, made: datetime.date, resolved: datetime.date | None, department=Department.HR):
    zone = timezone.get_current_timezone()
    row = SupportRequest.objects.create(
        school=school,
        category=_category(),
        department=department,
        subject="Fill the posted vacancy",
        body="Please.",
        requested_by=user,
        due_on=made + datetime.timedelta(days=7),
        status="resolved" if resolved else "open",
        resolved_at=datetime.datetime.combine(resolved, datetime.time(15), tzinfo=zone) if resolved else None,
    )
    made_at = datetime.datetime.combine(made, datetime.time(9), tzinfo=zone)
    SupportRequest.objects.filter(pk=row.pk).update(created_at=made_at)
    return row


def test_requests_answered_within_n_days_against_the_target_share(active, principal):
    row = _commitment(
        active,
        department=Department.HR,
        text="Posted vacancies filled within 10 days",
        measure=CommitmentMeasure.ANSWERED_WITHIN,
        period_start=datetime.date(2027, 1, 4),
        due_on=datetime.date(2027, 1, 29),
        days=10,
        business_days=False,
        target_percent=75,
    )
    school = active.school
    _request(school, principal, made=datetime.date(2027, 1, 4), resolved=datetime.date(2027, 1, 14))  # day 10
    _request(school, principal, made=datetime.date(2027, 1, 5), resolved=datetime.date(2027, 1, 8))
    late = _request(school, principal, made=datetime.date(2027, 1, 6), resolved=datetime.date(2027, 1, 20))
    never = _request(school, principal, made=datetime.date(2027, 1, 20), resolved=None)
    # Not counted: before the period, another department, another school.
    _request(school, principal, made=datetime.date(2027, 1, 3), resolved=None)
    _request(school, principal, made=datetime.date(2027, 1, 10), resolved=None, department=Department.FINANCE)
    _request(SchoolFactory(), principal, made=datetime.date(2027, 1, 10), resolved=None)
    # Open until a request made on the period's last day has had its 10 days.
    assert _track(active, datetime.date(2027, 2, 8))[0][row.pk].status == CommitmentStatus.OPEN
    rows, _ = _track(active, datetime.date(2027, 2, 9))
    assert rows[row.pk].status == CommitmentStatus.MISSED
    assert rows[row.pk].evidence == {
        "period": ["2027-01-04", "2027-01-29"],
        "requests": 4,
        "in_time": 2,
        "share": 50.0,
        "target": 75,
        "late_requests": [late.pk, never.pk],
    }


def test_business_days_skip_weekends_and_the_districts_closed_days(active, principal, years):
    row = _commitment(
        active,
        department=Department.HR,
        measure=CommitmentMeasure.ANSWERED_WITHIN,
        period_start=datetime.date(2027, 1, 4),
        due_on=datetime.date(2027, 1, 8),
        days=5,
        business_days=True,
        target_percent=100,
    )
    Milestone.objects.create(
        school_year=years["2026-27"], kind=MilestoneKind.DISTRICT_CLOSED, title="Closed", on=datetime.date(2027, 1, 11)
    )
    # Made Friday January 8: five business days, skipping the weekend and Monday's closure, end Friday the 15th.
    _request(active.school, principal, made=datetime.date(2027, 1, 8), resolved=datetime.date(2027, 1, 15))
    rows, _ = _track(active, datetime.date(2027, 1, 20))
    assert rows[row.pk].status == CommitmentStatus.MET and rows[row.pk].evidence["in_time"] == 1


def test_no_request_in_the_period_is_met(active):
    row = _commitment(
        active,
        measure=CommitmentMeasure.ANSWERED_WITHIN,
        period_start=datetime.date(2027, 1, 4),
        due_on=datetime.date(2027, 1, 8),
        days=2,
        target_percent=90,
    )
    rows, _ = _track(active, datetime.date(2027, 2, 1))
    assert rows[row.pk].status == CommitmentStatus.MET and rows[row.pk].evidence["requests"] == 0


def _contracts_with_commitments(count, *, admin, template, term, principal_of):
    from contracts.services import contract_countersign, contract_create_from_template, contract_propose, contract_sign

    contracts = {}
    for _ in range(count):
        school = SchoolFactory()
        principal = principal_of(school)
        contract = contract_create_from_template(
            actor=admin, school=school, template=template, term_start=term[0], term_end=term[1]
        )
        contract_propose(actor=admin, contract_id=contract.pk)
        contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
        contract = contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery")
        _commitment(contract, milestone_kind=MilestoneKind.ALLOCATIONS_RELEASED)
        _commitment(
            contract,
            department=Department.HR,
            measure=CommitmentMeasure.ANSWERED_WITHIN,
            period_start=datetime.date(2027, 1, 4),
            due_on=datetime.date(2027, 1, 8),
            days=2,
            target_percent=90,
        )
        _request(school, principal, made=datetime.date(2027, 1, 5), resolved=None)
        contracts[contract.pk] = contract
    return contracts


def test_deciding_costs_the_same_queries_for_1_and_20_schools(
    admin, term, metrics, make_member, django_assert_num_queries
):
    def principal_of(school):
        return make_member("principal", school=school)

    template = ContractTemplate.objects.create(name="Fixed ELA")
    TemplateBenchmark.objects.create(
        template=template,
        key="ela",
        metric=metrics["ela_proficiency"],
        kind="value",
        comparator=">=",
        target_mode="fixed",
        target_value=50,
    )

    one = _contracts_with_commitments(1, admin=admin, template=template, term=term, principal_of=principal_of)
    twenty = _contracts_with_commitments(20, admin=admin, template=template, term=term, principal_of=principal_of)
    # The commitments, the requests, the closed days, the milestones, and one update of those that changed.
    with django_assert_num_queries(5) as small:
        commitments_track(as_of=DUE + datetime.timedelta(days=1), contracts=one)
    with django_assert_num_queries(len(small.captured_queries)):
        rows, changed = commitments_track(as_of=DUE + datetime.timedelta(days=1), contracts=twenty)
    assert len(changed) == 40 and {r.status for r in rows} == {CommitmentStatus.MISSED}


PAST_DUE = datetime.date(2026, 10, 1)  # before today on any machine running these tests


def test_the_department_records_a_delivery_and_others_may_not(active, principal, admin):
    row = _commitment(active, due_on=PAST_DUE)
    finance, hr = UserFactory(), UserFactory()
    DepartmentStaff.objects.create(user=finance, department=Department.FINANCE)
    DepartmentStaff.objects.create(user=hr, department=Department.HR)
    delivered_on = PAST_DUE - datetime.timedelta(days=3)
    for outsider in (hr, principal):
        with pytest.raises(NotPermitted):
            commitment_record_delivery(actor=outsider, commitment_id=row.pk, delivered_on=delivered_on, note="Done.")
    with pytest.raises(ApplicationError) as refused:
        commitment_record_delivery(actor=finance, commitment_id=row.pk, delivered_on=delivered_on, note="  ")
    assert "note" in refused.value.fields
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError) as refused:
        commitment_record_delivery(actor=finance, commitment_id=row.pk, delivered_on=tomorrow, note="Done.")
    assert "delivered_on" in refused.value.fields
    row.refresh_from_db()
    assert (row.delivered_on, row.status) == (None, CommitmentStatus.OPEN)

    recorded = commitment_record_delivery(
        actor=finance, commitment_id=row.pk, delivered_on=delivered_on, note="Posted on the portal."
    )
    assert (recorded.status, recorded.delivered_by, recorded.delivery_note) == ("met", finance, "Posted on the portal.")


def test_a_delivery_is_not_recorded_for_a_measure_the_system_reads_itself(active, admin):
    calendar = _commitment(active, milestone_kind=MilestoneKind.ALLOCATIONS_RELEASED)
    requests = _commitment(
        active,
        measure=CommitmentMeasure.ANSWERED_WITHIN,
        period_start=datetime.date(2027, 1, 4),
        due_on=DUE,
        days=2,
        target_percent=90,
    )
    for row in (calendar, requests):
        with pytest.raises(Conflict):
            commitment_record_delivery(actor=admin, commitment_id=row.pk, delivered_on=PAST_DUE, note="Done.")
