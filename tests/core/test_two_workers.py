"""Two processes serve the site, as two gunicorn workers do, with no shared cache (no CACHE_URL).

What one process learns (a logout, a removed membership, a deactivated user, a revoked token) is seen on
the next request by the other: nothing that decides who a user is or what they may do is kept in a
process's own memory. Both run the production settings (DEBUG off) on one SQLite file, a copy of one
migrated once per test process (tests/core/conftest.py), so that no migration runs here.
"""

import html
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = """
from accounts.services import api_token_create
from schools.models import Membership, School
from django.contrib.auth import get_user_model
User = get_user_model()
school = School.objects.create(code="W0001", name="Two Worker Elementary", grade_band="elementary", enrollment=400)
for name, role in (("pat", "principal"), ("kim", "school_team")):
    user = User.objects.create_user(name, password="correct-horse-battery")
    Membership.objects.create(user=user, role=role, school=school)
    print("token", api_token_create(user=user, name="script")[1])
"""


class Browser:
    """One client with its cookies, which it sends over plain HTTP though they are marked Secure."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, *, form: dict | None = None, token: str = ""):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = "&".join(f"{key}={value}" for key, value in form.items())
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        conn.close()
        return response.status, text

    def log_in(self, port: int, username: str) -> None:
        status, page = self.request(port, "GET", "/accounts/login/")
        self.cookies["csrftoken"] = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1])
        status, _ = self.request(
            port, "POST", "/accounts/login/", form={"username": username, "password": "correct-horse-battery"}
        )
        assert status == 302 and "sessionid" in self.cookies


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _wait_until_serving(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing served on port {port}")


@pytest.fixture
def two_workers(tmp_path, db, migrated_sqlite):
    database = tmp_path / "portal.sqlite3"
    env = {key: value for key, value in os.environ.items() if key != "CACHE_URL" and not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.core.two_workers_settings",
        SECRET_KEY="two-workers-" + "k" * 50,
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
        CELERY_BROKER_URL="",
    )
    shutil.copyfile(migrated_sqlite, database)
    tokens = [line.split()[1] for line in _manage(env, SEED).splitlines() if line.startswith("token ")]
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "sgs_portal.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_until_serving(port, process)
        yield {"ports": ports, "tokens": dict(zip(("pat", "kim"), tokens, strict=True)), "env": env}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


SCHOOL_PAGE = "/schools/W0001/"


def test_logout_removed_membership_deactivation_and_revoked_tokens_are_seen_by_the_other_worker(two_workers):
    a, b = two_workers["ports"]
    pat, kim = Browser(), Browser()
    pat.log_in(a, "pat")
    kim.log_in(a, "kim")
    for port in (a, b):  # both processes have now read the sessions and the roles
        for browser in (pat, kim):
            status, page = browser.request(port, "GET", SCHOOL_PAGE)
            assert status == 200 and "Two Worker Elementary" in page
        for token in two_workers["tokens"].values():
            status, body = Browser().request(port, "GET", "/api/v1/schools/", token=token)
            assert status == 200 and "W0001" in body

    # The autonomy office removes pat's membership; the other worker no longer shows pat the school.
    _manage(
        two_workers["env"],
        "from schools.models import Membership; Membership.objects.get(user__username='pat').delete()",
    )
    assert pat.request(b, "GET", SCHOOL_PAGE)[0] == 404
    status, body = Browser().request(b, "GET", "/api/v1/schools/", token=two_workers["tokens"]["pat"])
    assert status == 200 and "W0001" not in body

    # pat logs out on A; the old session cookie replayed on B is not logged in.
    replay = Browser()
    replay.cookies = dict(pat.cookies)
    assert pat.request(a, "POST", "/accounts/logout/", form={})[0] == 302
    status, _ = replay.request(b, "GET", SCHOOL_PAGE)
    assert status == 302  # to the login page
    assert replay.request(b, "GET", "/api/v1/schools/")[0] in (401, 403)

    # pat's token is revoked and kim is deactivated: B refuses the token, and kim's session and token.
    _manage(
        two_workers["env"],
        "from accounts.models import ApiToken; from accounts.services import api_token_revoke; "
        "from django.contrib.auth import get_user_model; "
        "token = ApiToken.objects.get(user__username='pat'); api_token_revoke(user=token.user, token_id=token.pk); "
        "get_user_model().objects.filter(username='kim').update(is_active=False)",
    )
    assert Browser().request(b, "GET", "/api/v1/schools/", token=two_workers["tokens"]["pat"])[0] == 401
    assert kim.request(b, "GET", SCHOOL_PAGE)[0] == 302
    assert Browser().request(b, "GET", "/api/v1/schools/", token=two_workers["tokens"]["kim"])[0] == 401
