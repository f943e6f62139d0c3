"""Production (DEBUG off) keeps nothing that decides who a user is in one process's memory.

Without a shared cache the settings read sessions from the database and roles once per request, and
`check --deploy` fails saying a shared cache is needed; with Redis both are cached there, and it passes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.checks import check_authentication_not_cached_per_process

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "sgs_portal.settings",
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "portal.district.example",
}
REDIS = "redis://127.0.0.1:6379/1"  # never connected to: neither the settings nor the checks touch it


def _run(code: list[str], **variables) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"CACHE_URL", "DEBUG", "SECRET_KEY"}}
    env.update(PRODUCTION, **variables)
    return subprocess.run(code, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _settings(**variables) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.SESSION_ENGINE, settings.ROLES_CACHE_TIMEOUT]))"
    )
    result = _run([sys.executable, "-c", code], **variables)
    assert result.returncode == 0, result.stderr
    engine, roles_timeout = json.loads(result.stdout)
    return {"sessions": engine.rsplit(".", 1)[-1], "roles_timeout": roles_timeout}


def test_without_a_shared_cache_sessions_live_in_the_database_and_roles_per_request():
    assert _settings() == {"sessions": "db", "roles_timeout": 0}


def test_with_redis_sessions_and_roles_are_cached_there():
    assert _settings(CACHE_URL=REDIS) == {"sessions": "cached_db", "roles_timeout": 300}


def test_check_deploy_fails_without_a_shared_cache_and_passes_with_one():
    deploy = [sys.executable, "manage.py", "check", "--deploy"]
    without = _run(deploy)
    assert without.returncode != 0
    assert "core.E003" in without.stderr and "Set CACHE_URL" in without.stderr
    with_redis = _run(deploy, CACHE_URL=REDIS)
    assert with_redis.returncode == 0, with_redis.stderr
    assert "core.E00" not in with_redis.stdout + with_redis.stderr


def _ids(settings) -> set[str]:
    return {error.id for error in check_authentication_not_cached_per_process(None)}


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SHARED = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}


@pytest.mark.parametrize(
    ("caches", "engine", "roles_timeout", "expected"),
    [
        (LOCMEM, "django.contrib.sessions.backends.db", 0, {"core.E003"}),
        (LOCMEM, "django.contrib.sessions.backends.cached_db", 0, {"core.E001", "core.E003"}),
        (LOCMEM, "django.contrib.sessions.backends.cache", 0, {"core.E001", "core.E003"}),
        (LOCMEM, "django.contrib.sessions.backends.db", 300, {"core.E002", "core.E003"}),
        (SHARED, "django.contrib.sessions.backends.cached_db", 300, set()),
        (SHARED, "django.contrib.sessions.backends.db", 0, set()),
    ],
)
def test_the_check_names_what_would_be_cached_per_process(settings, caches, engine, roles_timeout, expected):
    settings.CACHES, settings.SESSION_ENGINE, settings.ROLES_CACHE_TIMEOUT = caches, engine, roles_timeout
    assert _ids(settings) == expected


def test_a_developer_machine_may_cache_in_process(settings):
    settings.DEBUG = True
    settings.SESSION_ENGINE, settings.ROLES_CACHE_TIMEOUT = "django.contrib.sessions.backends.cached_db", 300
    assert _ids(settings) == set()
