"""The caseloads API in the API's authorization matrix: {router URL name: [Call, …]} in the vocabulary of
tests/api/matrix_kit.py, and what the calls need added to the module's world (built once per module).

Caseloads: central office reads every liaison's, a liaison their own. The partnership log: the school's
principal, team and liaison and the autonomy office read its entries; reviewers and viewers do not. Only
liaisons and the office log a contact (an empty body is refused naming the fields); anyone else is 403.
"""

from tests.api.matrix_kit import SIGNED_IN, Call, post
from tests.matrix_kit import table
from tests.support.caseloads_world import caseloads_world


def liaison(world, own):
    return {"pk": world["caseloads"]["liaisons"][own].pk}


def entry(world, own):
    return {"pk": world["caseloads"]["entries"][own].pk}


CASELOAD = table(
    anonymous=401, no_role=404, principal=404, school_team=404, liaison=(200, 404), reviewer=200, viewer=200, admin=200
)
ENTRY = table(
    anonymous=401,
    no_role=404,
    principal=(200, 404),
    school_team=(200, 404),
    liaison=(200, 404),
    reviewer=404,
    viewer=404,
    admin=200,
)

API = {
    "api:caseload-list": [Call(SIGNED_IN)],
    "api:caseload-detail": [Call(CASELOAD, kwargs=liaison)],
    "api:partnership-entry-list": [Call(SIGNED_IN), post(table(anonymous=401, others=403, liaison=400, admin=400))],
    "api:partnership-entry-detail": [Call(ENTRY, kwargs=entry)],
}


def add_to_world(world: dict) -> None:
    """A second liaison holding the other school, and an entry in each school's log."""
    caseloads_world(world)
