"""A worker killed in the middle of the nightly run loses nothing: the task comes back, the run completes,
and the tables equal those of a clean run of the same data — no duplicate flag, event, notification or
email. A run whose attempts keep dying ends failed, visibly, instead of coming back forever.

These start a real Celery worker (prefork pool, one child) on Redis against the test database, with a
short visibility timeout, and kill it with SIGKILL. PostgreSQL and Redis only; in CI they must run.
"""

import datetime
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction

from accountability.models import BenchmarkResult, EvaluationRun, FlagEvent, InterventionFlag, RunStatus
from accountability.services import evaluation_run
from accountability.tasks import evaluate_benchmarks_nightly
from autonomy.models import Autonomy, AutonomyGrant, GrantEvent
from autonomy.services import grants_issue
from contracts.models import ContractTemplate, TemplateBenchmark, TemplateRule
from contracts.services import contract_countersign, contract_create_from_template, contract_propose, contract_sign
from core.models import Notification, OutboxEmail, OutboxStatus
from metrics.models import Metric, Observation
from schools.models import Role
from sgs_portal.celery import app
from tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory, UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
# Large enough that a run takes a few seconds, so that it can be killed in its middle (the tests check
# that it was); small enough to build quickly.
SCHOOLS = 30
# The worker's limits, far below production's: a lost task comes back after VISIBILITY seconds.
WORKER_LIMITS = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "12",
    "CELERY_TASK_TIME_LIMIT": "14",
    "CELERY_VISIBILITY_TIMEOUT": "16",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    "EVALUATION_LOCK_WAIT": "10",
}
WAIT = 90  # seconds: the bound of every wait below; a test that reaches it fails

AS_OF = datetime.date(2026, 11, 1)
PERIODS = ["2022-23", "2023-24", "2024-25", "2025-26", "2026-27"]
HIGHER = [
    "ela_proficiency",
    "math_proficiency",
    "graduation_rate",
    "growth_percentile",
    "family_satisfaction",
    "teacher_retention",
]


def _contract_template() -> ContractTemplate:
    """Every kind of benchmark on six metrics, a binding one on vacancies, and rules of every condition."""
    template = ContractTemplate.objects.create(name="Large district")
    position = 0
    for code in HIGHER:
        metric = Metric.objects.get(code=code)
        for kind, periods, target in (("value", 1, 55), ("aggregate", 3, 55), ("trend", 3, 0), ("relative", 1, 40)):
            TemplateBenchmark.objects.create(
                template=template,
                position=position,
                key=f"{code.replace('_', '-')}-{kind}",
                metric=metric,
                kind=kind,
                comparator=">=",
                periods=periods,
                target_mode="fixed",
                target_value=target,
            )
            position += 1
    TemplateBenchmark.objects.create(
        template=template,
        position=position,
        key="vacancies",
        metric=Metric.objects.get(code="teacher_vacancies_first_day"),
        kind="value",
        comparator="<=",
        target_mode="fixed",
        target_value=3,
        binding_autonomy=Autonomy.objects.get(code="people.hiring"),
    )
    rules = [
        dict(key="several-missed", condition="n_missed", count=4, level=1, deadline_days=30),
        dict(
            key="ela-twice",
            condition="k_in_a_row",
            count=2,
            level=2,
            deadline_days=30,
            benchmark_key="ela-proficiency-value",
        ),
        dict(key="no-data", condition="no_data", count=1, level=1, deadline_days=30),
        dict(key="vacancies", condition="binding_missed", count=1, level=4, deadline_days=30),
    ]
    for i, fields in enumerate(rules):
        TemplateRule.objects.create(
            template=template, position=i, remedy="Submit a plan.", provision=f"5.{i}", **fields
        )
    return template


