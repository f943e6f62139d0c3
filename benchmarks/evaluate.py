"""Nightly evaluation benchmark: `evaluate_benchmarks` on a large district, beside the floor PostgreSQL sets.

    .venv/bin/python -m benchmarks.evaluate [--schools 2000] [--rounds 3] [--reuse-database] [--profile]

Seeds its own database (`sgs_bench_eval`) with `seed_demo --schools N --years 8` (timed; 20 benchmarks
per contract above 100 schools), keeps a copy of it, and then, for each round, in one process that has
loaded the URL configuration first, as a worker process does when it starts (sgs_portal.celery):

1. restores the seeded database from the copy, so that every round's first run is a first run;
2. the floor: one `INSERT … SELECT … ON CONFLICT DO UPDATE` into a scratch table that computes every
   active benchmark's plain value-against-target result for the current period straight from the
   observations (met / not met / no data), run twice; the second, warm, time is the floor;
3. the first `evaluate_benchmarks` run as of today: wall time, SQL queries, rows written;
4. the second run of the same date: the same figures, where the aim is that it writes nothing but the
   run's own ledger row (`accountability_evaluationrun`, updated when the attempt starts and when it
   ends) and the record of the attempt (`accountability_evaluationattempt`).

Times are printed in seconds and as multiples of the floor measured in the same round; the summary
gives the median over the rounds. The aim (from the issue): the first run within 8× the floor for
2,000 schools, and under 30 s for 10,000. Exits 1 if a run is not `succeeded`, if the second run
writes to any other table, or if the engine and the floor disagree on a plain value benchmark.

Rows written are the changes in `n_tup_ins + n_tup_upd + n_tup_del` of pg_stat_user_tables over the
project's tables, read after forcing this backend's statistics out (`pg_stat_force_next_flush()`) and
clearing the snapshot. Queries are counted with a `connection.execute_wrapper` (one per statement
sent; a bulk insert of 5,000 rows is one; COPY is not seen). Notifications queue their emails in the
outbox table as in production; the task that sends them, which a worker runs after the evaluation,
is queued in memory and not run (Celery's `memory://` broker).
"""

import argparse
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import cpu_usage, server

AIM_FLOOR_MULTIPLE = 8  # the first run within 8× the floor (2,000 schools)
AIM_SECONDS = 30  # and a whole state's worth (10,000 schools) in under 30 s
SCRATCH = "bench_floor_result"
# What a second run of a date writes: its ledger row and a record of the attempt, kept whether or not it changed
# anything (accountability.models.EvaluationAttempt), so that a re-run is on the record.
LEDGER_TABLES = {"accountability_evaluationrun", "accountability_evaluationattempt"}

FLOOR_SQL = f"""
INSERT INTO {SCRATCH} (benchmark_id, period, status, value, target, evaluated_at)
SELECT b.id, y.label,
       CASE WHEN o.value IS NULL THEN 'no_data'
            WHEN CASE b.comparator WHEN '>=' THEN o.value >= b.target WHEN '>' THEN o.value > b.target
                                   WHEN '<=' THEN o.value <= b.target ELSE o.value < b.target END
            THEN 'met' ELSE 'not_met' END,
       o.value, b.target, now()
FROM schools_schoolyear y
JOIN contracts_performancecontract c ON c.status = 'active'
JOIN schools_schoolyear term_start ON term_start.id = c.term_start_id AND term_start.start_date <= y.start_date
JOIN schools_schoolyear term_end ON term_end.id = c.term_end_id AND term_end.start_date >= y.start_date
JOIN contracts_benchmark b ON b.contract_id = c.id
LEFT JOIN metrics_observation o ON o.school_id = c.school_id AND o.metric_id = b.metric_id AND o.period = y.label
WHERE y.start_date <= %(as_of)s AND y.end_date >= %(as_of)s
ON CONFLICT (benchmark_id, period) DO UPDATE
SET status = EXCLUDED.status, value = EXCLUDED.value, target = EXCLUDED.target, evaluated_at = EXCLUDED.evaluated_at
"""
SCRATCH_TABLE_SQL = f"""
DROP TABLE IF EXISTS {SCRATCH};
CREATE TABLE {SCRATCH} (
    benchmark_id integer NOT NULL,
    period varchar(7) NOT NULL,
    status varchar(8) NOT NULL,
    value numeric(14, 4),
    target numeric(14, 4) NOT NULL,
    evaluated_at timestamptz NOT NULL,
    PRIMARY KEY (benchmark_id, period)
)
"""
# The engine and the floor must agree on every plain value benchmark (no new-school exception).
DISAGREEMENT_SQL = f"""
SELECT count(*) FILTER (WHERE r.status IS DISTINCT FROM f.status), count(*)
FROM {SCRATCH} f
JOIN contracts_benchmark b ON b.id = f.benchmark_id AND b.kind = 'value' AND b.new_school_target IS NULL
LEFT JOIN accountability_benchmarkresult r ON r.benchmark_id = f.benchmark_id AND r.period = f.period
"""


