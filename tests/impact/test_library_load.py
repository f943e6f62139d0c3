"""The web process loads the estimation library in the background as it starts (sgs_portal/wsgi.py), so the
first outcomes page after a start does not wait seconds for the import; the import does not hold up the start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB_PROCESS = """
import sys, threading
import sgs_portal.wsgi
loading = [t for t in threading.enumerate() if t.name == "estimation-library-load"]
print("loading", len(loading))
for thread in loading:
    thread.join(120)
print("loaded", "pyfixest.did" in sys.modules)
"""
COMMAND = """
import sys, django
django.setup()
print("loaded", "pyfixest.did" in sys.modules)
"""


def _run(script: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sgs_portal.settings", "SECRET_KEY": "library-load"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=True
    )
    return done.stdout


def test_a_web_process_loads_the_estimation_library_in_one_thread_as_it_starts():
    assert _run(WEB_PROCESS).split() == ["loading", "1", "loaded", "True"]


def test_a_command_or_worker_that_only_sets_up_django_does_not_load_it():
    assert _run(COMMAND).split() == ["loaded", "False"]