def build_district(schools: int, *, seed: int = 7) -> None:
    """`schools` schools with a principal, a liaison, the hiring autonomy and an active contract, and five
    years of data drawn at random (some missing): a run flags many schools at several rungs, puts a few
    hiring autonomies at risk, and writes results for every benchmark and period."""
    rng = random.Random(seed)
    years = [
        SchoolYearFactory(
            label=f"{start}-{(start + 1) % 100:02d}",
            start_date=datetime.date(start, 7, 1),
            end_date=datetime.date(start + 1, 6, 30),
            first_day=datetime.date(start, 8, 17),
        )
        for start in range(2022, 2028)
    ]
    admin = MembershipFactory(role=Role.ADMIN).user
    liaison = UserFactory()
    template = _contract_template()
    made = [SchoolFactory(liaison=liaison) for _ in range(schools)]
    grants_issue(
        schools=made,
        autonomy=Autonomy.objects.get(code="people.hiring"),
        actor=admin,
        reason="Pilot cohort.",
        starts_on=datetime.date(2026, 7, 1),
    )
    metrics = {m.code: m for m in Metric.objects.filter(code__in=[*HIGHER, "teacher_vacancies_first_day"])}
    rows = []
    for school in made:
        for code, metric in metrics.items():
            level = rng.uniform(35, 80)
            for period in PERIODS:
                if rng.random() < 0.03:
                    continue  # a missing value
                if code == "teacher_vacancies_first_day":
                    value = 6 if rng.random() < 0.04 else rng.randint(0, 3)
                else:
                    level += rng.uniform(-6, 6)
                    value = round(min(max(level, 0), 100), 1)
                rows.append(Observation(school=school, metric=metric, period=period, value=Decimal(str(value))))
    Observation.objects.bulk_create(rows)
    # A term from 2022-23: a run evaluates every benchmark for each of the five periods so far.
    for school in made:
        principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
        contract = contract_create_from_template(
            actor=admin, school=school, template=template, term_start=years[0], term_end=years[-1]
        )
        contract_propose(actor=admin, contract_id=contract.pk)
        contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
        contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery")


# --- the worker -----------------------------------------------------------------------------------


class Worker:
    """`celery worker --pool=prefork --concurrency=1` on its own queue, in its own process group."""

    def __init__(self, *, queue: str, log: Path):
        database = connection.settings_dict
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "CELERY_TASK_DEFAULT_QUEUE": queue,  # the emails the run queues are sent by this worker too
            **WORKER_LIMITS,
        }
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "sgs_portal",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "-Q",
                    queue,
                    "-n",
                    f"{queue}-{uuid.uuid4().hex[:4]}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def pool_child(self) -> int:
        """The pid of the pool process running tasks (the master's only child)."""
        children = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            children += [int(pid) for pid in (task / "children").read_text().split()]
        assert len(children) == 1, f"expected one pool process, found {children}"
        return children[0]

    def kill_pool_child(self) -> int:
        child = self.pool_child()
        os.kill(child, signal.SIGKILL)
        return child

    def kill_all(self) -> None:
        """The whole worker at once, master and pool, as a lost machine would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


@pytest.fixture
def workers(tmp_path):
    """Start workers on one fresh queue; all are stopped at the end, and their log is shown on failure."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker or connection.vendor != "postgresql":
        reason = "needs CELERY_BROKER_URL (Redis) and a PostgreSQL DATABASE_URL"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the killed-worker tests: they {reason}.")
        pytest.skip(reason)
    queue = f"test-killed-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    started: list[Worker] = []

    def start() -> Worker:
        app.conf.task_always_eager = False  # from now on, tasks go to the broker
        worker = Worker(queue=queue, log=log)
        started.append(worker)
        return worker

    start.queue = queue
    start.log = log
    start.redis = redis.Redis.from_url(broker)
    try:
        yield start
    finally:
        app.conf.task_always_eager = True
        for worker in started:
            worker.stop()
        start.redis.delete(queue)
        for tag, payload in start.redis.hgetall("unacked").items():  # left by a test that failed midway
            if json.loads(payload)[-1] == queue:
                start.redis.hdel("unacked", tag)
                start.redis.zrem("unacked_index", tag)
        if log.exists():
            sys.stdout.write(f"\n--- worker log ---\n{log.read_text()[-6000:]}\n")


