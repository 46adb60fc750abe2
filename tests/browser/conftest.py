"""Headless chromium through Playwright, against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a thread with a
running loop unless told (in the browser fixture) that the test drives the browser and the ORM in turn on purpose.
"""

import os
import shutil
from pathlib import Path

import pytest

from ..conftest import need

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    need(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # While Playwright's loop lives, every ORM call in this process (test bodies, fixtures, the flush after a
    # transactional test) needs the switch. The deployment-check test removes it from its subprocess.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshot_dir(tmp_path):
    """`make screenshots` points this at docs/screenshots; otherwise the pictures go to a temporary folder."""
    target = os.environ.get("SCREENSHOT_DIR")
    path = Path(target) if target else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_in(page, live_server, email: str, password: str) -> None:
    """Sign in through allauth's form and wait for the dashboard."""

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").last.click()
    past_consent_screen(page)


def past_consent_screen(page) -> None:
    """After logging in, a person who has not made their privacy choices sees the consent screen once (UU PDP):
    "decide later" goes on to the dashboard with everything that needs consent still off."""
    import re

    page.wait_for_url(re.compile(r"/dashboard/$|/alumni/me/privacy/choices/"))
    if "/alumni/me/privacy/choices/" in page.url:
        page.locator("button[name=decide][value=later]").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
