"""Fixtures shared by the tests that start processes of their own (tests/core/test_two_workers.py,
tests/core/test_cache_two_processes.py)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """A SQLite file holding the migrated schema and the data migrations' rows, made once per test process
    and copied by each test that starts processes of its own: on SQLite, the suite's test database as
    migrated, before any test's rows; on another database, a file migrated in a subprocess, the slow part
    (half a minute), paid once rather than by every test."""
    database = tmp_path_factory.mktemp("migrated") / "portal.sqlite3"
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            connection.ensure_connection()
            with sqlite3.connect(database) as copy:
                connection.connection.backup(copy)
    else:
        env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.core.two_workers_settings",
            SECRET_KEY="migrated-sqlite-" + "k" * 50,
            DEBUG="false",
            DATABASE_URL=f"sqlite:///{database}",
            CELERY_BROKER_URL="",
        )
        env.pop("CACHE_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
        )
    return database