def _wait_for(what: str, condition, *, timeout: float = WAIT, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"Gave up after {timeout:.0f} s waiting for {what}.")


def _run_row() -> EvaluationRun | None:
    return EvaluationRun.objects.filter(as_of=AS_OF).first()


def _writing_results() -> bool:
    """The run's transaction is under way and has written results (another session holds a row lock on
    the results table), so it is in the middle of its work, not before it nor committed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE relation = %s::regclass AND mode = 'RowExclusiveLock' "
            "AND pid <> pg_backend_pid() "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [BenchmarkResult._meta.db_table],
        )
        return cursor.fetchone()[0] > 0


def _kill_mid_run(worker: Worker, *, attempt: int) -> None:
    """Wait until attempt `attempt` is recorded and in the middle of its work, then SIGKILL the pool child."""
    _wait_for(
        f"attempt {attempt} to start",
        lambda: (run := _run_row()) is not None and run.status == RunStatus.RUNNING and run.attempts == attempt,
    )
    _wait_for(f"attempt {attempt} to write results", _writing_results, every=0.005)
    worker.kill_pool_child()


def _killed_mid_run(*, attempt: int) -> None:
    """The attempt that was killed did not finish: nothing of it was committed."""
    run = _run_row()
    assert (run.status, run.attempts) == (RunStatus.RUNNING, attempt), "the run finished before it was killed"
    assert run.unfinished_attempts == attempt
    assert not BenchmarkResult.objects.exists() and not InterventionFlag.objects.exists()


def _wait_until_finished() -> EvaluationRun:
    return _wait_for("the run to finish", lambda: (run := _run_row()) and run.status != RunStatus.RUNNING and run)


def _wait_until_emails_sent() -> None:
    _wait_for(
        "the outbox to be sent",
        lambda: not OutboxEmail.objects.filter(status=OutboxStatus.PENDING).exists(),
        every=0.2,
    )


def _queue_is_empty(start) -> bool:
    """Nothing left to deliver or redeliver: the queue is empty and no message waits unacknowledged."""
    unacked = [json.loads(payload)[-1] for payload in start.redis.hvals("unacked")]
    return start.redis.llen(start.queue) == 0 and start.queue not in unacked


# --- what a run leaves behind ------------------------------------------------------------------------


def _snapshot() -> dict[str, list]:
    """Every row the run writes, by value: no ids (a flag is named by school and rule), no timestamps, no
    email delivery state (the clean run's emails are never sent). Lists, sorted, so duplicates show."""
    flags = {
        pk: f"{code}/{rule}"
        for pk, code, rule in InterventionFlag.objects.values_list("pk", "school__code", "rule_key")
    }

    grants = {
        pk: f"{code}/{autonomy}"
        for pk, code, autonomy in AutonomyGrant.objects.values_list("pk", "school__code", "autonomy__code")
    }

    def named(key: str) -> str:
        """Keys name rows by id; the same event in two runs has other ids, so name them by what they are."""
        key = re.sub(r"^flag:(\d+):", lambda m: f"flag:{flags[int(m[1])]}:", key)
        key = re.sub(r"^grant:(\d+):", lambda m: f"grant:{grants.get(int(m[1]), m[1])}:", key)
        return re.sub(r":event:\d+$", ":event", key)

    def named_link(text: str) -> str:
        """A notice links to its flag's page, by id: name the flag instead."""
        return re.sub(r"/flags/(\d+)/", lambda m: f"/flags/{flags[int(m[1])]}/", text)

    def rows(queryset, *drop, **rename) -> list:
        out = []
        for row in queryset.values():
            row = {k: v for k, v in row.items() if k not in ("id", "at", *drop) and not k.endswith("_at")}
            for field, name in rename.items():
                row[field] = name(row[field])
            out.append(json.dumps(row, sort_keys=True, default=str))
        return sorted(out)

    def grant_evidence(evidence: dict) -> dict:
        return {**evidence, "flag": flags.get(evidence.get("flag"), evidence.get("flag"))}

    return {
        "results": rows(BenchmarkResult.objects.all(), "run_id"),
        "flags": rows(InterventionFlag.objects.all(), "opened_run_id"),
        "flag_events": rows(FlagEvent.objects.all(), flag_id=flags.get),
        "grants": rows(AutonomyGrant.objects.all()),
        "grant_events": rows(GrantEvent.objects.all(), evidence=grant_evidence),
        "notifications": rows(Notification.objects.all(), key=named, url=named_link),
        "outbox": rows(OutboxEmail.objects.all(), "status", "attempts", "last_error", key=named, body=named_link),
        "run": [json.dumps([r.status, r.counts], default=str) for r in EvaluationRun.objects.all()],
    }


def _clean_run() -> dict[str, list]:
    """What a clean run of the same data leaves: run here and now, snapshot, then rolled back whole."""
    with transaction.atomic():
        evaluation_run(as_of=AS_OF, trigger="nightly")
        reference = _snapshot()
        transaction.set_rollback(True)
    assert not BenchmarkResult.objects.exists() and not EvaluationRun.objects.exists()
    assert reference["flags"] and reference["grant_events"] and reference["outbox"], "the district must flag schools"
    return reference


# --- the tests --------------------------------------------------------------------------------------------


def test_a_killed_pool_process_loses_nothing_the_run_comes_back_and_completes(workers):
    build_district(SCHOOLS)
    reference = _clean_run()
    worker = workers()
    result = evaluate_benchmarks_nightly.apply_async(args=[AS_OF.isoformat()], queue=workers.queue)
    _kill_mid_run(worker, attempt=1)
    # The master starts a new pool process, and hands it the message again (reject_on_worker_lost). The
    # second attempt finds the first one unfinished: it was killed before its work committed.
    _wait_for("the second attempt", lambda: (run := _run_row()).attempts == 2 or run.status != RunStatus.RUNNING)
    assert _run_row().unfinished_attempts == 2
    run = _wait_until_finished()
    assert (run.status, run.attempts, run.error) == (RunStatus.SUCCEEDED, 2, "")
    assert result.get(timeout=WAIT)["status"] == RunStatus.SUCCEEDED
    _wait_until_emails_sent()
    assert _snapshot() == reference
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}
    assert _queue_is_empty(workers)


