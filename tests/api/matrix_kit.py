"""The vocabulary of the API's authorization matrix (tests/api/test_api_matrix.py and each app's part of
it, such as tests/support/api_matrix.py): a call and its expected status per role and school."""

from dataclasses import dataclass

from tests.matrix_kit import A, L, P, R, T, V, table

SIGNED_IN = table(anonymous=401, others=200)
ADMIN_ONLY = table(anonymous=401, others=403, admin=200)
ADMIN_WRITES = table(anonymous=401, others=403, admin=400)  # creating: only the autonomy office; {} is refused
# Budgeting's finance resources answer 404 to anyone else, as its pages do; the world's reviewer is finance.
FINANCE_ONLY = table(anonymous=401, others=404, reviewer=200, admin=200)


def on_object(*, school=403, central=403, **by_role):
    """An object of one school: 401 anonymous, 404 without a role and for the other school's objects to
    the school's own people; otherwise `school` for principal, team and liaison, `central` for reviewer,
    viewer and admin, unless `by_role` says otherwise for a role."""
    own = {role: by_role.get(role, school) for role in (P, T, L)}
    return table(
        anonymous=401,
        no_role=404,
        **{role: (status, 404) for role, status in own.items()},
        **{role: by_role.get(role, central) for role in (R, V, A)},
    )


VISIBLE = on_object(school=200, central=200)


@dataclass(frozen=True)
class Call:
    expect: object  # callable(role, own) -> status
    method: str = "get"
    kwargs: object = None  # callable(world, own) -> URL kwargs; None: one URL for both
    per_school: bool = True  # whether the object belongs to one school (own/other asked separately)


def one(kwargs):
    return Call(SIGNED_IN, kwargs=lambda world, own: kwargs, per_school=False)


def post(expect, kwargs=None):
    return Call(expect, method="post", kwargs=kwargs, per_school=kwargs is not None)
