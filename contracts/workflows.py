"""The contract workflow as one table: (state, action) → (next state, who may)."""

from autonomy.workflows import ADMIN, PRINCIPAL, SYSTEM, Transition
from contracts.models import ContractStatus as C

CONTRACT_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (C.DRAFT, "propose"): Transition(C.PROPOSED, ADMIN, "Propose to the school"),
    (C.PROPOSED, "sign"): Transition(C.SIGNED, PRINCIPAL, "Sign"),
    (C.SIGNED, "countersign"): Transition(C.ACTIVE, ADMIN, "Countersign"),
    # Changing a proposed or signed contract takes it back for a new signature.
    (C.PROPOSED, "revise"): Transition(C.PROPOSED, ADMIN, "Revise"),
    (C.SIGNED, "revise"): Transition(C.PROPOSED, ADMIN, "Revise"),
    (C.PROPOSED, "recall"): Transition(C.DRAFT, ADMIN, "Take back to draft"),
    (C.SIGNED, "recall"): Transition(C.DRAFT, ADMIN, "Take back to draft"),
    (C.ACTIVE, "supersede"): Transition(C.SUPERSEDED, SYSTEM, "Replaced by an amendment"),
    (C.ACTIVE, "expire"): Transition(C.EXPIRED, SYSTEM, "Expire"),
    (C.ACTIVE, "terminate"): Transition(C.TERMINATED, ADMIN, "Terminate"),
}


def contract_transition(status: str, action: str) -> Transition | None:
    return CONTRACT_TRANSITIONS.get((status, action))
