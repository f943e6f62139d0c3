"""What every logged-in page costs the database before its own content, pinned: a warm request of the
floor (base.html alone, benchmarks/urls.py) reads the session's user and nothing else, whoever it is.

The session, the roles, the unread count and the navigation's markup come from the shared cache (the
suite's in-process cache stands for it, tests/django_settings.py). A page's own queries come on top.
"""

import pytest
from django.test import override_settings

from schools.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("benchmarks.urls")]

PEOPLE = [
    ("principal", Role.PRINCIPAL, ""),
    ("liaison", Role.LIAISON, ""),
    ("reviewer", Role.REVIEWER, "finance"),
    ("admin", Role.ADMIN, ""),
]


@pytest.mark.parametrize(("who", "role", "function"), PEOPLE, ids=[row[0] for row in PEOPLE])
def test_a_warm_floor_reads_the_user_and_nothing_else(
    who, role, function, school, make_member, client_for, django_assert_num_queries
):
    at = school if role == Role.PRINCIPAL else None
    client = client_for(make_member(role, school=at, function=function))
    assert client.get("/bench/floor").status_code == 200  # cold: roles, unread count, navigation cached
    with django_assert_num_queries(1) as captured:
        response = client.get("/bench/floor")
    assert response.status_code == 200 and b'<nav aria-label="Main">' in response.content
    assert "auth_user" in captured.captured_queries[0]["sql"]


def test_an_htmx_partial_does_not_read_the_roles_or_the_count(make_member, client_for, django_assert_num_queries):
    """The navigation and the count are lazy: a page that does not print them does not look them up."""
    client = client_for(make_member(Role.LIAISON))
    with override_settings(ROLES_CACHE_TIMEOUT=0):  # roles read from the database whenever they are used
        with django_assert_num_queries(1):  # the user; no membership, no notification count
            assert client.get("/bench/trivial").status_code == 200
