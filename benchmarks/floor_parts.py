"""What the logged-in floor costs, part by part: each middleware and context processor taken out in turn.

    .venv/bin/python -m benchmarks.floor_parts               # from the project root; ~2 minutes
    .venv/bin/python -m benchmarks.floor_parts --setup       # first: creates, migrates and seeds its database

One process, the benchmark's settings (benchmarks/settings.py: production's, DEBUG off, cached templates,
PostgreSQL with persistent connections, the shared Redis cache), Django's test Client. For each variant it
serves `/bench/floor` to a logged-in principal N times, warm, and reads the CPU time of this process
(time.process_time: the Python side, which other processes' load barely moves) and the queries of one
request. A part whose removal breaks the page (the session, the user) is reported as such, not timed.

Each variant is timed right after the whole floor, in pairs, round after round; a part's saving is the
median over the rounds of (floor − floor without it), so that a slow stretch of the machine, which moves
both halves of a pair alike, cancels. PostgreSQL's own CPU is not in these figures; the
queries column says what each part asks of it.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from benchmarks import server

DATABASE = "sgs_bench_floor"
PRINCIPAL = "principal-s0001"


# Why each part stays: what the product would lose without it.
KEPT_WHY = {
    "django.middleware.security.SecurityMiddleware": "kept: HSTS, nosniff, referrer policy, HTTPS redirect",
    "whitenoise.middleware.WhiteNoiseMiddleware": "kept: serves the static files (answers before the rest for them)",
    "django.contrib.sessions.middleware.SessionMiddleware": "kept: the login (read from the shared cache)",
    "django.middleware.locale.LocaleMiddleware": "kept: the public pages in English and Spanish",
    "accounts.language.RememberedLanguageMiddleware": "kept: the language a person chose, put back at sign-in",
    "django.middleware.common.CommonMiddleware": "kept: a URL missing its slash is redirected (APPEND_SLASH)",
    "django.middleware.csrf.CsrfViewMiddleware": "kept: every form's protection",
    "django.contrib.auth.middleware.AuthenticationMiddleware": "kept: request.user (the one query left)",
    "core.middleware.PrivateResponsesMiddleware": "kept: signed-in pages never stored by a browser or proxy",
    "django.contrib.messages.middleware.MessageMiddleware": "kept: the messages after a form is saved",
    "django.middleware.clickjacking.XFrameOptionsMiddleware": "kept: no framing (clickjacking)",
    "csp.middleware.CSPMiddleware": "kept: the content security policy",
    "django_htmx.middleware.HtmxMiddleware": "kept: request.htmx, the partials' switch",
    "axes.middleware.AxesMiddleware": "kept: login throttling",
    "django.template.context_processors.request": "kept: templates read request.path and the query",
    "django.contrib.auth.context_processors.auth": "kept: `user` in every template (without it the header is "
    "not drawn at all, which is most of what it seems to save)",
    "django.contrib.messages.context_processors.messages": "kept: lazy, costs nothing without messages",
    "csp.context_processors.nonce": "kept: lazy nonce for inline scripts",
    "sgs_portal.context_processors.navigation": "kept, made lazy and cached: the navigation and the unread count",
}


@dataclass(frozen=True)
class Variant:
    part: str
    kind: str  # "middleware", "context processor" or "" for everything
    overrides: dict


def _setup(args) -> None:
    """Recreate, migrate and seed the database (as the load benchmark does, under another name)."""
    server.RUN_DIR.mkdir(exist_ok=True)
    env = dict(os.environ)
    server.database_recreate(postgres=args.postgres, name=args.database)
    server.manage(env, "migrate", "--noinput", "-v", "0")
    server.manage(env, "seed_demo", "--schools", str(args.schools), log="floor-seed.log")
    server.psql(postgres=args.postgres, database=args.database, sql="VACUUM ANALYZE")


def _variants() -> list[Variant]:
    from django.conf import settings

    variants = [Variant("everything (the floor as served)", "", {})]
    for name in settings.MIDDLEWARE:
        kept = [m for m in settings.MIDDLEWARE if m != name]
        variants.append(Variant(name, "middleware", {"MIDDLEWARE": kept}))
    options = settings.TEMPLATES[0]["OPTIONS"]
    for name in options["context_processors"]:
        kept = [c for c in options["context_processors"] if c != name]
        template = {**settings.TEMPLATES[0], "OPTIONS": {**options, "context_processors": kept}}
        variants.append(Variant(name, "context processor", {"TEMPLATES": [template]}))
    return variants


def _client(session_key: str):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def _one(client, path: str) -> tuple[int, int, str]:
    """Status, queries and the SQL of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries), "\n".join(q["sql"][:160] for q in queries.captured_queries)


