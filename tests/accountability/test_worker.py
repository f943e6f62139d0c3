"""A task round-trips through a real Celery worker on Redis, against the test database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accountability.models import EvaluationRun
from accountability.tasks import evaluate_benchmarks_nightly
from sgs_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_worker(settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    database = connection.settings_dict
    if not broker or database["ENGINE"] != "django.db.backends.postgresql":
        reason = "needs CELERY_BROKER_URL (Redis) and a PostgreSQL DATABASE_URL"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the real-worker test: it {reason}.")
        pytest.skip(reason)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # what the task enqueues (the email outbox) stays on this worker
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sgs_portal",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nightly_task_round_trips_through_a_real_worker(real_worker):
    result = evaluate_benchmarks_nightly.apply_async(args=["2026-11-03"], queue=real_worker)
    summary = result.get(timeout=60)
    run = EvaluationRun.objects.get(pk=summary["run"])
    assert run.trigger == "nightly"
    assert run.as_of.isoformat() == "2026-11-03"
    assert result.backend.__class__.__name__ == "DatabaseBackend"


def test_celery_configuration_is_the_careful_one(settings):
    conf = app.conf
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert visibility > conf.task_time_limit
    assert conf.result_backend_transport_options["visibility_timeout"] == visibility
    assert conf.result_backend == "django-db"
    assert conf.beat_schedule["outbox-sweep"]["task"] == "core.tasks.outbox_send"
