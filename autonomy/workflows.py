"""The workflows of requests and grants, each as one table: (state, action) → (next state, who may).

Services look transitions up here; nothing else decides whether a state may change.
"""

from dataclasses import dataclass

from autonomy.models import GrantStatus as G
from autonomy.models import RequestStatus as R

PRINCIPAL = "principal"  # the principal of the request's school
SCHOOL_STAFF = "school_staff"  # the principal or a school-team member of the school
REVIEWER = "reviewer"  # a reviewer whose function the request touches
ADMIN = "admin"  # the autonomy office
SYSTEM = "system"  # the nightly evaluation, acting on a contract's rule


@dataclass(frozen=True)
class Transition:
    to: str
    who: str
    label: str


REQUEST_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (R.DRAFT, "submit"): Transition(R.SUBMITTED, PRINCIPAL, "Submit"),
    (R.CHANGES_REQUESTED, "submit"): Transition(R.SUBMITTED, PRINCIPAL, "Resubmit"),
    # The first reviewer to comment or recommend opens the review.
    (R.SUBMITTED, "review"): Transition(R.UNDER_REVIEW, REVIEWER, "Start review"),
    (R.SUBMITTED, "return"): Transition(R.CHANGES_REQUESTED, ADMIN, "Return for changes"),
    (R.UNDER_REVIEW, "return"): Transition(R.CHANGES_REQUESTED, ADMIN, "Return for changes"),
    (R.SUBMITTED, "approve"): Transition(R.APPROVED, ADMIN, "Decide"),
    (R.UNDER_REVIEW, "approve"): Transition(R.APPROVED, ADMIN, "Decide"),
    (R.SUBMITTED, "decline"): Transition(R.DECLINED, ADMIN, "Decline"),
    (R.UNDER_REVIEW, "decline"): Transition(R.DECLINED, ADMIN, "Decline"),
    (R.DRAFT, "withdraw"): Transition(R.WITHDRAWN, PRINCIPAL, "Withdraw"),
    (R.SUBMITTED, "withdraw"): Transition(R.WITHDRAWN, PRINCIPAL, "Withdraw"),
    (R.UNDER_REVIEW, "withdraw"): Transition(R.WITHDRAWN, PRINCIPAL, "Withdraw"),
    (R.CHANGES_REQUESTED, "withdraw"): Transition(R.WITHDRAWN, PRINCIPAL, "Withdraw"),
}

GRANT_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (G.ACTIVE, "put_at_risk"): Transition(G.AT_RISK, SYSTEM, "Put at risk"),
    (G.AT_RISK, "cure"): Transition(G.ACTIVE, ADMIN, "Mark cured"),
    (G.ACTIVE, "suspend"): Transition(G.SUSPENDED, ADMIN, "Suspend"),
    (G.AT_RISK, "suspend"): Transition(G.SUSPENDED, ADMIN, "Suspend"),
    (G.SUSPENDED, "restore"): Transition(G.ACTIVE, ADMIN, "Restore"),
    (G.ACTIVE, "revoke"): Transition(G.REVOKED, ADMIN, "Revoke"),
    (G.AT_RISK, "revoke"): Transition(G.REVOKED, ADMIN, "Revoke"),
    (G.SUSPENDED, "revoke"): Transition(G.REVOKED, ADMIN, "Revoke"),
    # The nightly evaluation carrying out a contract's rule, with the evaluation as evidence.
    (G.ACTIVE, "suspend_by_rule"): Transition(G.SUSPENDED, SYSTEM, "Suspended under the contract"),
    (G.AT_RISK, "suspend_by_rule"): Transition(G.SUSPENDED, SYSTEM, "Suspended under the contract"),
    (G.ACTIVE, "revoke_by_rule"): Transition(G.REVOKED, SYSTEM, "Revoked under the contract"),
    (G.AT_RISK, "revoke_by_rule"): Transition(G.REVOKED, SYSTEM, "Revoked under the contract"),
    (G.SUSPENDED, "revoke_by_rule"): Transition(G.REVOKED, SYSTEM, "Revoked under the contract"),
    (G.ACTIVE, "expire"): Transition(G.EXPIRED, SYSTEM, "Expire"),
    (G.AT_RISK, "expire"): Transition(G.EXPIRED, SYSTEM, "Expire"),
    (G.SUSPENDED, "expire"): Transition(G.EXPIRED, SYSTEM, "Expire"),
}


def request_transition(status: str, action: str) -> Transition | None:
    return REQUEST_TRANSITIONS.get((status, action))


def grant_transition(status: str, action: str) -> Transition | None:
    return GRANT_TRANSITIONS.get((status, action))


def request_actions_from(status: str) -> list[str]:
    return [action for (state, action) in REQUEST_TRANSITIONS if state == status]