@dataclass
class Measured:
    seconds: float
    queries: int
    rows: dict[str, int]  # rows written per table (inserted + updated + deleted)
    app_cpu: float  # this process's CPU seconds
    db_cpu: float  # its PostgreSQL backend's CPU seconds
    others: float  # share of the machine's CPUs other processes took meanwhile
    counts: dict = field(default_factory=dict)
    status: str = ""

    @property
    def rows_written(self) -> int:
        return sum(self.rows.values())


@dataclass
class Round:
    floor_cold: float
    floor: float
    floor_rows: int
    first: Measured
    second: Measured
    disagreements: tuple[int, int]


def main() -> int:
    args = _arguments()
    os.environ.update(server.server_environment(database_url=f"{args.postgres}/{args.database}"))
    # A worker sends the email outbox after the run: here its task is queued in memory and never run.
    os.environ.update(CELERY_BROKER_URL="memory://", EMAIL_URL="memorymail://")
    benchmarks = args.benchmarks or (7 if args.schools <= 100 else 20)  # seed_demo's default for the size
    snapshot = f"{args.database}_{args.schools}s_{args.years}y_{benchmarks}b_{args.seed}"
    _print_machine(args)
    if args.reuse_database and _database_exists(args.postgres, snapshot):
        print(f"Reusing the seeded copy {snapshot} (no seeding).")
    else:
        if args.reuse_database:
            print(f"No seeded copy {snapshot} yet: seeding.")
        _seed(args, benchmarks=benchmarks, snapshot=snapshot)

    import django

    django.setup()
    from django.utils import timezone

    from sgs_portal.celery import urls_load

    # The nightly run is a task in a worker (beat starts it at 02:00), and a worker loads the URL
    # configuration, with every view module it imports, as its process starts: so does this process, before
    # the rounds, so that every round measures the run as the worker runs it (else only the first round paid).
    urls_load()

    as_of = args.as_of or timezone.localdate()
    rounds = []
    for number in range(1, args.rounds + 1):
        _restore(args, snapshot)
        print(f"\nRound {number} of {args.rounds}, as of {as_of}:")
        _wait_until_quiet(args.quiet_wait)
        rounds.append(_round(as_of))
        _print_round(rounds[-1])
    if args.profile:
        _restore(args, snapshot)
        print(f"\nProfile (one more round, under cProfile, as of {as_of}):")
        _profile(as_of)
    return _report(args, rounds, benchmarks=benchmarks)


def _arguments() -> argparse.Namespace:
    parser = server.arguments_parser(
        __doc__, database="sgs_bench_eval", reuse_help="start from the seeded copy if there is one", wait_per="round"
    )
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--benchmarks", type=int, help="per contract (default: seed_demo's for the size)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=3, help="restore, floor, first and second run; median")
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default today)")
    parser.add_argument("--profile", action="store_true", help="one more round under cProfile: the top 15 functions")
    return parser.parse_args()


