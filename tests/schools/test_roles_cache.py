"""Roles are cached across requests only in a shared cache; otherwise read once per request."""

import pytest
from django.core.cache import cache

from schools.models import Role
from schools.policies import _roles_cache_key, roles_of

pytestmark = pytest.mark.django_db


def test_without_a_shared_cache_roles_are_read_once_per_request_and_never_cached(
    settings, school, make_member, django_assert_num_queries
):
    settings.ROLES_CACHE_TIMEOUT = 0  # as without CACHE_URL
    principal = make_member(Role.PRINCIPAL, school=school)
    with django_assert_num_queries(1):
        assert roles_of(principal).principal_of == {school.pk}
        assert roles_of(principal).school_ids == {school.pk}  # kept on the user object for the request
    assert cache.get(_roles_cache_key(principal.pk, False)) is None


def test_with_a_shared_cache_roles_are_kept_there_and_a_removed_membership_clears_them(
    settings, school, make_member, django_assert_num_queries
):
    settings.ROLES_CACHE_TIMEOUT = 300
    principal = make_member(Role.PRINCIPAL, school=school)
    roles_of(principal)
    assert cache.get(_roles_cache_key(principal.pk, False)).principal_of == {school.pk}
    principal.memberships.get().delete()
    assert cache.get(_roles_cache_key(principal.pk, False)) is None
    fresh = type(principal).objects.get(pk=principal.pk)  # the next request's user
    assert roles_of(fresh).school_ids == frozenset()
