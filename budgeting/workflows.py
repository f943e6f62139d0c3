"""The workflows of budgeting, each as one table: (state, action) → (next state, who may).

Services move objects through core.workflows with these tables; nothing else decides whether a state may
change. Pages and the API offer a person exactly `person_steps_from(status)`.
"""

from budgeting.models import FormulaEvent, FormulaVersion
from budgeting.models import FormulaStatus as F
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
