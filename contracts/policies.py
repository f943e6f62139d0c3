from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from autonomy.workflows import ADMIN, PRINCIPAL, SYSTEM
from contracts.models import ContractStatus, PerformanceContract
from contracts.workflows import contract_transition
from core.policies import ALLOW, Decision, deny
from schools.policies import roles_of, schools_visible_to


def contracts_visible_to(user: AbstractBaseUser) -> QuerySet[PerformanceContract]:
    """Whoever sees a school sees its contracts, except drafts, which stay with the autonomy office."""
    contracts = PerformanceContract.objects.filter(school__in=schools_visible_to(user))
    if roles_of(user).is_admin:
        return contracts
    return contracts.exclude(status=ContractStatus.DRAFT)


def can_take_contract_action(user: AbstractBaseUser, contract: PerformanceContract, action: str) -> Decision:
    transition = contract_transition(contract.status, action)
    if transition is None:
        return deny(f"The contract is {contract.get_status_display().lower()}: that step is not open now.")
    roles = roles_of(user)
    if transition.who == PRINCIPAL:
        if contract.school_id in roles.principal_of:
            return ALLOW
        return deny("Only the school's principal signs its contract.")
    if transition.who in (ADMIN, SYSTEM):
        if contract.school_id in roles.school_ids:
            return deny("You work at this school, so you cannot act for the district on its contract.")
        return ALLOW if roles.is_admin else deny("Only the autonomy office does this.")
    return deny("Nobody may do this by hand.")


def can_edit_contract(user: AbstractBaseUser, contract: PerformanceContract) -> Decision:
    if not contract.is_editable:
        return deny("An active contract is never edited in place: amend it to create the next version.")
    return ALLOW if roles_of(user).is_admin else deny("Only the autonomy office edits contracts.")


def can_manage_contracts(user: AbstractBaseUser) -> Decision:
    return ALLOW if roles_of(user).is_admin else deny("Only the autonomy office drafts and amends contracts.")


def can_amend_contract(user: AbstractBaseUser, contract: PerformanceContract) -> Decision:
    if not roles_of(user).is_admin:
        return deny("Only the autonomy office drafts and amends contracts.")
    if contract.status != ContractStatus.ACTIVE:
        return deny("Only the version in force is amended; edit this version instead.")
    return ALLOW
