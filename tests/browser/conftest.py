"""
Fixtures for the browser tests: Debian's Chromium driven through Playwright's sync API.

`make test` installs Chromium (the `browser-deps` target); Playwright's own browser downloads are not used.
A missing browser fails the run with a message saying how to install it, it never skips.
"""

import http.client
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
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

    With that loop running, Django also hands out new connection objects (its connections are local to
    the async context then). The test database's serialized contents, which `serialized_rollback`
    restores after each transactional test, are kept on the connection objects, so they are copied over;
    without them, the first transactional browser test would leave an empty database to the next.
    """
    _require_chromium()
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as started:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            expect.set_options(timeout=TIMEOUT_MS)
            yield started


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the session."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class LiveServerConnections:
    """The connections the live server is handling; `wait_until_closed` is for after the browser has closed.

    Chromium may ask for /favicon.ico as a test ends, a request Playwright neither reports nor routes, and Django
    answers it with a 404 page, which queries the database. With SQLite in memory the live server shares the
    test's database connection, and the test database is flushed as soon as the test's fixtures are torn down:
    a query still running then would run inside the flush (Django warns against simultaneous queries on that
    shared connection) and break the data the next test starts from. So the `context` fixture waits.

    The server (socketserver's ThreadingMixIn) accepts each connection in `process_request` and handles it in
    a thread running `process_request_thread`; both are wrapped to keep the set of open connections. Other
    clients of the live server (a Playwright APIRequestContext, say) must be closed before the browser context:
    request such fixtures after `page` in a test's arguments, so they are torn down first.
    """

    def __init__(self, live_server) -> None:
        self._url = urlsplit(live_server.url)
        self._open: set = set()
        self._changed = threading.Condition()
        server = live_server.thread.httpd
        accept, handle = server.process_request, server.process_request_thread

        def process_request(request, client_address):
            with self._changed:
                self._open.add(request)
            try:
                accept(request, client_address)
            except BaseException:
                self._closed(request)
                raise

        def process_request_thread(request, client_address):
            try:
                handle(request, client_address)
            finally:
                self._closed(request)

        server.process_request = process_request
        server.process_request_thread = process_request_thread

    def _closed(self, request) -> None:
        with self._changed:
            self._open.discard(request)
            self._changed.notify_all()

    def wait_until_closed(self) -> None:
        """Return once every connection made so far is closed (the browser's close when the browser does)."""
        # Connections are accepted in the order they were made: once this request is answered, every
        # earlier connection is in `_open`.
        probe = http.client.HTTPConnection(self._url.hostname, self._url.port, timeout=TIMEOUT_MS / 1000)
        try:
            probe.request("GET", f"{settings.STATIC_URL}css/site.css")
            probe.getresponse().read()
        finally:
            probe.close()
        with self._changed:
            if not self._changed.wait_for(lambda: not self._open, timeout=TIMEOUT_MS / 1000):
                pytest.fail(
                    f"the live server still has {len(self._open)} connection(s) open after the browser context closed; "
                    "close other clients of the live server first (see LiveServerConnections)"
                )


@pytest.fixture(scope="session")
def live_server_connections(live_server) -> LiveServerConnections:
    return LiveServerConnections(live_server)


@pytest.fixture
def context(browser: Browser, live_server, live_server_connections: LiveServerConnections) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no cookies, no storage), with the live server as base URL.

    Requests anywhere else (e.g. Gravatar for the admin's avatars) are refused, so the tests never depend on
    the network. Once closed, it waits for the live server to finish with its requests (see LiveServerConnections).
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    context.route(re.compile(rf"^(?!{re.escape(live_server.url)}/)"), lambda route: route.abort())
    yield context
    context.close()
    live_server_connections.wait_until_closed()


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
