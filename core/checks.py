"""Deploy checks: nothing that decides who a user is, or how often an address may call the API, is kept
in one process's memory when several gunicorn workers serve the site.

A cache in a worker's own memory (LocMem) or none at all (dummy) is fine on a developer's machine. In
production another worker cannot clear it: a logout or a removed membership would keep working on the
workers that did not serve it, and each worker would count API calls on its own.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Tags, register

CACHED_SESSION_ENGINES = {"django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"}


def cache_is_per_process(alias: str) -> bool:
    return isinstance(caches[alias], LocMemCache | DummyCache)


@register(Tags.caches, Tags.security, deploy=True)
def check_authentication_not_cached_per_process(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    if settings.SESSION_ENGINE in CACHED_SESSION_ENGINES and cache_is_per_process(settings.SESSION_CACHE_ALIAS):
        errors.append(
            Error(
                "Sessions are cached in each process's own memory: a logout would not be seen by the other workers.",
                hint="Set CACHE_URL to a shared cache (redis://…), or use django.contrib.sessions.backends.db.",
                id="core.E001",
            )
        )
    if settings.ROLES_CACHE_TIMEOUT and cache_is_per_process("default"):
        errors.append(
            Error(
                "Roles are cached in each process's own memory: a removed membership would keep working on the "
                "other workers until ROLES_CACHE_TIMEOUT.",
                hint="Set CACHE_URL to a shared cache (redis://…), or ROLES_CACHE_TIMEOUT = 0.",
                id="core.E002",
            )
        )
    if cache_is_per_process("default"):
        errors.append(
            Error(
                "No shared cache: each worker counts API calls on its own, so the per-token and per-address "
                "limits are multiplied by the number of workers, and sessions and roles are read from the "
                "database on every request.",
                hint="Set CACHE_URL=redis://host:6379/1 (the Redis the Celery broker uses will do).",
                id="core.E003",
            )
        )
    return errors
