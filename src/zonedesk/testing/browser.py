"""Fixtures for browser tests: Debian's chromium driven by Playwright (never a browser Playwright downloads).

Every app's browser tests use these (imported into ``src/zonedesk/conftest.py``). The browser is
per test module: it opens at the module's first test and closes at its end, so modules of several
apps never hold two Playwrights at once.

Screenshots of the main pages are kept under ``artifacts/screenshots/`` as the run's artefacts.
On CI a missing chromium is a failure (the project's setup installs it); elsewhere the tests skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from zonedesk.testing.world import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def chromium(django_db_setup):
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: ./run test installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (./run test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while it is open; the tests'
    # own ORM calls are synchronous and safe here (the live server answers from its own thread).
    # Allowed only while this module's browser is open, so no other test inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_as(chromium, live_server):
    """Log a user in through the login form; returns the page (1366×768 unless a viewport is given)."""
    contexts = []

    def login(user, password=PASSWORD, viewport=(1366, 768)):
        context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/projects/")
        return page

    yield login
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take
