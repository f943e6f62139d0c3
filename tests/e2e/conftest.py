"""Real-browser journeys: Chromium driven by Playwright against pytest-django's live server.

The browser is the system's Chromium (CHROMIUM_PATH, or `chromium` on the PATH); Playwright never
downloads one. A test fails, rather than skips, when Chromium or axe-core is missing, so that CI cannot
pass without running the journeys. When a test fails, a screenshot and the page's HTML are saved under
E2E_ARTIFACTS (default: test-artifacts/e2e at the repository root).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings
from playwright.sync_api import sync_playwright

from demo.services import DemoLogins, demo_district_seed

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
ARTIFACTS_DIR = Path(os.environ.get("E2E_ARTIFACTS") or REPO_ROOT / "test-artifacts" / "e2e")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 5_000  # a local server answers in milliseconds; fail fast rather than wait 30 s

# What the live server needs to serve production settings over plain http without collectstatic.
PLAIN_HTTP_SETTINGS = {
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


# --- The server and its data ----------------------------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def _live_server_over_plain_http(request, django_db_setup):
    """Start the live server while SECURE_SSL_REDIRECT is off.

    SecurityMiddleware reads that setting once, when the server builds its handler, so a per-test
    override would come too late; the override ends as soon as the server is up, so no other test sees
    it. (Session fixtures set up before the function-scoped helper that would otherwise start it.)
    """
    with override_settings(**PLAIN_HTTP_SETTINGS):
        request.getfixturevalue("live_server")


@pytest.fixture(autouse=True)
def _plain_http_settings(settings):
    for name, value in PLAIN_HTTP_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture(scope="package", autouse=True)
def _empty_database_before_the_journeys(django_db_setup, django_db_blocker):
    """Empty the test database once, so that the first serialized rollback restores into empty tables.

    The browser journeys share the process with the live server's and the worker's tests, whose
    closing flushes may have left rows behind (a flush's post_migrate signal re-creates content types
    and permissions under new keys); restoring the serialized originals on top of those would fail on
    their unique natural keys. tests/conftest.py refuses transactional tests without serialized
    rollback for the same reason.
    """
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)


@pytest.fixture
def demo_district(live_server, django_db_serialized_rollback) -> DemoLogins:
    """A small demo district in the live server's database.

    The live server needs committed data, hence a flushed (transactional) database per test; the
    serialized rollback writes back, before each test, the catalog rows that data migrations wrote.
    """
    return demo_district_seed(schools=12, years=3)


# --- The browser ---------------------------------------------------------------------------------
def chromium_executable() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(
            f"Chromium not found ({path or 'no `chromium` on the PATH'}): install it (apt-get install "
            "chromium) or set CHROMIUM_PATH to its executable. The e2e tests never download a browser.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for the journeys, closed after the last of them (package scope, not session).

    Playwright's sync API marks its event loop as running in this thread between calls, and the tests
    use the ORM here (seeding, pytest-django's flush and restore). Django refuses that unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set; the calls are not async code, the loop only waits on the browser.
    The variable is set only while the browser is open: later tests (`check --deploy` in a subprocess)
    must not inherit it.
    """
    migrated_data = {conn.alias: getattr(conn, "_test_serialized_contents", None) for conn in connections.all()}
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS)
        keep_serialized_rollback_working(migrated_data)
        yield browser
        browser.close()


def keep_serialized_rollback_working(migrated_data: dict[str, str | None]) -> None:
    """Give this thread's new connection objects the migrated data pytest-django restores after a flush.

    Django keeps connections in an asgiref Local(thread_critical=True): while an event loop runs in a
    thread (Playwright's, from now on) it hands out connections per context, not per thread. The ORM
    calls that follow therefore use new connection objects to the same test database, and those lack
    the serialized copy of the data migrations' rows (the autonomy and metric catalogs) that a
    serialized rollback writes back before each test.
    """
    for conn in connections.all():
        if migrated_data.get(conn.alias) is not None:
            conn._test_serialized_contents = migrated_data[conn.alias]


@pytest.fixture
def viewport() -> dict:
    """The window size; a test parametrizes `viewport` to look at another size."""
    return DESKTOP


@pytest.fixture
def page(browser, live_server, viewport):
    """A fresh page (own cookies) on the live server; fails the test on script errors or CSP refusals."""
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def note_csp_refusal(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP refusal: {message.text}")

    page.on("pageerror", lambda error: problems.append(f"uncaught script error: {error}"))
    page.on("console", note_csp_refusal)
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported:\n" + "\n".join(problems), pytrace=False)


# --- Evidence of a failure -----------------------------------------------------------------------
_failed_artifacts_key = pytest.StashKey[list]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        saved = save_failure_artifacts(page, item.nodeid)
        report.sections.append(("e2e artifacts", "\n".join(str(path) for path in saved)))
        item.config.stash.setdefault(_failed_artifacts_key, []).extend(saved)
    return report


def save_failure_artifacts(page, nodeid: str) -> list[Path]:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")
    screenshot, html = ARTIFACTS_DIR / f"{stem}.png", ARTIFACTS_DIR / f"{stem}.html"
    try:
        page.screenshot(path=screenshot, full_page=True)
        html.write_text(page.content(), encoding="utf-8")
    except Exception as error:  # the page may have crashed; the failure itself matters more
        return [Path(f"(could not save artifacts: {error})")]
    return [screenshot, html]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.stash.get(_failed_artifacts_key, None):
        terminalreporter.write_line(f"E2E failure screenshots and HTML: {ARTIFACTS_DIR}")
