"""The requests API in the API's authorization matrix: {router URL name: [Call, …]} in the vocabulary of
tests/api/matrix_kit.py, and what the calls need added to the module's world (built once per module).

Each school's principal has asked finance a question (open, unassigned); the world's finance reviewer is
finance department staff. Steps are asked with an empty body: the role that may take the step is refused
naming the fields (400), a role that never takes it 403, someone who does not see the request 404."""

from tests.api.matrix_kit import SIGNED_IN, VISIBLE, Call, on_object, one, post
from tests.matrix_kit import table
from tests.support.matrix_requests import requests_matrix_world


def request_pk(world, own):
    return {"pk": world["support_requests"]["requests"][own].pk}


DEPARTMENT_STEP = on_object(reviewer=400, admin=400)  # the department and the office standing in
SCHOOL_STEP = on_object(principal=400, school_team=400)  # the school's principal and team

API = {
    "api:support-request-list": [
        Call(SIGNED_IN),
        post(table(anonymous=401, others=403, principal=400, school_team=400)),
    ],
    "api:support-request-detail": [Call(VISIBLE, kwargs=request_pk)],
    "api:support-request-wait": [post(DEPARTMENT_STEP, request_pk)],
    "api:support-request-reassign": [post(DEPARTMENT_STEP, request_pk)],
    "api:support-request-resolve": [post(DEPARTMENT_STEP, request_pk)],
    "api:support-request-answer": [post(SCHOOL_STEP, request_pk)],
    "api:support-request-reopen": [post(SCHOOL_STEP, request_pk)],
    "api:support-request-close": [post(SCHOOL_STEP, request_pk)],
    "api:support-request-messages": [
        post(on_object(principal=400, school_team=400, reviewer=400, admin=400), request_pk)
    ],
    "api:support-category-list": [Call(SIGNED_IN)],
    "api:support-category-detail": [one({"code": "matrix-budget"})],
}


def add_to_world(world: dict) -> None:
    requests_matrix_world(world)
