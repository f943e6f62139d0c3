"""Central office's commitments as part of a contract version: added, changed and removed while it is
editable, refused naming the field (nothing saved), copied into an amendment with their record, compared
between versions, printed in the PDF and bound by the signature's content hash."""

import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from autonomy.models import Autonomy
from contracts.models import CommitmentMeasure, CommitmentStatus, ContractCommitment, ContractStatus
from contracts.pdf import render_contract_pdf
from contracts.selectors import contract_diff, contract_get_for_user
from contracts.services import contract_amend, contract_content, contract_content_sha256
from contracts.services.commitments import (
    CommitmentInput,
    contract_commitment_add,
    contract_commitment_remove,
    contract_commitment_update,
)
from contracts.wording import describe_diff
from core.errors import ApplicationError, NotPermitted
from support.models import Department, MilestoneKind

pytestmark = pytest.mark.django_db

PROJECTIONS = CommitmentInput(
    department=Department.FINANCE,
    text="Budget and enrollment projections released",
    measure=CommitmentMeasure.DELIVERED_BY,
    due_on=datetime.date(2027, 3, 1),
    milestone_kind=MilestoneKind.ALLOCATIONS_RELEASED,
)
VACANCIES = CommitmentInput(
    department=Department.HR,
    text="Posted vacancies filled within 30 days",
    measure=CommitmentMeasure.ANSWERED_WITHIN,
    due_on=datetime.date(2027, 6, 30),
    days=30,
    business_days=False,
    target_percent=90,
)


def _with(commitment: CommitmentInput, **changes) -> CommitmentInput:
    return CommitmentInput(**{**commitment.__dict__, **changes})


def test_a_commitment_is_added_with_a_key_from_its_text_and_the_terms_it_needs(admin, draft):
    hiring = Autonomy.objects.get(code="people.hiring")
    first = contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=PROJECTIONS)
    second = contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=_with(VACANCIES, autonomy=hiring))
    again = contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=PROJECTIONS)
    assert [first.key, second.key, again.key] == [
        "budget-and-enrollment-projections-released",
        "posted-vacancies-filled-within-30-days",
        "budget-and-enrollment-projections-released-2",
    ]
    assert [c.position for c in (first, second, again)] == [0, 1, 2]
    # The period of a request measure starts with the term unless given; a delivery has no N days.
    assert second.period_start == draft.term_start.start_date and second.autonomy == hiring
    assert (first.days, first.target_percent, first.period_start, first.status) == (None, None, None, "open")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * 201}, "text"),
        ({"department": "library"}, "department"),
        ({"measure": "soon"}, "measure"),
        ({"due_on": None}, "due_on"),
        ({"due_on": datetime.date(2026, 6, 30)}, "due_on"),  # the day before the term starts
        ({"due_on": datetime.date(2029, 7, 1)}, "due_on"),  # the day after it ends
        ({"days": 0}, "days"),
        ({"days": -3}, "days"),
        ({"days": None}, "days"),
        ({"target_percent": 0}, "target_percent"),
        ({"target_percent": 101}, "target_percent"),
        ({"period_start": datetime.date(2027, 7, 1)}, "period_start"),  # after the due date
        ({"milestone_kind": "lunch", "measure": CommitmentMeasure.DELIVERED_BY}, "milestone_kind"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(admin, draft, changes, field):
    with pytest.raises(ApplicationError) as refused:
        contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=_with(VACANCIES, **changes))
    assert field in refused.value.fields
    assert not ContractCommitment.objects.exists()
    assert not draft.events.filter(reason__contains="Commitment").exists()


def test_an_autonomy_the_version_does_not_cover_is_refused(admin, draft):
    budget = Autonomy.objects.get(code="money.budget")
    with pytest.raises(ApplicationError) as refused:
        contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=_with(PROJECTIONS, autonomy=budget))
    assert "autonomy" in refused.value.fields and not ContractCommitment.objects.exists()


def test_changing_a_commitment_keeps_its_key_and_starts_its_tracking_again(admin, draft):
    row = contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=PROJECTIONS)
    ContractCommitment.objects.filter(pk=row.pk).update(status=CommitmentStatus.MISSED, evidence={"x": 1})
    changed = contract_commitment_update(
        actor=admin, contract_id=draft.pk, key=row.key, commitment=_with(PROJECTIONS, text="Projections out")
    )
    assert (changed.key, changed.text, changed.status, changed.evidence) == (row.key, "Projections out", "open", {})
    with pytest.raises(ApplicationError) as refused:
        contract_commitment_update(
            actor=admin, contract_id=draft.pk, key=row.key, commitment=_with(PROJECTIONS, text="")
        )
    assert "text" in refused.value.fields
    assert ContractCommitment.objects.get(pk=row.pk).text == "Projections out"
    contract_commitment_remove(actor=admin, contract_id=draft.pk, key=row.key)
    assert not ContractCommitment.objects.exists()


