"""The production settings as the processes of tests/core/test_cache_two_processes.py run them: those of
tests/core/two_workers_settings.py, with the shared cache's keys under a prefix of the run's own, so that
a run neither reads nor leaves behind anything another user of the same Redis keeps."""

import os

from tests.core.two_workers_settings import *  # noqa: F403

CACHES["default"]["KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"]  # noqa: F405
