"""The two-way contract in the demo: one pilot school's contract amended to list central office's
commitments — Finance's allocations released on time (met, the delivery recorded), and HR's posted
vacancies filled by a date it missed, which bears on the school's hiring autonomy. The school opens the
year with more vacancies than its binding benchmark allows, so the first evaluation opens a flag on the
rung that would revoke hiring, and pauses its clock instead: HR has not kept its side.

Runs after the contracts and budget scenes (it amends a contract those made active)."""

import datetime
import random

from django.utils import timezone

from autonomy.models import Autonomy
from contracts.models import CommitmentMeasure, ContractStatus, PerformanceContract
from contracts.services import contract_amend, contract_countersign, contract_propose, contract_sign
from contracts.services.commitments import CommitmentInput, contract_commitment_add
from contracts.services.commitments_tracking import commitment_record_delivery
from demo.services.builder import DistrictBuilder, principals_of
from demo.services.data import DEMO_PASSWORD
from metrics.services.observations import observations_import_records
from support.models import Department

# The school (by position; S0013, in the pilot cohort, its contract entered in bulk) whose flag is paused.
# Not S0009: the first evaluation revokes that school's hiring, as the demo's story of the ladder.
PAUSE_SCENE = 12
VACANCIES = 5  # against the binding benchmark's limit of three


def commitments_scene(district: DistrictBuilder, *, rng: random.Random) -> None:
    """The scene, in a district large enough to hold the school (13 schools or more)."""
    if len(district.schools) <= PAUSE_SCENE:
        return
    school = district.schools[PAUSE_SCENE]
    admin = district.staff["admin"]
    principal = principals_of([school])[school.pk]
    active = PerformanceContract.objects.get(school=school, status=ContractStatus.ACTIVE)
    amendment = contract_amend(
        actor=admin,
        contract_id=active.pk,
        reason="Central office's commitments to the school written into the contract, as the pilot agreed.",
    )
    start, today = amendment.term_start.start_date, timezone.localdate()
    # Due dates this year that have passed by today (on the first day of a school year, the term's first
    # day: then HR's commitment is not missed yet, and the flag is not paused).
    vacancies_due = max(start, min(start + datetime.timedelta(days=45), today - datetime.timedelta(days=1)))
    allocations_due = max(start, vacancies_due - datetime.timedelta(days=rng.randint(10, 20)))
    contract_commitment_add(
        actor=admin,
        contract_id=amendment.pk,
        commitment=CommitmentInput(
            department=Department.FINANCE,
            text="School allocations and enrollment projections released",
            measure=CommitmentMeasure.DELIVERED_BY,
            due_on=allocations_due,
        ),
    )
    contract_commitment_add(
        actor=admin,
        contract_id=amendment.pk,
        commitment=CommitmentInput(
            department=Department.HR,
            text="Posted teacher vacancies filled",
            measure=CommitmentMeasure.DELIVERED_BY,
            due_on=vacancies_due,
            autonomy=Autonomy.objects.get(code="people.hiring"),
        ),
    )
    contract_propose(actor=admin, contract_id=amendment.pk)
    contract_sign(actor=principal, contract_id=amendment.pk, password=DEMO_PASSWORD)
    contract_countersign(actor=admin, contract_id=amendment.pk, password=DEMO_PASSWORD)
    finance = amendment.commitments.get(department=Department.FINANCE)
    commitment_record_delivery(
        actor=admin,
        commitment_id=finance.pk,
        delivered_on=max(start, allocations_due - datetime.timedelta(days=3)),
        note="Allocations and projections posted on the budget site; the principal was emailed the link.",
    )
    # The school opens the year short of teachers: the binding benchmark (at most three) is missed.
    observations_import_records(
        records=[
            {
                "school": school.code,
                "metric": "teacher_vacancies_first_day",
                "period": district.years[-1].label,
                "value": str(VACANCIES),
                "source": "HR staffing report",
            }
        ],
        label="Demo: first-day vacancies corrected",
        first_row=1,
    )