def _round(variant: Variant, session_key: str, path: str, requests: int) -> tuple[float | None, int, str]:
    """CPU ms per request (None when the page breaks without the part), queries, SQL or the refusal."""
    from django.test import override_settings

    with override_settings(**variant.overrides):
        client = _client(session_key)
        try:
            status, queries, sql = _one(client, path)  # warm: templates, caches, connection
            status, queries, sql = _one(client, path)
        except Exception as exc:  # noqa: BLE001 — a part the page cannot do without is reported, not timed
            return None, 0, f"breaks the page: {type(exc).__name__}: {str(exc)[:80]}"
        if status != 200:
            return None, queries, f"answers {status} (not logged in without it)"
        started = time.process_time()
        for _ in range(requests):
            client.get(path)
        return (time.process_time() - started) * 1000 / requests, queries, sql


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--cache-url", default=server.BENCHMARK_CACHE_URL, help="the shared cache (Redis)")
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100, help="requests per half pair per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--path", default="/bench/floor")
    parser.add_argument("--user", default=PRINCIPAL)
    parser.add_argument("--setup", action="store_true", help="recreate, migrate and seed the database first")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one warm request")
    args = parser.parse_args()
    server.in_process_environment(postgres=args.postgres, database=args.database, cache_url=args.cache_url)
    if args.setup:
        _setup(args)

    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.prepare import production_settings_summary, session_keys_for

    call_command("collectstatic", "--noinput", "-v", "0")  # the manifest {% static %} reads with DEBUG off
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()
    print(f"Code {commit}; {production_settings_summary()}; load average {load[0]:.1f}")
    session_key = session_keys_for([args.user])[args.user]

    variants = _variants()
    base, *parts = variants
    floor_ms: list[float] = []
    saved: dict[str, list[float]] = {v.part: [] for v in parts}
    notes: dict[str, tuple[int, str]] = {}
    for _ in range(args.rounds):
        for variant in parts:
            whole, queries, sql = _round(base, session_key, args.path, args.requests)
            notes[base.part] = (queries, sql)
            floor_ms.append(whole)
            ms, queries, sql = _round(variant, session_key, args.path, args.requests)
            notes[variant.part] = (queries, sql)
            if ms is not None:
                saved[variant.part].append(whole - ms)

    base_queries = notes[base.part][0]
    print(
        f"\nGET {args.path} as {args.user}: {statistics.median(floor_ms):.2f} ms CPU (median; "
        f"{min(floor_ms):.2f}–{max(floor_ms):.2f}), {base_queries} queries per warm request"
    )
    if args.show_queries:
        print(notes[base.part][1])
    print(
        f"({args.rounds} rounds of {args.requests} requests per half pair; load average now {os.getloadavg()[0]:.1f})\n"
    )
    print("| part | kind | ms per request saved | middle half of the pairs | queries saved | kept / why |")
    print("|:--|:--|--:|--:|--:|:--|")
    for variant in parts:
        queries, sql = notes[variant.part]
        why = KEPT_WHY.get(variant.part, "")
        if not saved[variant.part]:
            print(f"| `{variant.part}` | {variant.kind} | n/a | | n/a | {why}; without it {sql} |")
            continue
        pairs = sorted(saved[variant.part])
        low, high = pairs[len(pairs) // 4], pairs[(3 * len(pairs)) // 4]
        ms = statistics.median(pairs)
        row = [variant.part, variant.kind, f"{ms:.2f}", f"{low:.2f} to {high:.2f}", str(base_queries - queries), why]
        print("| `" + row[0] + "` | " + " | ".join(row[1:]) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
