"""The workflows of requests and grants, each as one table: (state, action) → (next state, who may).

Services move objects through core.workflows.transition_apply with these tables; nothing else decides
whether a state may change. Pages and the API offer a person exactly `person_steps_from(status)`.
"""

from autonomy.models import AutonomyGrant, AutonomyRequest, GrantEvent, RequestEvent
from autonomy.models import GrantStatus as G
from autonomy.models import RequestStatus as R
from core.workflows import Actor, Transition, Workflow

T = Transition
REQUEST_WORKFLOW = Workflow(
    noun="request",
    model=AutonomyRequest,
    event_model=RequestEvent,
    transitions=[
        T(R.DRAFT, "submit", R.SUBMITTED, Actor.PRINCIPAL, "Submit"),
        T(R.CHANGES_REQUESTED, "submit", R.SUBMITTED, Actor.PRINCIPAL, "Resubmit"),
        # The first reviewer to comment or recommend opens the review.
        T(R.SUBMITTED, "review", R.UNDER_REVIEW, Actor.REVIEWER, "Start review"),
        T(R.SUBMITTED, "return", R.CHANGES_REQUESTED, Actor.ADMIN, "Return for changes"),
        T(R.UNDER_REVIEW, "return", R.CHANGES_REQUESTED, Actor.ADMIN, "Return for changes"),
        T(R.SUBMITTED, "approve", R.APPROVED, Actor.ADMIN, "Decide"),
        T(R.UNDER_REVIEW, "approve", R.APPROVED, Actor.ADMIN, "Decide"),
        T(R.SUBMITTED, "decline", R.DECLINED, Actor.ADMIN, "Decline"),
        T(R.UNDER_REVIEW, "decline", R.DECLINED, Actor.ADMIN, "Decline"),
        T(R.DRAFT, "withdraw", R.WITHDRAWN, Actor.PRINCIPAL, "Withdraw"),
        T(R.SUBMITTED, "withdraw", R.WITHDRAWN, Actor.PRINCIPAL, "Withdraw"),
        T(R.UNDER_REVIEW, "withdraw", R.WITHDRAWN, Actor.PRINCIPAL, "Withdraw"),
        T(R.CHANGES_REQUESTED, "withdraw", R.WITHDRAWN, Actor.PRINCIPAL, "Withdraw"),
    ],
)

# A grant is issued (no row before it) by grants_issue; from then on it moves only through this table.
GRANT_WORKFLOW = Workflow(
    noun="grant",
    model=AutonomyGrant,
    event_model=GrantEvent,
    transitions=[
        T(G.ACTIVE, "suspend", G.SUSPENDED, Actor.ADMIN, "Suspend"),
        T(G.AT_RISK, "suspend", G.SUSPENDED, Actor.ADMIN, "Suspend"),
        T(G.AT_RISK, "cure", G.ACTIVE, Actor.ADMIN, "Mark cured"),
        T(G.SUSPENDED, "restore", G.ACTIVE, Actor.ADMIN, "Restore"),
        # Reinstating a revoked grant is a decision of its own, with its reason; nothing else undoes a revocation.
        T(G.REVOKED, "reinstate", G.ACTIVE, Actor.ADMIN, "Reinstate"),
        T(G.ACTIVE, "revoke", G.REVOKED, Actor.ADMIN, "Revoke"),
        T(G.AT_RISK, "revoke", G.REVOKED, Actor.ADMIN, "Revoke"),
        T(G.SUSPENDED, "revoke", G.REVOKED, Actor.ADMIN, "Revoke"),
        # A contract's intervention rule carried out, by the nightly evaluation or by the autonomy office
        # raising a flag, with the flag and its evaluation as evidence.
        T(G.ACTIVE, "put_at_risk", G.AT_RISK, Actor.RULE, "Put at risk under the contract"),
        T(G.ACTIVE, "suspend_by_rule", G.SUSPENDED, Actor.RULE, "Suspended under the contract"),
        T(G.AT_RISK, "suspend_by_rule", G.SUSPENDED, Actor.RULE, "Suspended under the contract"),
        T(G.ACTIVE, "revoke_by_rule", G.REVOKED, Actor.RULE, "Revoked under the contract"),
        T(G.AT_RISK, "revoke_by_rule", G.REVOKED, Actor.RULE, "Revoked under the contract"),
        T(G.SUSPENDED, "revoke_by_rule", G.REVOKED, Actor.RULE, "Revoked under the contract"),
        # The condition cleared before the cure period ended: the nightly evaluation returns the grant.
        T(G.AT_RISK, "cure_by_rule", G.ACTIVE, Actor.RULE, "Cured under the contract"),
        # An earned autonomy's criteria, re-checked by the nightly job: a lapse puts it at risk for the
        # cure period; met again within it, it is cured; still unmet when the period ends, suspended.
        T(G.ACTIVE, "criteria_lapse", G.AT_RISK, Actor.SYSTEM, "At risk: the earned criteria are no longer met"),
        T(G.AT_RISK, "criteria_cure", G.ACTIVE, Actor.SYSTEM, "Cured: the earned criteria are met again"),
        T(G.AT_RISK, "criteria_suspend", G.SUSPENDED, Actor.SYSTEM, "Suspended: the criteria were still unmet"),
        # The end of the term, reached by the nightly job.
        T(G.ACTIVE, "expire", G.EXPIRED, Actor.SYSTEM, "Expire"),
        T(G.AT_RISK, "expire", G.EXPIRED, Actor.SYSTEM, "Expire"),
        T(G.SUSPENDED, "expire", G.EXPIRED, Actor.SYSTEM, "Expire"),
    ],
)
