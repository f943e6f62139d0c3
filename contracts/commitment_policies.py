"""Who may see and record central office's commitments. Beside contracts.policies (whose contract rules
they read) rather than in it, so the commitments' part of the contract stays in files of its own.

A commitment is the department's to keep: the people who work in that department (support's
DepartmentStaff) record its deliveries and see the list of their department's commitments across the
schools they serve; the autonomy office sees and records every one. The school sees its commitments on
its contract page, through the contract's own visibility.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from contracts.models import CommitmentMeasure, ContractCommitment, ContractStatus
from core.policies import ALLOW, Decision, conflict, deny
from schools.policies import roles_of
from support.policies.staff import departments_of, works_in

# A delivery is recorded against the version in force (or one the school has signed): never a draft.
RECORDABLE_STATUSES = (ContractStatus.SIGNED, ContractStatus.ACTIVE)


def commitments_visible_to(user: AbstractBaseUser) -> QuerySet[ContractCommitment]:
    """The commitments of the departments the user works in (all of them for the autonomy office), in
    versions past drafting; none for anyone else."""
    commitments = ContractCommitment.objects.exclude(contract__status=ContractStatus.DRAFT)
    if roles_of(user).is_admin:
        return commitments
    departments = list(departments_of(user))
    if not departments:
        return commitments.none()
    return commitments.filter(department__in=departments)


def can_see_commitment_list(user: AbstractBaseUser) -> Decision:
    if roles_of(user).is_admin or departments_of(user):
        return ALLOW
    return deny("Only central-office departments and the autonomy office keep commitments.")


def can_record_delivery(user: AbstractBaseUser, commitment: ContractCommitment) -> Decision:
    """The department's staff or the autonomy office, for a "delivered by a date" commitment the department
    records itself, in a version signed or in force."""
    if not (works_in(user, commitment.department) or roles_of(user).is_admin):
        return deny(f"Only the {commitment.get_department_display()} department records this delivery.")
    if commitment.measure != CommitmentMeasure.DELIVERED_BY:
        return conflict("This commitment is measured by the school's requests, not by a delivery.")
    if commitment.milestone_kind:
        return conflict("This commitment is read from the district calendar: change the calendar's date instead.")
    if commitment.contract.status not in RECORDABLE_STATUSES:
        return conflict("Deliveries are recorded against a contract signed or in force.")
    return ALLOW
