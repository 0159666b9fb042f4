"""Browser fixtures: the sandbox on a free loopback port and Debian's Chromium via Playwright.

The browser is launched lazily inside the test body, so a missing ``/usr/bin/chromium``
(or a missing ``playwright`` package) makes the test FAIL with a clear message.

Example::

    def test_page_loads(open_page):
        page = open_page(user="ULEAD1")
        expect(page.locator("#channel")).to_be_visible()
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sandbox.run import Sandbox

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORT = {"width": 1400, "height": 1000}


class Chromium:
    """One headless Chromium per session, started on first use; one context per page."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    def _launch(self):
        if not os.path.exists(CHROMIUM):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: install Debian's package with "
                        "`apt-get install -y chromium` (these tests never download a browser).",
                        pytrace=False)
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            pytest.fail("The playwright package is missing: "
                        "`.venv/bin/pip install playwright==1.65.2` (no `playwright install`).",
                        pytrace=False)
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

    def new_page(self, *, user: str):
        if self._browser is None:
            self._launch()
        context = self._browser.new_context(viewport=VIEWPORT)
        context.add_init_script(f"localStorage.setItem('care-sandbox-user', {user!r});")
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()


@pytest.fixture(scope="session")
def chromium():
    browser = Chromium()
    yield browser
    browser.close()


@pytest.fixture
def sandbox():
    running = Sandbox(port=0).start()  # port 0: a free port picked by the OS
    yield running
    running.stop()


@pytest.fixture
def open_page(chromium, sandbox):
    """``open_page(user="UAGENT1")`` -> a Playwright page on the sandbox, as that user."""
    pages, errors = [], []

    def open_one(*, user: str = "UAGENT1"):
        page = chromium.new_page(user=user)  # fails the test if Chromium/playwright is missing
        from playwright.sync_api import expect

        expect.set_options(timeout=10_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(sandbox.url)
        pages.append(page)
        return page

    yield open_one
    for page in pages:
        page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
