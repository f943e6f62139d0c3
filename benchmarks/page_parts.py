"""Where each page of the load benchmark spends its time, in one process: templates, the rest of Python, the database.

    .venv/bin/python -m benchmarks.page_parts                       # the load benchmark's database, sgs_bench
    .venv/bin/python -m benchmarks.page_parts --requests 100 --only "contract page"

The load benchmark says how fast each page is under load; this says why. For every page of benchmarks/load.py
(and the logged-in floor) it serves the page to its user through Django's test Client with the benchmark's
settings (production's: DEBUG off, cached templates, persistent connections, the shared Redis cache), warm,
N times, and reads:
- the CPU time of this process per request (time.process_time), and the part of it spent drawing templates:
  from entering the page's outermost template to leaving it, and any template a view renders itself (what a
  template looks up lazily, as the navigation does, counts there too);
- the queries of a request, and the CPU time of the PostgreSQL backend serving them (from /proc).
It needs the database the load benchmark seeded (run that first, or `--database` another seeded one).
"""

import argparse
import os
import sys
import time
from dataclasses import dataclass

from benchmarks import server
from benchmarks.load import FLOOR, PAGES, Target


@dataclass
class Parts:
    cpu_ms: float
    template_ms: float
    queries: int
    db_ms: float


class _TemplateClock:
    """Time spent inside templates: the outermost Template.render of each call, nested renders counted once."""

    def __init__(self):
        from django.template import base

        self.seconds, self._depth, self._base = 0.0, 0, base
        self._render = base.Template.render
        clock = self

        def render(template, context):
            if clock._depth:
                return clock._render(template, context)
            clock._depth += 1
            started = time.process_time()
            try:
                return clock._render(template, context)
            finally:
                clock.seconds += time.process_time() - started
                clock._depth -= 1

        base.Template.render = render

    def close(self) -> None:
        self._base.Template.render = self._render


def _backend_cpu_seconds() -> float:
    """CPU time so far of the PostgreSQL backend serving this process's connection (user + system)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(client, path: str, requests: int, clock: _TemplateClock) -> Parts:
    from django.db import connection

    for _ in range(2):  # warm: templates, the shared cache, the connection
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}: refusing to measure it.")
    counted = []
    with connection.execute_wrapper(lambda execute, *args: counted.append(1) or execute(*args)):
        client.get(path)
    db_before = _backend_cpu_seconds()
    clock.seconds = 0.0
    started = time.process_time()
    for _ in range(requests):
        client.get(path)
    cpu = time.process_time() - started
    db = _backend_cpu_seconds() - db_before
    return Parts(cpu * 1000 / requests, clock.seconds * 1000 / requests, len(counted), db * 1000 / requests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sgs_bench", help="seeded by benchmarks.load")
    parser.add_argument("--cache-url", default=server.BENCHMARK_CACHE_URL, help="the shared cache (Redis)")
    parser.add_argument("--requests", type=int, default=50, help="warm requests measured per page")
    parser.add_argument("--only", action="append", default=[], help="a page's name in benchmarks/load.py")
    args = parser.parse_args()
    server.in_process_environment(postgres=args.postgres, database=args.database, cache_url=args.cache_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from benchmarks.prepare import object_paths, session_keys_for

    call_command("collectstatic", "--noinput", "-v", "0")  # the manifest {% static %} reads with DEBUG off
    targets: list[Target] = [t for t in [*PAGES, FLOOR] if t.user and (not args.only or t.name in args.only)]
    sessions = session_keys_for(sorted({t.user for t in targets}))
    paths = object_paths()
    clock = _TemplateClock()
    print(
        f"{args.requests} warm requests a page, one process, database {args.database}; load average "
        f"{os.getloadavg()[0]:.1f}\n"
    )
    print("| page | user | CPU ms/req | in templates | elsewhere in Python | queries | db CPU ms/req |")
    print("|:--|:--|--:|--:|--:|--:|--:|")
    try:
        for target in targets:
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[target.user]
            parts = _measure(client, target.path.format(**paths), args.requests, clock)
            print(
                f"| {target.name} | {target.user} | {parts.cpu_ms:.1f} | {parts.template_ms:.1f} | "
                f"{parts.cpu_ms - parts.template_ms:.1f} | {parts.queries} | {parts.db_ms:.1f} |"
            )
    finally:
        clock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
