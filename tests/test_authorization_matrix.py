"""Every URL of the project × every role × own/other school answers what its policy says.

The test enumerates the URL patterns itself: a new view that is not listed in PAGES (or matched by
the admin rule) fails the build until somebody states who may see it.
"""

from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from schools.models import Role, School
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

ROLES = [
    "anonymous",
    "no_role",
    Role.PRINCIPAL,
    Role.SCHOOL_TEAM,
    Role.LIAISON,
    Role.REVIEWER,
    Role.VIEWER,
    Role.ADMIN,
]
CENTRAL = {Role.REVIEWER, Role.VIEWER, Role.ADMIN}
LOGIN = 302  # anonymous users are sent to the login page


@dataclass(frozen=True)
class Page:
    """How to reach a page and what each role gets, for its own school's object and another's."""

    kwargs: object = None  # callable(school) -> kwargs, for pages about one school
    expect: object = None  # callable(role, own: bool) -> status
    method: str = "get"


def _school_page(role, own):
    if role == "anonymous":
        return LOGIN
    if role in CENTRAL:
        return 200
    if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON):
        return 200 if own else 404
    return 404


def _overview(role, own):
    if role == "anonymous":
        return LOGIN
    return 200 if role in CENTRAL | {Role.LIAISON} else 404


PAGES = {
    "home": Page(expect=lambda role, own: 200 if role == "no_role" else 302),
    "login": Page(expect=lambda role, own: 200 if role == "anonymous" else 302),
    "logout": Page(expect=lambda role, own: 405),  # logging out is a POST from the header form
    "healthz": Page(expect=lambda role, own: 200),
    "district_overview": Page(expect=_overview),
    "school_detail": Page(kwargs=lambda school: {"code": school.code}, expect=_school_page),
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


ALL_URLS = sorted({name: pattern for name, pattern in _walk(get_resolver().url_patterns)}.items())
ADMIN_URLS = [(name, pattern) for name, pattern in ALL_URLS if name.startswith("admin:")]
APP_URLS = [name for name, _ in ALL_URLS if not name.startswith("admin:")]


def test_every_url_is_in_the_matrix():
    unlisted = [name for name in APP_URLS if name not in PAGES]
    assert not unlisted, f"State who may see these pages in PAGES: {unlisted}"
    assert len(ADMIN_URLS) > 20


@pytest.fixture
def world(db):
    liaison = UserFactory(username="m-liaison")
    MembershipFactory(user=liaison, role=Role.LIAISON)
    own = SchoolFactory(liaison=liaison)
    other = SchoolFactory()
    users = {"liaison": liaison}
    for role in (Role.PRINCIPAL, Role.SCHOOL_TEAM):
        users[role] = MembershipFactory(role=role, school=own).user
    users[Role.REVIEWER] = MembershipFactory(role=Role.REVIEWER, function="finance").user
    users[Role.VIEWER] = MembershipFactory(role=Role.VIEWER).user
    users[Role.ADMIN] = MembershipFactory(
        role=Role.ADMIN, user=UserFactory(is_staff=True, is_superuser=True)
    ).user
    users["no_role"] = UserFactory()
    return own, other, users


def _client(role, users):
    client = Client()
    if role != "anonymous":
        client.force_login(
            users["liaison" if role == Role.LIAISON else role],
            backend="django.contrib.auth.backends.ModelBackend",
        )
    return client


def _app_cases():
    for name in APP_URLS:
        page = PAGES.get(name)
        scopes = (True, False) if page and page.kwargs else (True,)
        for own in scopes:
            for role in ROLES:
                yield pytest.param(name, role, own, id=f"{name}-{role}-{'own' if own else 'other'}")


@pytest.mark.parametrize(("name", "role", "own"), list(_app_cases()))
def test_app_pages(world, name, role, own):
    page = PAGES[name]
    own_school, other_school, users = world
    school = own_school if own else other_school
    url = reverse(name, kwargs=page.kwargs(school) if page.kwargs else None)
    response = getattr(_client(role, users), page.method)(url)
    assert response.status_code == page.expect(role, own), f"{role} {'own' if own else 'other'} {url}"
    if response.status_code == LOGIN and role == "anonymous":
        assert response.url.startswith(reverse("login")) or name in ("home", "login")


def _admin_kwargs(pattern):
    values = {
        "app_label": "schools",
        "object_id": "999999",
        "content_type_id": str(ContentType.objects.get_for_model(School).pk),
        "id": "999999",
    }
    return {key: values.get(key, "1") for key in pattern.pattern.regex.groupindex}


@pytest.mark.parametrize("name", [name for name, _ in ADMIN_URLS])
def test_admin_pages_are_for_staff_only(world, name):
    _, _, users = world
    url = reverse(name, kwargs=_admin_kwargs(dict(ADMIN_URLS)[name]))
    for role in ROLES:
        response = _client(role, users).get(url)
        if name == "admin:logout":
            # Logging out is a POST; a GET only sends the visitor back to the admin.
            assert response.status_code in (302, 405), (role, url)
        elif name == "admin:login":
            assert response.status_code == (302 if role == Role.ADMIN else 200), (role, url)
        elif role == Role.ADMIN:
            assert response.status_code in (200, 302, 403, 404), (role, url)
        else:
            assert response.status_code == 302, (role, url)
            assert response.url.startswith(reverse("admin:login")), (role, url)
