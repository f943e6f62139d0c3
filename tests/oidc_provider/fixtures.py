"""Start the test identity provider as a subprocess for a module of tests, and drive it like a browser.

`provider_start(portal_urls)` is a context manager: a free port, a temporary directory, the process,
and a wait until its discovery document answers; the process is stopped on the way out.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.oidc_provider import modes, serve

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds; migrating a fresh SQLite file takes a few


@dataclass
class LocalProvider:
    port: int
    directory: Path
    process: subprocess.Popen

    client_id = serve.CLIENT_ID
    client_secret = serve.CLIENT_SECRET
    username = serve.USERNAME
    password = serve.PASSWORD
    email = serve.EMAIL

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/o"

    def mode_set(self, mode: str) -> None:
        modes.mode_write(self.directory, mode)

    def browser(self) -> requests.Session:
        return requests.Session()

    def sign_in_and_authorize(self, browser: requests.Session, authorize_url: str) -> str:
        """Follow the portal's redirect at the provider: sign in on its login form, come back to the
        authorization endpoint, and return the redirect back to the portal (not followed)."""
        response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        if response.status_code == 302 and "/login/" in response.headers["Location"]:
            login_url = urljoin(self.base_url, response.headers["Location"])
            browser.get(login_url, timeout=10)
            response = browser.post(
                login_url,
                data={
                    "username": self.username,
                    "password": self.password,
                    "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                },
                headers={"Referer": login_url},
                allow_redirects=False,
                timeout=10,
            )
            assert response.status_code == 302, response.text[:500]
            response = browser.get(urljoin(self.base_url, response.headers["Location"]), allow_redirects=False)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]

    def signed_in_user(self, browser: requests.Session) -> str:
        return browser.get(f"{self.base_url}/session/", timeout=10).text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_discovery(provider: LocalProvider) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    url = f"{provider.issuer}/.well-known/openid-configuration"
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            raise RuntimeError(f"the test identity provider exited: {provider.process.stderr.read().decode()[-2000:]}")
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the test identity provider did not answer {url} within {START_TIMEOUT} s")


@contextlib.contextmanager
def provider_start(portal_urls: list[str]):
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as directory:
        port = _free_port()
        environment = {
            **os.environ,
            "OIDC_TEST_PROVIDER_DIR": directory,
            "OIDC_TEST_PROVIDER_PORT": str(port),
            "OIDC_TEST_PORTAL_URLS": " ".join(portal_urls),
            "PYTHONUNBUFFERED": "1",
        }
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        provider = LocalProvider(port=port, directory=Path(directory), process=process)
        try:
            _wait_for_discovery(provider)
            yield provider
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
