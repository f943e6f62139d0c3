"""The production settings as two gunicorn processes run them in tests/core/test_two_workers.py.

Only the static files differ, as in the rest of the suite (tests/conftest.py): the manifest storage would
need `collectstatic` first.
"""

from sgs_portal.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
