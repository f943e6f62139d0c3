"""Load benchmark: the main pages under gunicorn + PostgreSQL, beside a trivial Django view.

    .venv/bin/python benchmarks/load.py            # ~3 minutes; see benchmarks/README.md

Each run recreates its own database (`sgs_bench`), migrates it, seeds `seed_demo --schools 2000`
(timed), collects static files, logs the page users in by writing sessions straight to the
database, serves the project with production settings on gunicorn (2 sync workers) and drives each
URL with wrk (16 connections, 30 s, after a short warm-up). It prints req/s and p50/p95/p99 for
every page next to the trivial view's, and the ratio of throughputs, which is what the aim is about.

Exits 1 if any response was not a 200 (a redirect to the login page would give fake-fast figures)
or if a page misses the aim; gunicorn is stopped on every way out.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RUN_DIR = BENCH_DIR / ".run"  # gunicorn log and raw wrk output of the last run (git-ignored)
PYTHON = PROJECT_DIR / ".venv" / "bin" / "python"
GUNICORN = PROJECT_DIR / ".venv" / "bin" / "gunicorn"

# The aim from the issue: every page p95 under 50 ms and at least a third of the trivial view's req/s.
AIM_P95_MS = 50.0
AIM_RATIO = 1 / 3


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    user: str | None  # logged in as this demo user; None = anonymous


BASELINE = Target("trivial view (baseline)", "/bench/trivial", None)

# Adding a page to the benchmark is one line here.
PAGES = [
    Target("principal home", "/schools/S0001/", "principal-s0001"),
    Target("district overview", "/schools/", "admin"),
    # Target("review queue", "/reviews/", "reviewer-finance"),  # once the review queue exists
]


@dataclass(frozen=True)
class Result:
    target: Target
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    bytes_per_response: float
    non200: int
    first_bad_status: int
    socket_errors: dict

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def main() -> int:
    args = _arguments()
    RUN_DIR.mkdir(exist_ok=True)
    env = _server_environment(args)
    _print_machine()

    if args.reuse_database:
        print(f"Reusing database {args.database} as it is (no seeding).")
    else:
        _database_recreate(args)
        _manage(env, "migrate", "--noinput", "-v", "0")
        started = time.monotonic()
        _manage(env, "seed_demo", "--schools", str(args.schools), "-v", "0", quiet=True)
        seed_seconds = time.monotonic() - started
        print(f"seed_demo --schools {args.schools}: {seed_seconds:.1f} s")
        _psql(args, "VACUUM ANALYZE", database=args.database)  # as autovacuum would, soon after a bulk load
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    _print_effective_settings(env)
    sessions = _sessions(env, [t.user for t in PAGES if t.user])

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = _gunicorn_start(env, port=port, workers=args.workers)
    try:
        _wait_until_serving(base_url + BASELINE.path, server)
        results = []
        for target in [BASELINE, *PAGES]:
            cookie = f"sessionid={sessions[target.user]}" if target.user else None
            size = _expect_200(base_url + target.path, cookie)
            print(f"\n{target.name}: GET {target.path} as {target.user or 'anonymous'} → 200, {size:,} bytes")
            _wrk(args, base_url + target.path, cookie, seconds=args.warmup, label=None)
            result = _wrk(args, base_url + target.path, cookie, seconds=args.duration, label=target)
            _expect_200(base_url + target.path, cookie)  # still logged in at the end
            print(f"  {result.rps:,.0f} req/s, p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms")
            results.append(result)
    finally:
        _gunicorn_stop(server)

    return _report(args, results)


# --- setup --------------------------------------------------------------------------------------
def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, no db")
    parser.add_argument("--database", default="sgs_bench", help="dropped and recreated on every run")
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16, help="wrk concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=30, help="seconds measured per URL")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unmeasured load per URL first")
    parser.add_argument("--reuse-database", action="store_true", help="skip drop/migrate/seed")
    return parser.parse_args()


def _server_environment(args) -> dict:
    env = dict(os.environ)
    env.pop("CELERY_BROKER_URL", None)  # no broker: the pages measured enqueue nothing
    env.update(
        DATABASE_URL=f"{args.postgres}/{args.database}",
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DEBUG="False",
        # Plain HTTP on 127.0.0.1: otherwise every request is a 301 to https.
        SECURE_SSL_REDIRECT="False",
        PYTHONPATH=str(PROJECT_DIR),
    )
    return env


def _print_machine() -> None:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = found.group(1) if found else ""
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()
    print(f"Machine: {os.cpu_count()} CPUs {model}; Python {platform.python_version()}; {wrk[0] if wrk else 'wrk'}")


def _psql(args, sql: str, *, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", f"{args.postgres}/{database}", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        check=True,
        timeout=120,
    )


def _database_recreate(args) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        raise SystemExit(f"Refusing to drop a database named {args.database!r}.")
    _psql(args, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    _psql(args, f"CREATE DATABASE {args.database}")


def _manage(env: dict, *command: str, quiet: bool = False) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", *command],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def _print_effective_settings(env: dict) -> None:
    """Show that what is served is the production configuration, not whatever the shell had."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "db = s.DATABASES['default']; "
        "loaders = json.dumps(s.TEMPLATES[0]['OPTIONS']['loaders']); "
        "print(f\"DEBUG={s.DEBUG} ENGINE={db['ENGINE']} NAME={db['NAME']} CONN_MAX_AGE={db['CONN_MAX_AGE']} "
        "CONN_HEALTH_CHECKS={db['CONN_HEALTH_CHECKS']} cached_templates={'cached.Loader' in loaders} "
        "SESSION_ENGINE={s.SESSION_ENGINE} CACHE={s.CACHES['default']['BACKEND']}\")"
    )
    out = subprocess.run([str(PYTHON), "-c", code], cwd=PROJECT_DIR, env=env, check=True, timeout=60,
                         capture_output=True, text=True).stdout.strip()
    print(f"Settings: {out}")
    if "DEBUG=False" not in out or "cached_templates=True" not in out:
        raise SystemExit("Not the production configuration: refusing to benchmark.")


