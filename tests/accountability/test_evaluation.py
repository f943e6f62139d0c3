import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from accountability.models import EvaluationRun, RunStatus
from accountability.services import SUMMARY_KEYS
from accountability.tasks import evaluate_benchmarks_nightly

pytestmark = pytest.mark.django_db


def test_command_prints_every_summary_key_as_name_value_lines(capsys):
    call_command("evaluate_benchmarks", "--as-of", "2026-11-01")
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(": ")[0] for line in lines] == list(SUMMARY_KEYS)
    run = EvaluationRun.objects.get()
    assert run.as_of == datetime.date(2026, 11, 1)
    assert run.status == RunStatus.SUCCEEDED


def test_command_prints_json(capsys):
    call_command("evaluate_benchmarks", "--as-of", "2026-11-01", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == set(SUMMARY_KEYS)


def test_command_refuses_a_bad_date_naming_the_option():
    with pytest.raises(CommandError, match="--as-of"):
        call_command("evaluate_benchmarks", "--as-of", "2026-13-01")
    assert not EvaluationRun.objects.exists()


def test_nightly_task_records_a_run(settings):
    result = evaluate_benchmarks_nightly.delay("2026-11-02").get()
    run = EvaluationRun.objects.get(pk=result["run"])
    assert run.trigger == "nightly"
    assert result["as_of"] == "2026-11-02"


def test_beat_schedules_the_nightly_evaluation_at_two_in_district_time(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["evaluate-benchmarks-nightly"]
    assert entry["task"] == "accountability.tasks.evaluate_benchmarks_nightly"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
