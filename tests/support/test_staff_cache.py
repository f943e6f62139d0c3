"""A person's departments are kept in the shared cache and forgotten when a department row changes."""

import pytest
from django.contrib.auth import get_user_model

from support.models import DepartmentStaff
from support.policies.staff import departments_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as the next request loads it: nothing kept on the object."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_second_request_reads_the_departments_from_the_cache(django_assert_num_queries):
    user = UserFactory()
    DepartmentStaff.objects.create(user=user, department="finance")
    assert departments_of(_fresh(user)) == {"finance": False}
    fresh = _fresh(user)
    with django_assert_num_queries(0):
        assert departments_of(fresh) == {"finance": False}


def test_a_row_added_changed_or_removed_is_seen_on_the_next_request():
    user = UserFactory()
    assert departments_of(_fresh(user)) == {}
    row = DepartmentStaff.objects.create(user=user, department="hr")
    assert departments_of(_fresh(user)) == {"hr": False}
    row.is_head = True
    row.save()
    assert departments_of(_fresh(user)) == {"hr": True}
    row.delete()
    assert departments_of(_fresh(user)) == {}
