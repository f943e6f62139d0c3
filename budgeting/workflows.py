"""The workflows of budgeting, each as one table: (state, action) → (next state, who may).

Services move objects through core.workflows with these tables; nothing else decides whether a state may
change. Pages and the API offer a person exactly `person_steps_from(status)`.
"""

from budgeting.models import BudgetPlan, FormulaEvent, FormulaVersion, PlanEvent
from budgeting.models import FormulaStatus as F
from budgeting.models import PlanStatus as P
from core.workflows import Actor, Transition, Workflow

T = Transition

# A formula version: finance (Actor.REVIEWER, answered by budgeting.policies.can_manage_budgeting) edits a
# draft — each change a step of its own, so its event keeps what changed — and publishes it. Publishing
# supersedes the year's version in force in the same transaction; a published version is never edited.
FORMULA_WORKFLOW = Workflow(
    noun="formula version",
    model=FormulaVersion,
    event_model=FormulaEvent,
    transitions=[
        T(F.DRAFT, "edit", F.DRAFT, Actor.REVIEWER, "Change"),
        T(F.DRAFT, "publish", F.PUBLISHED, Actor.REVIEWER, "Publish"),
        T(F.PUBLISHED, "supersede", F.SUPERSEDED, Actor.RULE, "Replaced by a newer version"),
    ],
)

# A school's budget plan: the principal builds and submits it; the finance office returns it with a note
# or approves it. A true-up that leaves a submitted or approved plan over its new allocation sends it back
# (a step carried out by the release of the true-up, never offered on a page).
PLAN_WORKFLOW = Workflow(
    noun="budget plan",
    model=BudgetPlan,
    event_model=PlanEvent,
    transitions=[
        T(P.DRAFT, "submit", P.SUBMITTED, Actor.PRINCIPAL, "Submit for review"),
        T(P.RETURNED, "submit", P.SUBMITTED, Actor.PRINCIPAL, "Resubmit for review"),
        T(P.SUBMITTED, "return", P.RETURNED, Actor.REVIEWER, "Return for changes"),
        T(P.SUBMITTED, "approve", P.APPROVED, Actor.REVIEWER, "Approve"),
        T(P.SUBMITTED, "true_up_return", P.RETURNED, Actor.RULE, "Revision requested after a true-up"),
        T(P.APPROVED, "true_up_return", P.RETURNED, Actor.RULE, "Revision requested after a true-up"),
    ],
)