def test_a_change_to_a_signed_version_sends_it_back_for_a_new_signature(admin, signed):
    contract_commitment_add(actor=admin, contract_id=signed.pk, commitment=PROJECTIONS)
    signed.refresh_from_db()
    assert signed.status == ContractStatus.PROPOSED and signed.signed_at is None


def test_a_version_in_force_is_never_edited_in_place(admin, active, principal):
    with pytest.raises(NotPermitted):
        contract_commitment_add(actor=admin, contract_id=active.pk, commitment=PROJECTIONS)
    with pytest.raises(NotPermitted):
        contract_commitment_add(actor=principal, contract_id=active.pk, commitment=PROJECTIONS)
    assert not ContractCommitment.objects.exists()


def _active_with_commitments(admin, draft, principal):
    from contracts.services import contract_countersign, contract_propose, contract_sign

    hiring = Autonomy.objects.get(code="people.hiring")
    contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=PROJECTIONS)
    contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=_with(VACANCIES, autonomy=hiring))
    contract_propose(actor=admin, contract_id=draft.pk)
    contract_sign(actor=principal, contract_id=draft.pk, password="correct-horse-battery")
    return contract_countersign(actor=admin, contract_id=draft.pk, password="correct-horse-battery")


def test_an_amendment_copies_the_commitments_with_their_record_and_the_diff_names_what_changed(admin, draft, principal):
    active = _active_with_commitments(admin, draft, principal)
    ContractCommitment.objects.filter(contract=active, department=Department.FINANCE).update(
        status=CommitmentStatus.MET, delivered_on=datetime.date(2027, 2, 20), delivery_note="Posted."
    )
    amendment = contract_amend(actor=admin, contract_id=active.pk, reason="New projections date.")
    copied = {c.key: c for c in amendment.commitments.all()}
    assert set(copied) == {"budget-and-enrollment-projections-released", "posted-vacancies-filled-within-30-days"}
    finance = copied["budget-and-enrollment-projections-released"]
    assert (finance.status, finance.delivered_on, finance.delivery_note) == (
        "met",
        datetime.date(2027, 2, 20),
        "Posted.",
    )
    assert copied["posted-vacancies-filled-within-30-days"].autonomy.code == "people.hiring"

    contract_commitment_update(
        actor=admin,
        contract_id=amendment.pk,
        key=finance.key,
        commitment=_with(PROJECTIONS, due_on=datetime.date(2027, 3, 15)),
    )
    contract_commitment_remove(actor=admin, contract_id=amendment.pk, key="posted-vacancies-filled-within-30-days")
    contract_commitment_add(
        actor=admin, contract_id=amendment.pk, commitment=_with(PROJECTIONS, text="Staffing allocations released")
    )
    old = contract_get_for_user(user=admin, contract_id=active.pk)
    new = contract_get_for_user(user=admin, contract_id=amendment.pk)
    diff = contract_diff(old=old, new=new)["commitments"]
    assert [c.key for c in diff.added] == ["staffing-allocations-released"]
    assert [c.key for c in diff.removed] == ["posted-vacancies-filled-within-30-days"]
    assert diff.changed == [(finance.key, [("due_on", datetime.date(2027, 3, 1), datetime.date(2027, 3, 15))])]
    words = describe_diff(diff=contract_diff(old=old, new=new), old=old, new=new)
    assert not words["empty"]
    assert words["commitments"]["changed"] == [(finance.key, ["Due: March 1, 2027 → March 15, 2027"])]
    assert words["commitments"]["removed"][0].startswith("Talent and human resources: Posted vacancies filled")
    assert "Bears on “Hire and dismiss staff”" in words["commitments"]["removed"][0]


def test_the_pdf_prints_the_commitments_with_their_status(admin, draft, principal):
    active = _active_with_commitments(admin, draft, principal)
    contract = contract_get_for_user(user=admin, contract_id=active.pk)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(render_contract_pdf(contract))).pages).split())
    assert "What central office commits to" in text
    assert "Finance: Budget and enrollment projections released. Delivered by March 1, 2027" in text
    assert "At least 90% of the school's requests answered within 30 days" in text
    assert "Status: Not decided yet: due March 1, 2027." in text


def test_the_signature_binds_the_commitments_and_leaves_a_contract_without_them_as_it_was(admin, draft):
    content = contract_content(draft)
    assert "commitments" not in content  # a version signed before commitments existed still checks
    before = contract_content_sha256(draft)
    contract_commitment_add(actor=admin, contract_id=draft.pk, commitment=PROJECTIONS)
    draft = contract_get_for_user(user=admin, contract_id=draft.pk)
    (entry,) = contract_content(draft)["commitments"]
    assert entry["due_on"] == "2027-03-01" and entry["department"] == "finance" and "status" not in entry
    assert contract_content_sha256(draft) != before
