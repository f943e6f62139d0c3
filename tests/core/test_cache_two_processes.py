"""Two processes serve the site sharing Redis, as production's workers do: a grant issued through the
autonomy services in a third process (a Celery task, a command) moves the grants' version in Redis, and the
district overview's cached totals and rows, the decision-rights matrix's rows, a school page's decision grid
and the catalog page are new on the next request to either worker; so are the flags list's rows after a
nightly run or a flag step.

Needs Redis at 127.0.0.1:6379 (the project's machines and CI run it): this test fails, never skips, when it
is down. Each run keeps its keys under a prefix of its own in Redis database 3 and deletes them after.
"""

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from tests.core.test_two_workers import Browser, _free_port, _manage, _wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/3"
SEED = """
from django.contrib.auth import get_user_model
from schools.models import Membership, School
admin = get_user_model().objects.create_user("office", password="correct-horse-battery")
Membership.objects.create(user=admin, role="admin")
for code in ("C0001", "C0002"):
    School.objects.create(code=code, name=f"Cache School {code}", grade_band="elementary", enrollment=300)
"""
ISSUE = """
import datetime
from autonomy.models import Autonomy
from autonomy.services import grants_issue
from schools.models import School
grants_issue(schools=School.objects.filter(code__in={codes!r}), autonomy=Autonomy.objects.get(code="people.hiring"),
             actor=None, reason="Pilot", starts_on=datetime.date(2026, 7, 1))
"""
BEHIND_THE_SERVICES = "from autonomy.models import AutonomyGrant; AutonomyGrant.objects.all().delete()"
FLAGGED = """
from django.contrib.auth import get_user_model
from tests.accountability.builders import ela_template, flagged_schools
(school, _), = flagged_schools(1, admin=get_user_model().objects.get(username="office"), template=ela_template())
print(school.code)
"""
RESOLVE = """
from django.contrib.auth import get_user_model
from accountability.models import InterventionFlag
from accountability.services import flag_resolve
flag_resolve(actor=get_user_model().objects.get(username="office"), flag_id=InterventionFlag.objects.get().pk,
             note="Results recovered.")
"""
CLEARED = """
import datetime
from schools.models import School
from accountability.services import evaluation_run
from tests.accountability.builders import AS_OF, observe
observe(School.objects.get(code={code!r}), "2026-27", 55)
evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))
"""
FLAG_BEHIND_THE_SERVICES = (
    "from accountability.models import InterventionFlag; InterventionFlag.objects.update(level=3)"
)


def _row_tags(browser: Browser, port: int, code: str) -> list[str]:
    """The decisions a school's row on the overview lists (its kept rows, for central office)."""
    status, page = browser.request(port, "GET", "/schools/")
    assert status == 200, page[:500]
    row = re.search(rf'<th scope="row"><a href="[^"]*/{code}/">.*?</tr>', page, re.S)[0]
    return re.findall(r'<li class="tag[^"]*"[^>]*>([^<]+)</li>', row)


def _held_today(browser: Browser, port: int) -> str:
    """What the catalog page says of who holds people.hiring today (kept for everyone)."""
    status, page = browser.request(port, "GET", "/catalog/")
    assert status == 200, page[:500]
    entry = page.split('href="/catalog/people.hiring/"', 1)[1]
    return re.search(r'<p class="held-today">(.*?)</p>', entry, re.S)[1]


def _matrix_cells(browser: Browser, port: int, code: str) -> list[str]:
    """The statuses of a school's cells on the decision-rights matrix (its kept rows, for central office)."""
    status, page = browser.request(port, "GET", "/grants/")
    assert status == 200, page[:500]
    row = re.search(rf'<th scope="row"><a href="[^"]*/{code}/grants/">.*?</tr>', page, re.S)[0]
    return re.findall(r'<td class="cell cell-([a-z_]+)">', row)


def _flag_row(browser: Browser, port: int, code: str) -> str:
    """A school's row on the flags list (its kept rows, for central office)."""
    status, page = browser.request(port, "GET", "/flags/")
    assert status == 200, page[:500]
    return re.search(rf'<tr>\s*<th scope="row">(?:(?!</tr>).)*<small class="code">{code}.*?</tr>', page, re.S)[0]


def _holding_any(browser: Browser, port: int) -> int:
    status, page = browser.request(port, "GET", "/schools/")
    assert status == 200, page[:500]
    return int(re.search(r'<span class="count">([\d,]+)</span> hold at least one decision', page)[1])


