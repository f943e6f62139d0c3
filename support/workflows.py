"""The workflows of support, each as one table: (state, action) → (next state, who may).

Services move objects through core.workflows with these tables; pages and the API offer a person exactly
`person_steps_from(status)`. Who each actor kind is for these objects is answered by support.policies.
"""

from core.workflows import Actor, Transition, Workflow
from support.models import (
    NetworkRequest,
    NetworkRequestEvent,
    SupportRequest,
    SupportRequestEvent,
    SurveyCycle,
    SurveyEvent,
)
from support.models import NetworkRequestStatus as N
from support.models import SupportStatus as S
from support.models import SurveyStatus as V

T = Transition

# A school asks to join a network for a year; the autonomy office weighs capacity and fit.
NETWORK_REQUEST_WORKFLOW = Workflow(
    noun="network request",
    model=NetworkRequest,
    event_model=NetworkRequestEvent,
    transitions=[
        T(N.PENDING, "approve", N.APPROVED, Actor.ADMIN, "Approve"),
        T(N.PENDING, "decline", N.DECLINED, Actor.ADMIN, "Decline"),
        T(N.PENDING, "withdraw", N.WITHDRAWN, Actor.PRINCIPAL, "Withdraw"),
    ],
)

# A support request: the department it is routed to (Actor.REVIEWER: its staff, the assignee, the autonomy
# office standing in) answers, asks the school for something, or resolves it; the school answers, reopens a
# resolution it is not satisfied with, or closes the case with a rating.
SUPPORT_REQUEST_WORKFLOW = Workflow(
    noun="support request",
    model=SupportRequest,
    event_model=SupportRequestEvent,
    transitions=[
        T(S.OPEN, "wait", S.WAITING, Actor.REVIEWER, "Ask the school for more"),
        T(S.REOPENED, "wait", S.WAITING, Actor.REVIEWER, "Ask the school for more"),
        T(S.WAITING, "answer", S.OPEN, Actor.SCHOOL_STAFF, "Send the answer"),
        T(S.OPEN, "reassign", S.OPEN, Actor.REVIEWER, "Reassign"),
        T(S.WAITING, "reassign", S.WAITING, Actor.REVIEWER, "Reassign"),
        T(S.REOPENED, "reassign", S.REOPENED, Actor.REVIEWER, "Reassign"),
        T(S.OPEN, "resolve", S.RESOLVED, Actor.REVIEWER, "Mark resolved"),
        T(S.WAITING, "resolve", S.RESOLVED, Actor.REVIEWER, "Mark resolved"),
        T(S.REOPENED, "resolve", S.RESOLVED, Actor.REVIEWER, "Mark resolved"),
        T(S.RESOLVED, "reopen", S.REOPENED, Actor.SCHOOL_STAFF, "Reopen"),
        T(S.RESOLVED, "close", S.CLOSED, Actor.SCHOOL_STAFF, "Close and rate"),
    ],
)

# A survey cycle: the autonomy office opens it to answers and closes it; results appear once it closes.
SURVEY_WORKFLOW = Workflow(
    noun="survey cycle",
    model=SurveyCycle,
    event_model=SurveyEvent,
    transitions=[
        T(V.DRAFT, "open", V.OPEN, Actor.ADMIN, "Open for answers"),
        T(V.OPEN, "close", V.CLOSED, Actor.ADMIN, "Close"),
        T(V.OPEN, "close_on_date", V.CLOSED, Actor.SYSTEM, "Closed on its closing date"),
    ],
)
