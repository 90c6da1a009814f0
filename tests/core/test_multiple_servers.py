"""
Two app servers (gunicorn, separate processes and ports) sharing one PostgreSQL and one Redis:
a publish made through one is visible through the other on the very next request.

Runs in the PostgreSQL + Redis pass of CI (`.ci/run`), where it must not skip; on the SQLite
pass with local-memory caching there is nothing shared to test, and it says so.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from pages.models import ServicePage
from pages.seed import load_initial_data
from tests.pages.admin_forms import editor_sections, service_page_form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30


def _shared_services_available() -> str | None:
    """Why the test cannot run here, or None when PostgreSQL and Redis are in use."""
    if connection.vendor != "postgresql":
        return "needs PostgreSQL (set DATABASE_URL): several servers cannot share this database"
    if settings.CACHES["default"]["BACKEND"] != "django_redis.cache.RedisCache":
        return "needs Redis (set REDIS_URL): a local-memory cache is not shared between servers"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_servers():
    reason = _shared_services_available()
    if reason:
        if os.environ.get("CI_REQUIRE_SERVICES"):
            pytest.fail(f"CI FAILURE: the shared-services pass cannot run the multi-server test: {reason}")
        pytest.skip(reason)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
    }
    # The servers use this test's key prefix as it is; under pytest-xdist it already ends with the worker's
    # name, which cms.settings.test would add once more.
    environment.pop("PYTEST_XDIST_WORKER", None)
    servers = []
    try:
        for _ in range(2):
            port = _free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=PROJECT_ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, url in servers:
            _wait_until_serving(process, url)
        yield [url for _process, url in servers]
    finally:
        for process, _url in servers:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_serving(process, url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn at {url} exited: {process.stderr.read().decode()[-2000:]}")
        try:
            requests.get(f"{url}/api/v1/navigation/", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn at {url} did not start within {STARTUP_TIMEOUT}s")


def _publish_heading_through_admin(server: str, page: ServicePage, heading: str) -> None:
    """Log in to one server's admin and publish a changed section heading, as an editor would."""
    session = requests.Session()
    session.get(f"{server}/admin/login/", timeout=10)
    login = session.post(
        f"{server}/admin/login/",
        data={
            "username": "ops",
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{server}/admin/login/"},
        timeout=10,
    )
    assert login.url.rstrip("/").endswith("/admin"), "login failed"
    sections = editor_sections(page)
    sections[1][1]["heading"] = heading
    data = {**service_page_form_data(page, sections=sections), "action-publish": "publish"}
    data["csrfmiddlewaretoken"] = session.cookies["csrftoken"]
    edit_url = f"{server}/admin/pages/{page.pk}/edit/"
    response = session.post(edit_url, data=data, headers={"Referer": edit_url}, timeout=30, allow_redirects=False)
    assert response.status_code == 302, f"publish failed with {response.status_code}"


def test_a_publish_through_one_server_is_visible_through_the_other(two_servers):
    load_initial_data()
    get_user_model().objects.create_superuser("ops", "ops@example.com", "a-long-test-password")
    page = ServicePage.objects.get(slug="flask")
    server_a, server_b = two_servers

    for url in (f"{server_b}/services/flask/", f"{server_b}/api/v1/pages/{page.pk}/"):
        requests.get(url, timeout=10)
        assert requests.get(url, timeout=10).headers["X-Cache"] == "HIT"

    _publish_heading_through_admin(server_a, page, "Flask, published on server A")

    html = requests.get(f"{server_b}/services/flask/", timeout=10).text
    assert re.search(r">Flask, published on server A</h2>", html)
    api = requests.get(f"{server_b}/api/v1/pages/{page.pk}/", timeout=10).json()
    assert api["sections"][1]["value"]["heading"] == "Flask, published on server A"
