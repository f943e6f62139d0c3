"""What the benchmark serves: its own PostgreSQL database, seeded, and the project under gunicorn."""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RUN_DIR = BENCH_DIR / ".run"  # gunicorn log and raw wrk output of the last run (git-ignored)
PYTHON = PROJECT_DIR / ".venv" / "bin" / "python"
GUNICORN = PROJECT_DIR / ".venv" / "bin" / "gunicorn"


# A throwaway key for a local measurement (settings refuse to start without one when DEBUG is off).
BENCHMARK_SECRET_KEY = "benchmark-only-key-never-used-for-anything-served-0123456789abcdefghij"


# Redis on this machine, a database of its own (the broker uses 0; a run changes nothing anyone else reads).
BENCHMARK_CACHE_URL = "redis://127.0.0.1:6379/2"


def arguments_parser(description: str, *, database: str, wait_per: str, reuse_help: str) -> argparse.ArgumentParser:
    """The options every benchmark takes, each adding its own: the server and the benchmark's own database
    (named `database` unless told otherwise), the district's size, how long to wait for the machine to be
    quiet before each `wait_per`, and starting from what the last run left (`reuse_help` says what)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, no db")
    parser.add_argument("--database", default=database, help="dropped and recreated (see --reuse-database)")
    parser.add_argument("--schools", type=int, default=2000)
    wait_help = f"most seconds to wait for others' load per {wait_per}"
    parser.add_argument("--quiet-wait", type=int, default=60, help=wait_help)
    parser.add_argument("--reuse-database", action="store_true", help=reuse_help)
    return parser


def server_environment(*, database_url: str) -> dict:
    env = dict(os.environ)
    env.pop("CELERY_BROKER_URL", None)  # no broker: the pages measured enqueue nothing
    env.setdefault("SECRET_KEY", BENCHMARK_SECRET_KEY)  # DEBUG is off: the settings require a key
    # Production's shared cache: sessions, roles and the cached pages are shared by the workers, as there.
    # Without it each worker keeps its own memory, sessions and roles are read from the database on every
    # request, and the figures are not production's.
    env.setdefault("CACHE_URL", BENCHMARK_CACHE_URL)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DEBUG="False",
        SECURE_SSL_REDIRECT="False",  # plain HTTP on 127.0.0.1: otherwise every request is a 301
        PYTHONPATH=str(PROJECT_DIR),
    )
    return env


def in_process_environment(*, postgres: str, database: str, cache_url: str) -> None:
    """This process's environment for serving pages through Django's test Client with the benchmark's settings
    (floor_parts, page_parts): the server's, the shared cache given, the test Client's host allowed."""
    env = server_environment(database_url=f"{postgres}/{database}")
    env["CACHE_URL"] = cache_url
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.update(env)


# --- database -----------------------------------------------------------------------------------
def database_recreate(*, postgres: str, name: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Refusing to drop a database named {name!r}.")
    psql(postgres=postgres, database="postgres", sql=f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(postgres=postgres, database="postgres", sql=f"CREATE DATABASE {name}")


def psql(*, postgres: str, database: str, sql: str) -> None:
    subprocess.run(
        ["psql", f"{postgres}/{database}", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
        check=True,
        timeout=300,
    )


def manage(env: dict, *command: str, log: str | None = None) -> None:
    """Run a management command; with log, its output goes to .run/<log>, shown only if it fails."""
    if log is None:
        subprocess.run([str(PYTHON), "manage.py", *command], cwd=PROJECT_DIR, env=env, check=True, timeout=600)
        return
    with open(RUN_DIR / log, "w+") as out:
        run = subprocess.run(
            [str(PYTHON), "manage.py", *command], cwd=PROJECT_DIR, env=env, timeout=600, stdout=out, stderr=out
        )
        if run.returncode:
            out.seek(0)
            raise SystemExit(f"manage.py {' '.join(command)} failed ({run.returncode}):\n{out.read()[-3000:]}")


def prepare(env: dict, usernames: list[str]) -> tuple[dict, dict[str, str], dict[str, str]]:
    """The settings the server will load, a logged-in session key per user and the addresses of pages
    named by a row's key (benchmarks/prepare.py)."""
    run = subprocess.run(
        [str(PYTHON), "-m", "benchmarks.prepare", *sorted(set(usernames))],
        cwd=PROJECT_DIR,
        env=env,
        timeout=120,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        raise SystemExit(f"benchmarks.prepare failed ({run.returncode}):\n{run.stderr[-3000:]}")
    out = json.loads(run.stdout.strip().splitlines()[-1])
    return out["settings"], out["sessions"], out["paths"]


# --- gunicorn -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_start(env: dict, *, port: int, workers: int) -> subprocess.Popen:
    command = [GUNICORN, "sgs_portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    print(f"\nServing: gunicorn {' '.join(map(str, command[1:]))}")
    # A SIGTERM to the benchmark (e.g. a timeout) must still reach the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with open(RUN_DIR / "gunicorn.log", "w") as log:
        # Its own process group, so that stopping it stops its workers and nothing else.
        return subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def gunicorn_stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
    print("\ngunicorn stopped.")


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {RUN_DIR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit(f"gunicorn not serving after {timeout:.0f} s; see {RUN_DIR / 'gunicorn.log'}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx surfaces as an HTTPError instead of being followed


def expect_200(url: str, cookie: str | None) -> int:
    """Bytes of body of one GET, which must be a 200 and not a redirect (to the login page, say)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=10) as response:
            return len(response.read())
    except urllib.error.HTTPError as exc:
        where = exc.headers.get("Location", "")
        raise SystemExit(f"GET {url} → {exc.code} {where}: not benchmarking a page that is not a 200.") from None
