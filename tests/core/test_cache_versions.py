"""The versions cached fragments are kept under (core.versions): moved on by a change at once and again
after its commit, by core's hooks, and connected in every process that can send those hooks."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from autonomy.models import Autonomy, EligibilityCriterion
from core.hooks import GrantChange, grants_changed
from core.versions import NAMES, fragment, version_bump, version_get, versions_bump_all, versions_get, versions_key
from metrics.models import Metric
from tests.factories import NetworkFactory, SchoolFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bump_in_a_transaction_moves_the_version_now_and_again_after_the_commit():
    start = version_get("things")
    with transaction.atomic():
        version_bump("things")
        assert version_get("things") == start + 1
    assert version_get("things") == start + 2


def test_a_fragment_is_kept_until_its_version_moves(settings):
    settings.CACHE_FRAGMENTS = True
    built = []
    build = lambda: built.append(1) or len(built)  # noqa: E731
    assert fragment("counted", ("things",), ("2026-12-04",), build) == 1
    assert fragment("counted", ("things",), ("2026-12-04",), build) == 1
    assert fragment("counted", ("things",), ("2026-12-05",), build) == 2  # another day, another entry
    version_bump("things")
    assert fragment("counted", ("things",), ("2026-12-04",), build) == 3


def test_a_fragment_names_its_versions_read_in_one_round_trip(monkeypatch):
    from django.core.cache import cache

    version_bump("kept-a")
    version_bump("kept-a")
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or get_many(keys))
    versions = versions_get(("kept-a", "never-set"))
    assert versions == {"kept-a": version_get("kept-a"), "never-set": 1}
    assert len(reads) == 1
    assert versions_key("rows", ("kept-a", "never-set"), 7) == f"fragment:rows:kept-a{versions['kept-a']}.never-set1:7"


def test_without_a_shared_cache_nothing_is_kept(settings):
    settings.CACHE_FRAGMENTS = False
    built = []
    build = lambda: built.append(1) or len(built)  # noqa: E731
    assert fragment("counted", ("things",), (), build) == 1
    assert fragment("counted", ("things",), (), build) == 2


@pytest.mark.django_db
def test_grants_changed_moves_the_grants_version():
    """Sent as the grant services send it after commit (the other receivers look for a grant that is not there)."""
    start = version_get("grants")
    change = GrantChange(
        grant_id=1,
        school_id=1,
        autonomy_id=1,
        from_status="",
        to_status="active",
        on=datetime.date(2026, 12, 4),
        reason="test",
    )
    grants_changed.send(sender=None, changes=[change])
    assert version_get("grants") == start + 1


@pytest.mark.django_db
def test_saving_or_deleting_a_row_a_version_follows_moves_that_version():
    """core.versions.version_follows, as autonomy.signals and schools.signals call it: a save and a delete
    each move the version, for every model it follows, and move no other version."""
    autonomy, metric = Autonomy.objects.first(), Metric.objects.first()
    network = NetworkFactory()
    makers = [
        (
            "catalog",
            lambda: Autonomy.objects.create(
                code="new-entry", name="New entry", domain=autonomy.domain, model=autonomy.model
            ),
        ),
        (
            "catalog",
            lambda: EligibilityCriterion.objects.create(autonomy=autonomy, metric=metric, comparator=">=", threshold=1),
        ),
        ("catalog", lambda: Metric.objects.create(code="new-metric", name="New", unit="count", direction="up")),
        ("schools", lambda: NetworkFactory()),
        ("schools", lambda: SchoolFactory(network=network)),
    ]
    for name, make in makers:
        other = "schools" if name == "catalog" else "catalog"
        row = make()
        before, other_before = version_get(name), version_get(other)
        row.save()
        assert version_get(name) == before + 1, ("saved", type(row).__name__)
        row.delete()
        assert version_get(name) == before + 2, ("deleted", type(row).__name__)
        assert version_get(other) == other_before


def test_a_process_that_can_change_a_grant_has_the_receiver_connected():
    """A Celery worker or a command loads the apps, then the grant services that send the hook: the
    receiver that moves the version must be connected there too, not only where the views are loaded."""
    code = (
        "import django; django.setup()\n"
        "from autonomy.services import grants  # what sends grants_changed\n"
        "from core.hooks import grants_changed\n"
        "assert any(key[0] == 'core.versions.grants_changed' for key, *_ in grants_changed.receivers)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.django_settings"}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]


def test_every_version_the_code_names_is_one_of_the_versions_all_of_which_the_demo_moves():
    """A version named anywhere outside the tests is in core.versions.NAMES, so that moving them all (the demo
    district, loaded past every signal) leaves nothing kept from before."""
    named = set()
    for path in ROOT.rglob("*.py"):
        if {"tests", ".venv", "node_modules", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        text = path.read_text()
        named |= set(re.findall(r'version_(?:bump|get|follows)\("([a-z]+)"', text))
        for names in re.findall(r'fragment\(\s*"[a-z-]+",\s*\(([^)]*)\)', text):
            named |= set(re.findall(r'"([a-z]+)"', names))
    assert named and named <= set(NAMES), named - set(NAMES)
    before = {name: version_get(name) for name in NAMES}
    versions_bump_all()
    assert all(version_get(name) > before[name] for name in NAMES)
