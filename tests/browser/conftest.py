"""
Fixtures for the browser tests: Debian's Chromium driven through Playwright's sync API.

`make test` installs Chromium (the `browser-deps` target); Playwright's own browser downloads are not used.
A missing browser fails the run with a message saying how to install it, it never skips.
"""

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous for a loaded CI machine; a passing run waits far less.
TIMEOUT_MS = 20_000
FAILURE_SCREENSHOTS = Path(tempfile.gettempdir()) / "browser-test-failures"


def _require_chromium() -> None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(
            f"CI FAILURE: the browser tests need Debian's Chromium at {CHROMIUM}, and it is missing. "
            "CI runs `make test`, whose `browser-deps` step installs it (apt-get install chromium): "
            "see that step's output.",
            pytrace=False,
        )
    pytest.fail(
        f"The browser tests need Chromium at {CHROMIUM}, and it is missing. "
        "Run `make test`: it installs Chromium (apt-get install chromium) before running the suite.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's sync API, for the whole session.

    Its event loop counts as running in this thread while Playwright is started, so Django's ORM would
    refuse synchronous queries (SynchronousOnlyOperation); the flag that allows them is set for exactly
    that time, and removed when Playwright stops.
    """
    _require_chromium()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as started:
            expect.set_options(timeout=TIMEOUT_MS)
            yield started


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the session."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no cookies, no storage), with the live server as base URL.

    Requests anywhere else (e.g. Gravatar for the admin's avatars) are refused, so the tests never depend on
    the network.
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    context.route(re.compile(rf"^(?!{re.escape(live_server.url)}/)"), lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A tab in the test's context; when the test fails, a screenshot of it is kept for the post-mortem."""
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        FAILURE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        path = FAILURE_SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"Screenshot of the failed browser test: {path} (last URL: {page.url})")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test item, so the `page` fixture knows whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
