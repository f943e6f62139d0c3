"""The two-way contract, end to end: central office misses a commitment that bears on an autonomy, and the
nightly run (the entry point `evaluate_benchmarks` uses) pauses the intervention clock of the benchmarks
that keep that autonomy — the flag is opened with its reason, the grant is not moved up the ladder, the
notice and the flag page say so; a second run of the date changes nothing; a late delivery resumes the
clock, and the deadline moves on by the days the clock stood."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import EvaluationAttempt, FlagEvent, InterventionFlag
from accountability.services import evaluation_run, flag_escalate
from autonomy.models import Autonomy, GrantStatus
from contracts.models import (
    CommitmentMeasure,
    CommitmentStatus,
    Condition,
    ContractCommitment,
    ContractTemplate,
    Level,
    TemplateBenchmark,
    TemplateRule,
)
from contracts.services import contract_countersign, contract_create_from_template, contract_propose, contract_sign
from contracts.services.commitments import CommitmentInput, contract_commitment_add
from contracts.services.commitments_tracking import commitment_record_delivery
from core.errors import Conflict
from core.models import Notification
from metrics.models import Metric
from schools.models import Role
from support.models import Department, DepartmentStaff
from tests.accountability.builders import observe, school_years
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

OPENED = datetime.date(2026, 11, 1)  # the commitment was due October 1: missed by then
DUE = datetime.date(2026, 10, 1)
REASON = (
    "The intervention clock is paused: central office missed its commitment “Posted vacancies filled” "
    "(Talent and human resources, due Oct 1, 2026)."
)


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


def _template(*, level=Level.AT_RISK, deadline_days=10):
    """ELA at 50 or more keeps hiring; missing it puts hiring at risk (or the given rung)."""
    template = ContractTemplate.objects.create(name=f"Hiring {ContractTemplate.objects.count()}")
    TemplateBenchmark.objects.create(
        template=template,
        key="ela",
        metric=Metric.objects.get(code="ela_proficiency"),
        kind="value",
        comparator=">=",
        target_mode="fixed",
        target_value=50,
        binding_autonomy=Autonomy.objects.get(code="people.hiring"),
    )
    TemplateRule.objects.create(
        template=template,
        key="binding",
        condition=Condition.BINDING_MISSED,
        count=1,
        level=level,
        deadline_days=deadline_days,
        remedy="Meet the benchmark again.",
        provision="Section 4.2",
    )
    return template


def _school(admin, template, *, commitment=True, years=None):
    """A school holding hiring under an active contract whose ELA is missed (40 < 50); with `commitment`,
    HR committed to fill posted vacancies by October 1 (nothing recorded: missed from October 2)."""
    years = years or school_years()
    school = SchoolFactory()
    hiring = grant(school, "people.hiring")
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
    contract = contract_create_from_template(
        actor=admin, school=school, template=template, term_start=years[1], term_end=years[2]
    )
    if commitment:
        contract_commitment_add(
            actor=admin,
            contract_id=contract.pk,
            commitment=CommitmentInput(
                department=Department.HR,
                text="Posted vacancies filled",
                measure=CommitmentMeasure.DELIVERED_BY,
                due_on=DUE,
                autonomy=hiring.autonomy,
            ),
        )
    contract_propose(actor=admin, contract_id=contract.pk)
    contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
    contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery")
    observe(school, "2025-26", 45)
    observe(school, "2026-27", 40)
    return school, hiring, principal, contract


def _state(school):
    return (
        list(InterventionFlag.objects.filter(school=school).values_list("pk", "level", "deadline", "clock_paused_on")),
        list(FlagEvent.objects.filter(flag__school=school).values_list("pk", flat=True)),
        list(Notification.objects.values_list("pk", flat=True)),
        list(ContractCommitment.objects.filter(contract__school=school).values_list("status", "decided_on")),
    )


def test_without_a_missed_commitment_the_rung_is_carried_out(admin):
    """The control: the same contract with no commitment puts hiring at risk on the first run."""
    school, hiring, _, _ = _school(admin, _template(), commitment=False)
    evaluation_run(as_of=OPENED)
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.AT_RISK
    assert InterventionFlag.objects.get(school=school).clock_paused_on is None


def test_a_missed_commitment_pauses_the_clock_end_to_end(admin, client):
    school, hiring, principal, contract = _school(admin, _template())

    run = evaluation_run(as_of=OPENED)

    commitment = ContractCommitment.objects.get(contract=contract)
    assert (commitment.status, commitment.decided_on) == (CommitmentStatus.MISSED, OPENED)
    assert commitment.evidence == {"due_on": "2026-10-01", "source": "recorded"}
    flag = InterventionFlag.objects.get(school=school)
    # Opened on its rule's rung, its clock paused with the reason that names the commitment.
    assert (flag.level, flag.clock_paused_on, flag.clock_pause_reason) == (Level.AT_RISK, OPENED, REASON)
    assert flag.deadline == OPENED + datetime.timedelta(days=10)
    # The rung is held: hiring is not put at risk while central office's side is missed.
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.ACTIVE
    assert run.counts["grants_at_risk"] == 0 and run.counts["flags_opened"] == 1
    assert list(flag.events.values_list("action", flat=True)) == ["open", "pause"]
    assert flag.events.get(action="pause").reason.startswith(REASON)
    # The run's attempt records the pause and its reason, and the commitment's miss.
    attempt = EvaluationAttempt.objects.get(run=run)
    whats = [change["what"] for change in attempt.changes]
    assert f"Intervention clock paused (Section 4.2): {REASON}" in whats
    assert "Commitment of central office missed: Posted vacancies filled" in whats
    # The notice says so, and what it means.
    (message,) = Notification.objects.filter(user=principal, url__contains=f"/flags/{flag.pk}/")
    assert REASON in message.body
    assert "does not move up the ladder, its deadline does not run" in message.body
    assert "Deadline: paused with 10 days left" in message.body
    assert "is now at risk" not in message.body
    # So does the flag page.
    client.force_login(admin)
    page = client.get(reverse("accountability:flag_detail", args=[flag.pk])).content.decode()
    assert "central office missed its commitment “Posted vacancies filled”" in page
    assert "Paused, 10 days left" in page
    assert "Intervention clock paused" in page and "Open (was open)" not in page
    assert "Not while the intervention clock is paused" in page and f"/flags/{flag.pk}/escalate/" not in page
    listed = client.get(reverse("accountability:flag_list")).content.decode()
    assert 'Paused<small class="since">central office missed a commitment</small>' in listed

    # A second run of the same date: nothing new — no second pause event, flag, message or decision.
    before = _state(school)
    evaluation_run(as_of=OPENED)
    assert _state(school) == before

    # Past the deadline, still paused: the flag is not raised and hiring stays active.
    later = datetime.date(2026, 11, 20)
    evaluation_run(as_of=later)
    flag.refresh_from_db()
    hiring.refresh_from_db()
    assert (flag.level, flag.clock_paused_on, hiring.status) == (Level.AT_RISK, OPENED, GrantStatus.ACTIVE)
    assert flag.events.filter(action="pause").count() == 1 and not flag.events.filter(action="escalate").exists()
    # Nor by hand: the contract binds both sides.
    with pytest.raises(Conflict, match="clock is paused"):
        flag_escalate(actor=admin, flag_id=flag.pk, note="Still missed.", expected_level=Level.AT_RISK)

    # HR delivers, late; the next run resumes the clock: the deadline moves on by the 25 days it stood,
    # and the rung held at opening is carried out now, until the new deadline.
    staff = UserFactory()
    DepartmentStaff.objects.create(user=staff, department=Department.HR)
    delivered = commitment_record_delivery(
        actor=staff, commitment_id=commitment.pk, delivered_on=datetime.date(2026, 11, 24), note="All 4 posts filled."
    )
    assert delivered.status == CommitmentStatus.MET_LATE
    resumed_on = datetime.date(2026, 11, 26)
    evaluation_run(as_of=resumed_on)
    flag.refresh_from_db()
    hiring.refresh_from_db()
    assert (flag.clock_paused_on, flag.clock_pause_reason) == (None, "")
    assert flag.deadline == datetime.date(2026, 11, 11) + datetime.timedelta(days=25) == datetime.date(2026, 12, 6)
    assert hiring.status == GrantStatus.AT_RISK and hiring.at_risk_until == flag.deadline
    resume = flag.events.get(action="resume")
    assert "moves from November 11, 2026 to December 6, 2026" in resume.reason
    assert Notification.objects.filter(user=principal, body__contains="The intervention clock resumes").count() == 1
    before = _state(school)
    evaluation_run(as_of=resumed_on)
    assert _state(school) == before


def test_a_live_flag_is_paused_when_the_commitment_is_missed_later_and_not_raised(admin):
    """A flag opened before the commitment was due is paused by the run that finds it missed: its deadline
    passes without the flag climbing."""
    school, hiring, _, _ = _school(admin, _template(level=Level.NOTICE, deadline_days=5))
    evaluation_run(as_of=datetime.date(2026, 9, 20))  # before October 1: the commitment is open
    flag = InterventionFlag.objects.get(school=school)
    assert flag.clock_paused_on is None and flag.level == Level.NOTICE
    evaluation_run(as_of=datetime.date(2026, 10, 2))  # missed now; the deadline (September 25) has passed
    flag.refresh_from_db()
    assert (flag.level, flag.clock_paused_on) == (Level.NOTICE, datetime.date(2026, 10, 2))
    assert flag.clock_pause_reason == REASON
    assert not flag.events.filter(action="escalate").exists()


def test_a_commitment_met_on_time_pauses_nothing(admin):
    school, hiring, _, contract = _school(admin, _template())
    commitment = ContractCommitment.objects.get(contract=contract)
    commitment_record_delivery(
        actor=admin, commitment_id=commitment.pk, delivered_on=datetime.date(2026, 9, 28), note="Filled."
    )
    evaluation_run(as_of=OPENED)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.MET
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.AT_RISK
    assert InterventionFlag.objects.get(school=school).clock_paused_on is None


def _run_queries(admin, count) -> int:
    """The queries of a first run over `count` schools whose flags all open paused; rolled back after."""
    with transaction.atomic():
        template = _template()
        years = school_years()
        for _ in range(count):
            _school(admin, template, years=years)
        with CaptureQueriesContext(connection) as queries:
            evaluation_run(as_of=OPENED)
        assert InterventionFlag.objects.filter(clock_paused_on=OPENED).count() == count
        assert ContractCommitment.objects.filter(status=CommitmentStatus.MISSED).count() == count
        transaction.set_rollback(True)
    return len(queries)


def test_the_run_with_pauses_costs_the_same_queries_for_1_and_20_schools(admin):
    """Deciding the commitments and pausing the flags is set-based: with every school's flag paused (so no
    grant moves one by one), a run over 20 schools makes as many queries as over 1."""
    assert _run_queries(admin, 1) == _run_queries(admin, 20)


def test_a_paused_flag_on_the_last_rung_revokes_nothing_until_the_clock_resumes(admin, client):
    school, hiring, principal, _ = _school(admin, _template(level=Level.REVOKED, deadline_days=0))
    evaluation_run(as_of=OPENED)
    flag = InterventionFlag.objects.get(school=school)
    hiring.refresh_from_db()
    assert (flag.level, flag.clock_paused_on, hiring.status) == (Level.REVOKED, OPENED, GrantStatus.ACTIVE)
    client.force_login(admin)
    page = client.get(reverse("accountability:flag_detail", args=[flag.pk])).content.decode()
    assert "the clock resumes and this step is carried out" in page and "days that were left" not in page
