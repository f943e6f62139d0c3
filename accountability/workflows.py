"""The flag workflow as one table: (state, action) → (next state, who may).

A flag is a case the nightly evaluation opens when a contract's rule holds. People move it along:
the liaison acknowledges it, the principal answers with an improvement plan, the autonomy office
resolves it or raises it one rung of the ladder. Raising a rung keeps the case where it is (the
school still owes a remedy, now by a new deadline), so its entries lead back to the same state; the
nightly job raises an overdue flag the same way. `escalated` is a closed state no person's step
reaches; resolved and escalated flags take no steps.
"""

from accountability.models import FlagEvent, InterventionFlag
from accountability.models import FlagStatus as F
from core.workflows import Actor, Transition, Workflow

T = Transition
FLAG_WORKFLOW = Workflow(
    noun="flag",
    model=InterventionFlag,
    event_model=FlagEvent,
    transitions=[
        T(F.OPEN, "acknowledge", F.ACKNOWLEDGED, Actor.LIAISON, "Acknowledge"),
        T(F.OPEN, "submit_plan", F.PLAN_SUBMITTED, Actor.PRINCIPAL, "Submit an improvement plan"),
        T(F.ACKNOWLEDGED, "submit_plan", F.PLAN_SUBMITTED, Actor.PRINCIPAL, "Submit an improvement plan"),
        T(F.OPEN, "resolve", F.RESOLVED, Actor.ADMIN, "Resolve"),
        T(F.ACKNOWLEDGED, "resolve", F.RESOLVED, Actor.ADMIN, "Resolve"),
        T(F.PLAN_SUBMITTED, "resolve", F.RESOLVED, Actor.ADMIN, "Resolve"),
        T(F.OPEN, "escalate", F.OPEN, Actor.ADMIN, "Raise one level"),
        T(F.ACKNOWLEDGED, "escalate", F.ACKNOWLEDGED, Actor.ADMIN, "Raise one level"),
        T(F.PLAN_SUBMITTED, "escalate", F.PLAN_SUBMITTED, Actor.ADMIN, "Raise one level"),
    ],
)
