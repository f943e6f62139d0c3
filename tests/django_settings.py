"""The project's settings for the test suite, which runs with DEBUG off as production does.

Settings refuse to start without SECRET_KEY when DEBUG is off, and pytest-django reads them before
any conftest is loaded, so the suite's own key is set here, before they are read. Everything else is
the project's settings unchanged.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-key-never-used-outside-tests-0123456789abcdefghijklmnop")

from sgs_portal.settings import *  # noqa: E402, F403
