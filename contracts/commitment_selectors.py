"""Reading central office's commitments for the department's pages, scoped by
contracts.commitment_policies.commitments_visible_to."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404

from contracts.commitment_policies import commitments_visible_to
from contracts.models import CommitmentStatus, ContractCommitment, ContractStatus

# The list shows the commitments of versions in force or about to be; superseded ones are history.
LISTED_STATUSES = (ContractStatus.PROPOSED, ContractStatus.SIGNED, ContractStatus.ACTIVE)
LIST_LIMIT = 200


def commitments_for_department_staff(*, user: AbstractBaseUser) -> list[ContractCommitment]:
    """The user's departments' commitments (every one for the autonomy office): missed first, then the open
    ones by due date, then the met; one query, whatever the number of schools."""
    order = Case(
        When(status=CommitmentStatus.MISSED, then=Value(0)),
        When(status=CommitmentStatus.OPEN, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        commitments_visible_to(user)
        .filter(contract__status__in=LISTED_STATUSES)
        .select_related("contract__school", "contract__term_start", "autonomy")
        .annotate(urgency=order)
        .order_by("urgency", "due_on", "contract__school__name", "pk")[:LIST_LIMIT]
    )


def commitment_for_delivery(*, user: AbstractBaseUser, commitment_id: int) -> ContractCommitment:
    """A commitment the user may see, with what the delivery page shows; 404 otherwise (never a leak)."""
    row = (
        commitments_visible_to(user)
        .select_related("contract__school", "contract__term_start", "autonomy")
        .filter(pk=commitment_id)
        .first()
    )
    if row is None:
        raise Http404("No such commitment.")
    return row
