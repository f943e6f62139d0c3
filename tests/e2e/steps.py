"""Steps a person takes in the portal, shared by the journeys."""

import os
from pathlib import Path

from playwright.sync_api import Page

from demo.services import DEMO_PASSWORD

LOGIN_PATH = "/accounts/login/"


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form, as a person would, and wait until the portal has left the login page."""
    page.goto(LOGIN_PATH)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: LOGIN_PATH not in url)


def logout(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: url.endswith(LOGIN_PATH))


def review_screenshot(page: Page, name: str) -> None:
    """Save a screenshot for a person to look at, only when E2E_SCREENSHOTS names a folder."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)