def _grid_held(browser: Browser, port: int, code: str) -> str:
    status, page = browser.request(port, "GET", f"/schools/{code}/")
    assert status == 200, page[:500]
    return re.search(r"Decisions this school holds: (\d+) of", page)[1]


@pytest.fixture
def two_workers_on_redis(tmp_path, db, migrated_sqlite):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    store = redis.Redis.from_url(REDIS)
    try:
        store.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is not running at {REDIS}: the cache shared by workers cannot be tested ({exc}).")
    database = tmp_path / "portal.sqlite3"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.core.cache_processes_settings",
        SECRET_KEY="cache-two-processes-" + "k" * 50,
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
        CACHE_URL=REDIS,
        CACHE_KEY_PREFIX=prefix,
        CELERY_BROKER_URL="",
    )
    shutil.copyfile(migrated_sqlite, database)
    _manage(env, SEED)
    ports = [_free_port(), _free_port()]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    processes = [
        subprocess.Popen(
            [gunicorn, "sgs_portal.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_until_serving(port, process)
        yield {"ports": ports, "env": env}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        keys = list(store.scan_iter(f"{prefix}:*"))
        if keys:
            store.delete(*keys)


def test_a_grant_issued_in_another_process_is_on_the_next_kept_pages_of_either_worker(two_workers_on_redis):
    a, b = two_workers_on_redis["ports"]
    env = two_workers_on_redis["env"]
    office = Browser()
    office.log_in(a, "office")
    assert _holding_any(office, a) == 0
    assert _holding_any(office, b) == 0  # kept in Redis by A, read by B

    assert _row_tags(office, a, "C0001") == [] and "No school holds it" in _held_today(office, a)
    assert "active" not in _matrix_cells(office, b, "C0001")
    assert _grid_held(office, a, "C0001") == "0"  # the school page's grid, kept by A
    _manage(env, ISSUE.format(codes=["C0001"]))
    assert _grid_held(office, b, "C0001") == "1"
    assert _holding_any(office, b) == 1
    assert _holding_any(office, a) == 1
    assert _row_tags(office, a, "C0001") == ["Hire and dismiss staff"]  # the rows A kept are not read again
    assert _row_tags(office, b, "C0001") == ["Hire and dismiss staff"]
    assert "<strong>1 school</strong>" in _held_today(office, a)
    assert "<strong>1 school</strong>" in _held_today(office, b)
    assert _matrix_cells(office, a, "C0001").count("active") == 1  # the matrix B kept is not read again
    assert _matrix_cells(office, b, "C0001").count("active") == 1

    _manage(env, BEHIND_THE_SERVICES)  # no hook, no new version: both workers still show the kept figure
    assert _holding_any(office, b) == 1
    assert _holding_any(office, a) == 1
    assert _matrix_cells(office, a, "C0001").count("active") == 1
    assert _grid_held(office, a, "C0001") == "1"  # the grid B kept

    _manage(env, ISSUE.format(codes=["C0001", "C0002"]))
    assert _holding_any(office, a) == 2  # read afresh
    assert _holding_any(office, b) == 2


def test_a_nightly_run_and_a_flag_step_in_another_process_are_on_the_next_kept_flags_list(two_workers_on_redis):
    a, b = two_workers_on_redis["ports"]
    env = two_workers_on_redis["env"]
    office = Browser()
    office.log_in(a, "office")
    status, page = office.request(b, "GET", "/flags/")
    assert status == 200 and "No flag matches" in page

    code = _manage(env, FLAGGED).split()[-1]  # a nightly run committed in a third process opens the flag
    assert "flag-status-open" in _flag_row(office, a, code)
    assert "flag-status-open" in _flag_row(office, b, code)

    _manage(env, FLAG_BEHIND_THE_SERVICES)  # no step, no run: both workers still show the kept rows
    assert "level-1" in _flag_row(office, a, code)
    assert "level-1" in _flag_row(office, b, code)

    _manage(env, CLEARED.format(code=code))  # the next night's run finds the benchmark met
    assert "Cleared" in _flag_row(office, a, code) and "level-3" in _flag_row(office, a, code)  # read afresh
    assert "Cleared" in _flag_row(office, b, code)

    _manage(env, RESOLVE)
    assert "flag-status-resolved" in _flag_row(office, b, code)
    assert "flag-status-resolved" in _flag_row(office, a, code)
