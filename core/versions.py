"""Versions of the data that cached pages show, kept in the shared cache and moved on by the changes
themselves: the one way a page cached for many people learns that what it shows has changed.

A fragment is kept under a key naming the versions it read (`versions_key`); a change bumps its version
(`version_bump`), once at the change and again after the commit, so that a request which read the old rows
in between cannot keep them under the new version. The old entries are never read again and expire on
their own. Never time alone: a timeout here only bounds what the cache holds.

A version lives in the shared cache (Redis in production), so a change in one worker or in a Celery task
is seen by the next request on any worker. With a cache in one process's own memory (a developer's
machine, the test suite) another process cannot see a bump; `fragments_shared()` says whether fragments
may be kept at all, and callers compute afresh when it says no.

Bumped here, by core's own hooks (core.hooks): "grants" on `grants_changed` (a grant issued or moved to
another status), "evaluation" on `evaluation_finished` (a run committed: the flags it opened, raised,
paused, resumed or marked cleared, written in bulk past any signal, are in it). Elsewhere: "catalog"
(autonomy.signals), "schools" (schools.signals, schools.roster.apply), "flags" by a person's step on a flag
(accountability.services.flags), "public" by what the public pages show (reports.cache). Every one of them
(NAMES) by the demo district, much of which is written in bulk, past these.
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from core.hooks import evaluation_finished, grants_changed

T = TypeVar("T")

FRAGMENT_TIMEOUT = 60 * 60  # seconds; a change moves the version at once, this only bounds the memory


# Every version there is: what any page kept for many people names.
NAMES = ("grants", "catalog", "schools", "flags", "evaluation", "public")


def _key(name: str) -> str:
    return f"version:{name}"


def version_get(name: str) -> int:
    version = cache.get(_key(name))
    if version is None:
        cache.add(_key(name), 1, timeout=None)
        version = cache.get(_key(name), 1)
    return version


def _bump_now(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # not set yet (or evicted): any new value differs from what fragments were kept under
        cache.set(_key(name), version_get(name) + 1, timeout=None)


def version_bump(name: str) -> None:
    """Move the version on now and again after the commit (at once only, outside a transaction)."""
    _bump_now(name)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(name))


def versions_bump_all() -> None:
    """Move every version: after a write that went past every signal and service (a demo district loaded in
    bulk), nothing kept from before may be shown."""
    for name in NAMES:
        version_bump(name)


def versions_get(names: tuple[str, ...]) -> dict[str, int]:
    """The current versions of `names`, read from the cache in one round trip (a page's fragment names up to
    five); one not set yet is started as version_get starts it."""
    found = cache.get_many([_key(name) for name in names])
    return {name: found.get(_key(name)) or version_get(name) for name in names}


def versions_key(prefix: str, names: tuple[str, ...], *parts) -> str:
    current = versions_get(names)
    versions = ".".join(f"{name}{current[name]}" for name in names)
    return ":".join(["fragment", prefix, versions, *map(str, parts)])


def fragments_shared() -> bool:
    """Whether fragments may be cached: only in a cache every worker shares (settings.SHARED_CACHE), where a
    bump is seen by all. The test suite turns it on over its in-process cache (one process)."""
    return getattr(settings, "CACHE_FRAGMENTS", settings.SHARED_CACHE)


def fragment(prefix: str, names: tuple[str, ...], parts: tuple, build: Callable[[], T]) -> T:
    """The value `build` returns, kept under the current versions of `names` (and `parts`, e.g. the day)
    and the active language: a fragment may hold words (a label, rendered markup) in the language it was
    built in, and a page in another language must not show them."""
    if not fragments_shared():
        return build()
    key = versions_key(prefix, names, *parts, get_language() or settings.LANGUAGE_CODE)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FRAGMENT_TIMEOUT)
    return value


def _grants_changed(**_kwargs) -> None:
    version_bump("grants")


def _evaluation_finished(**_kwargs) -> None:
    version_bump("evaluation")


grants_changed.connect(_grants_changed, dispatch_uid="core.versions.grants_changed")
evaluation_finished.connect(_evaluation_finished, dispatch_uid="core.versions.evaluation_finished")


def version_follows(name: str, *models) -> None:
    """Move version `name` whenever a row of one of `models` is saved or deleted one at a time (a page, the
    admin, a cascade). Bulk writes send no signal: whoever writes in bulk bumps the version itself."""

    def changed(sender, **kwargs) -> None:
        version_bump(name)

    for model in models:
        label = model._meta.label_lower
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{label}_saved_bumps_{name}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{label}_deleted_bumps_{name}")
