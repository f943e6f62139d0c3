"""The flag workflow as one table: (state, action) → (next state, who may).

A flag is a case the nightly evaluation opens when a contract's rule holds. People move it along:
the liaison acknowledges it, the principal answers with an improvement plan, the autonomy office
resolves it or raises it one rung of the ladder. Raising a rung keeps the case where it is (the
school still owes a remedy, now by a new deadline), so its entries lead back to the same state.
`escalated` is a closed state no person's step reaches; resolved and escalated flags take no steps.
"""

from accountability.models import FlagStatus as F
from autonomy.workflows import ADMIN, PRINCIPAL, Transition

LIAISON = "liaison"  # the school's liaison (the autonomy office may stand in)

FLAG_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (F.OPEN, "acknowledge"): Transition(F.ACKNOWLEDGED, LIAISON, "Acknowledge"),
    (F.OPEN, "submit_plan"): Transition(F.PLAN_SUBMITTED, PRINCIPAL, "Submit an improvement plan"),
    (F.ACKNOWLEDGED, "submit_plan"): Transition(F.PLAN_SUBMITTED, PRINCIPAL, "Submit an improvement plan"),
    (F.OPEN, "resolve"): Transition(F.RESOLVED, ADMIN, "Resolve"),
    (F.ACKNOWLEDGED, "resolve"): Transition(F.RESOLVED, ADMIN, "Resolve"),
    (F.PLAN_SUBMITTED, "resolve"): Transition(F.RESOLVED, ADMIN, "Resolve"),
    (F.OPEN, "escalate"): Transition(F.OPEN, ADMIN, "Raise one level"),
    (F.ACKNOWLEDGED, "escalate"): Transition(F.ACKNOWLEDGED, ADMIN, "Raise one level"),
    (F.PLAN_SUBMITTED, "escalate"): Transition(F.PLAN_SUBMITTED, ADMIN, "Raise one level"),
}

FLAG_ACTIONS = ("acknowledge", "submit_plan", "resolve", "escalate")


def flag_transition(status: str, action: str) -> Transition | None:
    return FLAG_TRANSITIONS.get((status, action))


def flag_actor(action: str) -> str | None:
    """Who may take an action, whatever the state: each action has one kind of actor."""
    return next((t.who for (_, name), t in FLAG_TRANSITIONS.items() if name == action), None)
