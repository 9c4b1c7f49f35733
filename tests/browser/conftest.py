"""The browser tests: Playwright driving Debian's Chromium over the built site, served by HTTP.

One browser per test run, a new context (cookies, permissions, viewport) per test. The site is
the session's ``site`` fixture (tests/conftest.py), served by ``http.server`` on a free port.

Chromium is ``/usr/bin/chromium`` (Debian's ``chromium``) or the path in ``ABP_CHROMIUM``.
Without it (or without Playwright) the tests are skipped and say why, except where
``ABP_REQUIRE_BROWSER=1`` (.ci/run sets it): there a missing browser fails them.

Figures the tests measure (search recall, accessibility violations) are written to
``build/browser/`` and summed up at the end of the run.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "browser"
CHROMIUM = os.environ.get("ABP_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, on a network that
# has no home to call.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
LANGUAGES = ("en", "zh_CN")

#: Lines for the end-of-run summary (pytest_terminal_summary), added by the tests.
SUMMARY: list[str] = []


def pytest_collection_modifyitems(items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter) -> None:
    if SUMMARY:
        terminalreporter.section("browser: measured")
        for line in SUMMARY:
            terminalreporter.write_line(line)


def write_result(name: str, data) -> Path:
    """Save a measurement as ``build/browser/<name>.json``."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _unavailable(reason: str):
    if os.environ.get("ABP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ABP_REQUIRE_BROWSER=1: the browser tests must run)")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # the test output stays readable
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site over HTTP: the base URL (``http://127.0.0.1:PORT/``), holding en/ and
    zh_CN/."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        _unavailable(f"Playwright is not installed ({err})")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set ABP_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser):
    """Make a fresh browser context (``new_context(**options)``); each is closed after the test."""
    made = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context, server):
    """A desktop-sized page in a fresh context; JavaScript errors on the page fail the test."""
    errors: list[str] = []
    tab = new_context().new_page()
    tab.on("pageerror", lambda err: errors.append(str(err)))
    yield tab
    assert not errors, errors
