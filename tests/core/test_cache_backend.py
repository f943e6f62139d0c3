"""The shared cache's backend (core/cache.py): Django's Redis cache with one Redis client per connection pool.

Needs Redis at 127.0.0.1:6379 (the project's machines and CI run it): these tests fail, never skip, when it is
down. Each test keeps its keys under a prefix of its own in Redis database 4 and deletes them after.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from core.cache import RedisCache

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/4"


@pytest.fixture
def shared():
    cache = RedisCache(REDIS, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["a", "b", "c", "before", "child"])
    cache.close()


def test_every_call_uses_the_same_client(shared):
    first = shared._cache.get_client()
    shared.set("a", {"roles": ["principal"]})
    shared.set_many({"b": 2, "c": 3})
    assert shared.get("a") == {"roles": ["principal"]}
    assert shared.get_many(["b", "c", "missing"]) == {"b": 2, "c": 3}
    assert shared.incr("b") == 3
    shared.delete("a")
    assert shared.get("a") is None
    assert shared._cache.get_client(write=True) is first
    assert shared._cache.get_client("a") is first
    assert list(shared._cache._clients) == [id(shared._cache._get_connection_pool(False))]


def test_a_forked_worker_reads_and_writes_on_connections_of_its_own(shared):
    """gunicorn forks its workers from a process that may have used the cache: the kept client must not
    hand the child the parent's socket."""
    shared.set("before", "parent")
    pid = os.fork()
    if pid == 0:  # the child: any failure is its exit status
        ok = shared.get("before") == "parent" and shared.add("child", "wrote") and shared.get("child") == "wrote"
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert shared.get("child") == "wrote"
    assert shared.get("before") == "parent"


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        (REDIS, "core.cache.RedisCache"),
        ("locmemcache://", "django.core.cache.backends.locmem.LocMemCache"),
    ],
)
def test_settings_use_it_for_a_redis_cache_url(cache_url, backend):
    env = {**os.environ, "CACHE_URL": cache_url, "SECRET_KEY": "x", "DJANGO_SETTINGS_MODULE": "sgs_portal.settings"}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.SHARED_CACHE)"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [backend, str(backend == "core.cache.RedisCache")]
