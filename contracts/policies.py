from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from contracts.models import ContractStatus, PerformanceContract
from contracts.workflows import CONTRACT_WORKFLOW
from core.policies import ALLOW, Decision, conflict, deny
from core.workflows import Actor, transition_decide
from schools.policies import acts_at_school_as, autonomy_office, roles_of, schools_visible_to


def contracts_visible_to(user: AbstractBaseUser) -> QuerySet[PerformanceContract]:
    """Whoever sees a school sees its contracts, except drafts, which stay with the autonomy office."""
    contracts = PerformanceContract.objects.filter(school__in=schools_visible_to(user))
    if roles_of(user).is_admin:
        return contracts
    return contracts.exclude(status=ContractStatus.DRAFT)


def contract_acts_as(user: AbstractBaseUser, contract: PerformanceContract, who: Actor) -> Decision:
    if who == Actor.PRINCIPAL and contract.school_id not in roles_of(user).principal_of:
        return deny(_("Only the school's principal signs its contract."))
    return acts_at_school_as(
        user,
        school_id=contract.school_id,
        who=who,
        separation_refusal="You work at this school, so you cannot act for the district on its contract.",
    )


def can_take_contract_action(user: AbstractBaseUser, contract: PerformanceContract, action: str) -> Decision:
    return transition_decide(CONTRACT_WORKFLOW, user, contract, action, contract_acts_as)


def can_edit_contract(user: AbstractBaseUser, contract: PerformanceContract) -> Decision:
    if not contract.is_editable:
        return deny("An active contract is never edited in place: amend it to create the next version.")
    return autonomy_office(user, "Only the autonomy office edits contracts.")


def can_manage_contracts(user: AbstractBaseUser) -> Decision:
    return autonomy_office(user, "Only the autonomy office drafts and amends contracts.")


def can_amend_contract(user: AbstractBaseUser, contract: PerformanceContract) -> Decision:
    if not roles_of(user).is_admin:
        return deny("Only the autonomy office drafts and amends contracts.")
    if contract.status != ContractStatus.ACTIVE:
        return conflict("Only the version in force is amended; edit this version instead.")
    return ALLOW
