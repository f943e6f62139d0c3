import itertools

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from accounts.services import api_token_create
from sgs_portal.celery import app as celery_app
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

# Fixtures through which a test reaches the database (pytest-django's, and the live server's).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "django_db_serialized_rollback"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the tests that never reach the database `no_database` (CI runs them on its PostgreSQL pass only:
    on SQLite they would run the same code again), and refuse a transactional test without serialized
    rollback: its closing flush re-creates content types and permissions under new keys (post_migrate), and the
    next test on the same worker that restores the serialized originals then fails on their unique
    natural keys. With serialized rollback every transactional test starts from the migrated rows.
    """
    for item in items:
        if not DATABASE_FIXTURES & set(item.fixturenames) and not any(item.iter_markers("django_db")):
            item.add_marker(pytest.mark.no_database)
        for marker in item.iter_markers("django_db"):
            if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
                raise pytest.UsageError(
                    f"{item.nodeid}: a transactional test needs serialized_rollback=True (see tests/conftest.py)"
                )


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Production settings, less what plain-HTTP tests cannot have (the fast hasher is in tests/django_settings.py)."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts and ends in the site's language: a page the test client asks for in Spanish leaves
    Spanish active in the thread (LocaleMiddleware activates a language and nothing deactivates it), and a
    later test on the same worker would read every lazy label in Spanish."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test's user ids are reused by the next (SQLite)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Tasks run eagerly in tests unless a test starts a real worker (tests/accountability/test_worker.py)."""
    celery_app.conf.task_always_eager = True
    yield


@pytest.fixture
def fragments(settings):
    """Pages keep fragments in the cache (core.versions) as in production: the suite's one process stands
    for workers sharing Redis."""
    settings.CACHE_FRAGMENTS = True


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit():` runs what the block scheduled for after commit (a version bumped again, a notice)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def other_school(db):
    return SchoolFactory()


@pytest.fixture
def client_for(db):
    """A logged-in test client for a user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def make_member(db):
    """A user holding one role; school roles at `school`, reviewers with a function."""

    def make(role: str, *, school=None, function: str = "", **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, role=role, school=school, function=function)
        return user

    return make


@pytest.fixture
def api_for(db):
    """An API client that sends a real token of the user's, created through the service."""
    numbers = itertools.count(1)

    def make(user) -> APIClient:
        _, raw = api_token_create(user=user, name=f"tests {next(numbers)}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make
