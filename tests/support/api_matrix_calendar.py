"""The calendar API in the API's authorization matrix: {router URL name: [Call, …]} in the vocabulary of
tests/api/matrix_kit.py, and what the calls need added to the module's world (built once per module).

Milestones are the district's: everyone with a role reads them alike (no own or other school); without a
role the list is refused (403) and a milestone is not found (404). Only the autonomy office writes: an
empty body is refused naming the fields (400); its deletion is taken (204, rolled back after each role).
"""

import datetime

from support.models import Milestone, MilestoneKind
from tests.api.matrix_kit import Call, post
from tests.matrix_kit import table

READ = table(anonymous=401, no_role=404, others=200)
OFFICE_WRITES = table(anonymous=401, no_role=404, others=403, admin=400)


def milestone_pk(world, own):
    return {"pk": world["milestone"].pk}


API = {
    "api:milestone-list": [
        Call(table(anonymous=401, no_role=403, others=200), per_school=False),
        post(table(anonymous=401, others=403, admin=400)),
    ],
    "api:milestone-detail": [
        Call(READ, kwargs=milestone_pk, per_school=False),
        Call(OFFICE_WRITES, method="put", kwargs=milestone_pk, per_school=False),
        # PATCH with nothing in it changes nothing: the milestone as it was.
        Call(
            table(anonymous=401, no_role=404, others=403, admin=200),
            method="patch",
            kwargs=milestone_pk,
            per_school=False,
        ),
        Call(
            table(anonymous=401, no_role=404, others=403, admin=204),
            method="delete",
            kwargs=milestone_pk,
            per_school=False,
        ),
    ],
}


def add_to_world(world: dict) -> None:
    """One milestone in the world's first school year."""
    year = world["contracts"][True].term_start
    world["milestone"] = Milestone.objects.create(
        school_year=year,
        kind=MilestoneKind.STAFFING_DEADLINE,
        title="Staffing plans due",
        on=datetime.date(2027, 4, 15),
    )
