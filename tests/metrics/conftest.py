import pytest
from django.db import connection

from tests.factories import SchoolFactory

# Each import test runs through every way in the suite's database has: COPY needs PostgreSQL.
METHODS = ["python", "copy"] if connection.vendor == "postgresql" else ["python"]


@pytest.fixture
def schools(db):
    return SchoolFactory(code="S0001"), SchoolFactory(code="S0002")


@pytest.fixture(params=METHODS)
def method(request, db):
    return request.param
