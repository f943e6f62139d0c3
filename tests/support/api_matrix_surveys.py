"""The surveys API in the API's authorization matrix: {router URL name: [Call, …]} in the vocabulary of
tests/api/matrix_kit.py, and what the calls need added to the module's world (built once per module).

Cycles and their results are read by the office, the board, principals and a department's staff (the
world's finance reviewer is made finance staff): anyone else is refused the list (403) and each cycle
(404). Only a school's principal answers for it, asked before the body is read: the empty body is refused
(400); anyone else who sees the school 403; another school 404.
"""

from tests.api.matrix_kit import Call, on_object, post
from tests.matrix_kit import table
from tests.support.matrix_surveys import survey_world

READERS = table(anonymous=401, others=403, principal=200, reviewer=200, viewer=200, admin=200)
READ_ONE = table(anonymous=401, others=404, principal=200, reviewer=200, viewer=200, admin=200)


def cycle(state):
    return lambda world, own: {"pk": world["surveys"][state].pk}


def answer(world, own):
    return {"pk": world["surveys"]["open"].pk, "code": world["own" if own else "other"].code}


API = {
    "api:survey-cycle-list": [Call(READERS, per_school=False)],
    "api:survey-cycle-detail": [Call(READ_ONE, kwargs=cycle("closed"), per_school=False)],
    "api:survey-cycle-results": [Call(READ_ONE, kwargs=cycle("closed"), per_school=False)],
    "api:survey-cycle-answer": [post(on_object(principal=400), answer)],
}


def add_to_world(world: dict) -> None:
    """A draft, an open and a closed cycle, and finance staff (tests/support/matrix_surveys.py)."""
    survey_world(world)
