"""The contract workflow as one table: (state, action) → (next state, who may)."""

from contracts.models import ContractEvent, PerformanceContract
from contracts.models import ContractStatus as C
from core.workflows import Actor, Transition, Workflow

T = Transition
CONTRACT_WORKFLOW = Workflow(
    noun="contract",
    model=PerformanceContract,
    event_model=ContractEvent,
    transitions=[
        T(C.DRAFT, "propose", C.PROPOSED, Actor.ADMIN, "Propose to the school"),
        T(C.PROPOSED, "sign", C.SIGNED, Actor.PRINCIPAL, "Sign"),
        T(C.SIGNED, "countersign", C.ACTIVE, Actor.ADMIN, "Countersign"),
        # Changing a proposed or signed contract takes it back for a new signature.
        T(C.PROPOSED, "revise", C.PROPOSED, Actor.ADMIN, "Revise"),
        T(C.SIGNED, "revise", C.PROPOSED, Actor.ADMIN, "Revise"),
        T(C.PROPOSED, "recall", C.DRAFT, Actor.ADMIN, "Take back to draft"),
        T(C.SIGNED, "recall", C.DRAFT, Actor.ADMIN, "Take back to draft"),
        T(C.ACTIVE, "terminate", C.TERMINATED, Actor.ADMIN, "Terminate"),
        # Countersigning an amendment replaces the version in force.
        T(C.ACTIVE, "supersede", C.SUPERSEDED, Actor.RULE, "Replaced by an amendment"),
        T(C.ACTIVE, "expire", C.EXPIRED, Actor.SYSTEM, "Expire"),
    ],
)