def _print_machine(args) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    version = _psql_value(args.postgres, "postgres", "SHOW server_version")
    print(
        f"Machine: {os.cpu_count()} CPUs ({cpu}), {memory / 2**20:.0f} GiB; Python {platform.python_version()}; "
        f"PostgreSQL {version}"
    )
    git = ["git", "-C", str(server.PROJECT_DIR)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
    if dirty.returncode:
        print("Code: not a git checkout")
    else:
        print(f"Code: {commit}" + (" with uncommitted changes" if dirty.stdout.strip() else ""))


# --- databases ----------------------------------------------------------------------------------
def _psql_value(postgres: str, database: str, sql: str) -> str:
    import psycopg

    with psycopg.connect(f"{postgres}/{database}", autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
    return "" if row is None else str(row[0])


def _database_exists(postgres: str, name: str) -> bool:
    return _psql_value(postgres, "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def _seed(args, *, benchmarks: int, snapshot: str) -> None:
    server.RUN_DIR.mkdir(exist_ok=True)
    env = dict(os.environ)
    server.database_recreate(postgres=args.postgres, name=args.database)
    server.manage(env, "migrate", "--noinput", "-v", "0")
    command = ["seed_demo", "--schools", str(args.schools), "--years", str(args.years)]
    command += ["--benchmarks", str(benchmarks), "--seed", str(args.seed)]
    started = time.monotonic()
    server.manage(env, *command, log="seed-evaluate.log")
    print(f"{' '.join(command)}: {time.monotonic() - started:.1f} s")
    # As autovacuum would do soon after a bulk load; without it the planner guesses row counts.
    server.psql(postgres=args.postgres, database=args.database, sql="VACUUM ANALYZE")
    _copy_database(args.postgres, source=args.database, target=snapshot)


def _copy_database(postgres: str, *, source: str, target: str) -> None:
    for name in (source, target):
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise SystemExit(f"Refusing a database named {name!r}.")
    server.psql(postgres=postgres, database="postgres", sql=f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
    server.psql(
        postgres=postgres, database="postgres", sql=f"CREATE DATABASE {target} TEMPLATE {source} STRATEGY FILE_COPY"
    )


def _restore(args, snapshot: str) -> None:
    """The seeded district again, as it was before any evaluation (a file copy of the seeded database)."""
    from django.db import connections

    connections.close_all()
    started = time.monotonic()
    _copy_database(args.postgres, source=snapshot, target=args.database)
    print(f"  (database restored from {snapshot} in {time.monotonic() - started:.1f} s)")


# --- one round ----------------------------------------------------------------------------------
def _wait_until_quiet(max_seconds: int) -> None:
    """The machine is shared: wait a while for other processes to calm down before measuring."""
    if max_seconds:
        waited, busy = cpu_usage.wait_until_quiet(max_seconds=max_seconds)
        print(f"  (waited {waited:.0f} s for other processes; the CPUs were {busy:.0%} busy at the start)")


def _round(as_of: datetime.date) -> Round:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SCRATCH_TABLE_SQL)
    floor_cold, _ = _floor(as_of)
    floor, floor_rows = _floor(as_of)
    first = _measure(lambda: _evaluate_benchmarks(as_of))
    second = _measure(lambda: _evaluate_benchmarks(as_of))
    with connection.cursor() as cursor:
        cursor.execute(DISAGREEMENT_SQL)
        disagreements = cursor.fetchone()
    return Round(floor_cold, floor, floor_rows, first, second, disagreements)


def _floor(as_of: datetime.date) -> tuple[float, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(FLOOR_SQL, {"as_of": as_of})
        return time.perf_counter() - started, cursor.rowcount


def _evaluate_benchmarks(as_of: datetime.date) -> tuple[dict, str]:
    """The nightly job as an operator runs it: the management command, its JSON summary."""
    from django.core.management import call_command

    from accountability.models import EvaluationRun

    out = io.StringIO()
    call_command("evaluate_benchmarks", "--as-of", as_of.isoformat(), "--json", stdout=out)
    return json.loads(out.getvalue()), EvaluationRun.objects.get(as_of=as_of).status


def _measure(work) -> Measured:
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    tables = _project_tables()
    written_before = _rows_written(tables)
    backend = _backend_pid()
    db_before = cpu_usage.process_cpu_seconds([backend]).get(backend, 0.0)
    app_before, busy_before = _self_cpu(), cpu_usage.machine_busy_seconds()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        counts, status = work()
    seconds = time.perf_counter() - started
    app_cpu = _self_cpu() - app_before
    db_cpu = cpu_usage.process_cpu_seconds([backend]).get(backend, 0.0) - db_before
    others = cpu_usage.machine_busy_seconds() - busy_before - app_cpu - db_cpu
    written_after = _rows_written(tables)
    rows = {t: written_after.get(t, 0) - written_before.get(t, 0) for t in tables}
    return Measured(
        seconds=seconds,
        queries=queries,
        rows={t: n for t, n in rows.items() if n},
        app_cpu=app_cpu,
        db_cpu=db_cpu,
        others=max(others, 0.0) / ((os.cpu_count() or 1) * seconds),
        counts=counts,
        status=status,
    )


def _project_tables() -> list[str]:
    from django.db import connection

    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _rows_written(tables: list[str]) -> dict[str, int]:
    """Rows inserted, updated and deleted so far per table, this backend's own counts flushed first."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")  # flushed when this statement's transaction ends
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [tables],
        )
        return dict(cursor.fetchall())


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _profile(as_of: datetime.date) -> None:
    for name in ("first run", "second run"):
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.runcall(_evaluate_benchmarks, as_of)
        print(f"\n{name}: {time.perf_counter() - started:.2f} s under cProfile")
        for order, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(15)
            lines = stream.getvalue().splitlines()
            start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
            print(f"top 15 by {title}:")
            print("\n".join(_short(line) for line in lines[start:] if line.strip()))


def _short(line: str) -> str:
    """A profile line with the virtualenv's and the project's directories left out of its file names."""
    for prefix in (
        f"{sys.prefix}/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages/",
        f"{server.PROJECT_DIR}/",
    ):
        line = line.replace(prefix, "")
    return line


# --- report -------------------------------------------------------------------------------------
def _print_round(r: Round) -> None:
    print(f"  floor: {r.floor_cold:.3f} s cold, {r.floor:.3f} s warm ({r.floor_rows:,} results)")
    for name, m in (("first run", r.first), ("second run", r.second)):
        written = ", ".join(f"{table} {n:,}" for table, n in sorted(m.rows.items())) or "none"
        print(
            f"  {name}: {m.seconds:.2f} s = {m.seconds / r.floor:.1f}× the floor; {m.queries} queries; "
            f"status {m.status}; CPU {m.app_cpu:.2f} s Python + {m.db_cpu:.2f} s PostgreSQL; "
            f"others took {m.others:.0%} of the CPUs"
        )
        print(f"    rows written: {m.rows_written:,} ({written})")
    counts = r.first.counts
    print("  first run's summary: " + ", ".join(f"{key} {value:,}" for key, value in counts.items()))
    print(f"  engine vs floor on plain value benchmarks: {r.disagreements[0]} of {r.disagreements[1]:,} differ")


def _report(args, rounds: list[Round], *, benchmarks: int) -> int:
    if not rounds:
        return 0

    def median(values):
        return statistics.median(values)

    floor = median(r.floor for r in rounds)
    first = median(r.first.seconds for r in rounds)
    second = median(r.second.seconds for r in rounds)
    first_ratio = median(r.first.seconds / r.floor for r in rounds)
    second_ratio = median(r.second.seconds / r.floor for r in rounds)
    print(f"\nMedian of {len(rounds)} rounds, {args.schools:,} schools × {args.years} years, {benchmarks} benchmarks:")
    print(f"  floor (INSERT … SELECT … ON CONFLICT DO UPDATE, warm): {floor:.3f} s")
    print(f"  first run:  {first:.2f} s, {first_ratio:.1f}× the floor, {rounds[0].first.queries} queries")
    print(
        f"  second run: {second:.2f} s, {second_ratio:.1f}× the floor, {rounds[0].second.queries} queries, "
        f"{median(r.second.rows_written for r in rounds):,.0f} rows written"
    )
    print(
        "\n| schools | results | floor s | first run s | × floor | queries | second run s | × floor | queries | rows |"
    )
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    print(
        f"| {args.schools:,} | {rounds[0].floor_rows:,} | {floor:.3f} | {first:.2f} | {first_ratio:.1f} "
        f"| {rounds[0].first.queries} | {second:.2f} | {second_ratio:.1f} | {rounds[0].second.queries} "
        f"| {median(r.second.rows_written for r in rounds):,.0f} |"
    )
    for aim, met in (
        (f"within {AIM_FLOOR_MULTIPLE}× the floor (the aim at 2,000 schools)", first_ratio <= AIM_FLOOR_MULTIPLE),
        (f"under {AIM_SECONDS} s (the aim at 10,000 schools)", first < AIM_SECONDS),
    ):
        print(f"The first run {aim}: {'yes' if met else 'no'}.")
    failed = [r for r in rounds if r.first.status != "succeeded" or r.second.status != "succeeded"]
    wrote = sorted({table for r in rounds for table in r.second.rows} - LEDGER_TABLES)
    wrong = [r for r in rounds if r.disagreements[0]]
    if wrote:
        print(f"The second run wrote to {', '.join(wrote)}: it should write nothing.", file=sys.stderr)
    if failed:
        print(f"A run ended {failed[0].first.status}/{failed[0].second.status}, not succeeded.", file=sys.stderr)
    if wrong:
        print("The engine and the floor disagree on plain value benchmarks.", file=sys.stderr)
    return 1 if failed or wrote or wrong else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
