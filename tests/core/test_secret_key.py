"""Production refuses to start without its own SECRET_KEY; a developer's machine (DEBUG on) may."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start_django(**variables) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="sgs_portal.settings", **variables)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_debug_off_and_no_secret_key_django_refuses_to_start_saying_why():
    result = _start_django(DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_an_empty_secret_key_is_no_key():
    result = _start_django(DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_with_debug_on_it_starts_without_one():
    result = _start_django(DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_with_a_secret_key_it_starts_with_debug_off():
    result = _start_django(DEBUG="false", SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
