"""The project's settings for the test suite, which runs with DEBUG off as production does.

Settings refuse to start without SECRET_KEY when DEBUG is off, and pytest-django reads them before
any conftest is loaded, so the suite's own key is set here, before they are read. The suite runs in
one process, so its in-process cache stands for production's shared Redis: sessions and roles are
cached as they are there, and the pinned query counts are production's. Everything else is the
project's settings unchanged (tests/core/test_two_workers.py runs them as they are, without a cache),
but for the password hasher: a fast one, here rather than in a fixture, so that the districts built once for a
module or a session (tests/world.py) do not spend a second of key stretching on each user they make.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-key-never-used-outside-tests-0123456789abcdefghijklmnop")

from sgs_portal.settings import *  # noqa: E402, F403

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROLES_CACHE_TIMEOUT = 300