def _sessions(env: dict, usernames: list[str]) -> dict[str, str]:
    out = subprocess.run(
        [str(PYTHON), "-m", "benchmarks.sessions", *sorted(set(usernames))],
        cwd=PROJECT_DIR, env=env, check=True, timeout=60, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- server -------------------------------------------------------------------------------------
def _gunicorn_start(env: dict, *, port: int, workers: int) -> subprocess.Popen:
    log = open(RUN_DIR / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    command = [
        str(GUNICORN), "sgs_portal.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--log-level", "warning",
    ]
    print(f"\nServing: {' '.join(command[1:])}")
    # Its own process group, so that stopping it stops its workers and nothing else.
    server = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    # A SIGTERM to this script (e.g. a timeout) must still reach the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return server


def _gunicorn_stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
    print("\ngunicorn stopped.")


def _wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {RUN_DIR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"gunicorn not serving after {timeout:.0f} s; see {RUN_DIR / 'gunicorn.log'}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx surfaces as an HTTPError instead of being followed


def _expect_200(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=10) as response:
            return len(response.read())
    except urllib.error.HTTPError as exc:
        where = exc.headers.get("Location", "")
        raise SystemExit(f"GET {url} → {exc.code} {where}: not benchmarking a page that is not a 200.") from None


# --- load ---------------------------------------------------------------------------------------
def _wrk(args, url: str, cookie: str | None, *, seconds: int, label: Target | None) -> Result | None:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency",
        "--timeout", "10s", "-s", str(BENCH_DIR / "report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    run = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    if label is None:
        return None  # warm-up: templates compiled, connections open, caches filled in both workers
    slug = re.sub(r"[^a-z0-9]+", "-", label.name.lower()).strip("-")
    (RUN_DIR / f"wrk-{slug}.txt").write_text(" ".join(command) + f" {url}\n\n" + run.stdout + run.stderr)
    found = re.search(r"^WRK_RESULT (\{.*\})$", run.stdout, re.MULTILINE)
    if run.returncode != 0 or not found:
        raise SystemExit(f"wrk failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    raw = json.loads(found.group(1))
    return Result(
        target=label,
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        bytes_per_response=raw["bytes"] / max(raw["requests"], 1),
        non200=raw["non200"],
        first_bad_status=raw["first_bad_status"],
        socket_errors={k[7:]: raw[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout")
                       if raw[k]},
    )


# --- report -------------------------------------------------------------------------------------
def _report(args, results: list[Result]) -> int:
    baseline = results[0]
    print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, gunicorn {args.workers} sync workers, "
          f"{args.schools} schools; aim: p95 < {AIM_P95_MS:.0f} ms and ≥ {AIM_RATIO:.2f} × trivial req/s\n")
    header = ["page", "user", "req/s", "p50 ms", "p95 ms", "p99 ms", "× trivial", "aim"]
    rows, failed = [], False
    for result in results:
        ratio = result.rps / baseline.rps
        if result.non200:
            verdict = f"FAIL: {result.non200} non-200 (e.g. {result.first_bad_status})"
            failed = True
        elif result is baseline:
            verdict = "baseline"
        elif result.p95_ms < AIM_P95_MS and ratio >= AIM_RATIO:
            verdict = "met"
        else:
            verdict = "MISSED"
            failed = True
        if result.socket_errors:
            verdict += f" (socket errors {result.socket_errors})"
        rows.append([
            result.target.name, result.target.user or "anonymous", f"{result.rps:,.0f}",
            f"{result.p50_ms:.1f}", f"{result.p95_ms:.1f}", f"{result.p99_ms:.1f}", f"{ratio:.2f}", verdict,
        ])
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        print("  ".join(cell.rjust(w) if 1 < i < 7 else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))))
    print("\nMarkdown:\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---"] * 2 + ["--:"] * 5 + ["---"]) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nRaw wrk output: {RUN_DIR}/wrk-*.txt")
    return 1 if failed else 0


if __name__ == "__main__":
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    sys.exit(main())
