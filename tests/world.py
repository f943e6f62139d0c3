"""The authorization matrix's small district, built once for a whole test module.

tests/test_authorization_matrix.py builds its `world` (two schools — "own", where the principal, the
school team and the liaison work, and "other" — with a submitted request, a grant, an active contract
and an open flag at each, the evaluation run that opened the flags, and users of every role) for each
test. The API's matrix and the Schemathesis run ask hundreds of questions of the same district, so they
build it once per module inside a transaction that is rolled back at the end; each test runs in a
savepoint of it (pytest-django's `db`), so every test starts from the same district whatever the one
before it changed.
"""

import inspect
from contextlib import contextmanager

from django.db import transaction

from tests.test_authorization_matrix import world as _world_fixture

# The fixture's body as a plain function: the one definition of the district, shared.
build_world = inspect.unwrap(_world_fixture)


@contextmanager
def world_for_module(django_db_blocker):
    """Use in a module-scoped fixture that depends on `django_db_setup`; its tests must use `db`."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_world(None)
        finally:
            transaction.set_rollback(True)