def test_a_killed_worker_loses_nothing_the_run_comes_back_after_the_visibility_timeout(workers):
    build_district(SCHOOLS)
    reference = _clean_run()
    first = workers()
    result = evaluate_benchmarks_nightly.apply_async(args=[AS_OF.isoformat()], queue=workers.queue)
    _kill_mid_run(first, attempt=1)
    first.kill_all()
    _killed_mid_run(attempt=1)
    workers()  # a new worker; the unacknowledged message comes back once the visibility timeout passed
    run = _wait_until_finished()
    assert (run.status, run.attempts, run.error) == (RunStatus.SUCCEEDED, 2, "")
    assert result.get(timeout=WAIT)["status"] == RunStatus.SUCCEEDED
    _wait_until_emails_sent()
    assert _snapshot() == reference
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}
    assert _queue_is_empty(workers)


def test_a_run_whose_worker_keeps_dying_ends_failed_and_is_not_retried(workers):
    build_district(SCHOOLS)
    worker = workers()
    result = evaluate_benchmarks_nightly.apply_async(args=[AS_OF.isoformat()], queue=workers.queue)
    for attempt in (1, 2, 3):
        _kill_mid_run(worker, attempt=attempt)
    run = _wait_until_finished()
    assert (run.status, run.attempts) == (RunStatus.FAILED, 3)
    assert run.error.startswith("Stopped after 3 attempts that did not finish: the worker was lost each time")
    summary = result.get(timeout=WAIT)
    assert summary["status"] == RunStatus.FAILED and summary["error"] == run.error
    assert _queue_is_empty(workers)  # acknowledged: nothing will bring it back
    assert not BenchmarkResult.objects.exists() and not InterventionFlag.objects.exists()
    assert (
        not Notification.objects.filter(key__startswith="flag:").exists()
        and not OutboxEmail.objects.filter(key__startswith="flag:").exists()
    )
