"""Central office's commitments in the authorization matrix (tests/test_authorization_matrix.py): {url name:
Page} in the vocabulary of tests/matrix_kit.py. The world's contracts are in force, so the editor's pages
refuse even the autonomy office (403) and hide the contract from those who do not see its school (404).
The department's pages are for its staff (none in the world) and the autonomy office; to anyone else they
do not exist (404)."""

import datetime

from contracts.models import CommitmentMeasure, ContractCommitment
from support.models import Department
from tests.matrix_kit import Page, login_or

# The same gate as the contract's edit page: readers of the contract are told it is not theirs to edit.
EDITOR = login_or(
    others=404,
    principal=(403, 404),
    school_team=(403, 404),
    liaison=(403, 404),
    reviewer=403,
    viewer=403,
    admin=403,
)


def _contract_pk(world, own):
    return {"pk": world["contracts"][own].pk}


def _commitment_pk(world, own):
    """A Finance commitment of the world's contract (own or other school), made once."""
    row, _ = ContractCommitment.objects.get_or_create(
        contract=world["contracts"][own],
        key="matrix-projections",
        defaults={
            "department": Department.FINANCE,
            "text": "Budget projections released",
            "measure": CommitmentMeasure.DELIVERED_BY,
            "due_on": datetime.date(2026, 10, 1),
        },
    )
    return {"pk": row.pk}


PAGES = {
    "contracts:commitment_list": Page(login_or(others=404, admin=200)),
    "contracts:commitment_deliver": Page(login_or(others=404, admin=200), kwargs=_commitment_pk),
    "contracts:contract_commitments": Page(EDITOR, kwargs=_contract_pk),
    "contracts:contract_commitment_edit": Page(
        EDITOR, kwargs=lambda world, own: {**_contract_pk(world, own), "key": "matrix-projections"}
    ),
}
