import pytest
from django.db import connection

from tests.factories import SchoolFactory

# Each import test runs through every way in the suite's database has: COPY needs PostgreSQL. "bulk copy" is
# COPY with every load counted as a large one: a first load goes straight into the empty table, a later one
# sets the table's constraints and indexes aside (import_postgres), as a million rows do.
METHODS = ["python", "copy", "bulk copy"] if connection.vendor == "postgresql" else ["python"]


@pytest.fixture
def schools(db):
    return SchoolFactory(code="S0001"), SchoolFactory(code="S0002")


@pytest.fixture(params=METHODS)
def method(request, db, monkeypatch):
    if request.param == "bulk copy":
        from metrics.services import import_postgres

        monkeypatch.setattr(import_postgres, "BULK_ROWS", 1)
        return "copy"
    return request.param
