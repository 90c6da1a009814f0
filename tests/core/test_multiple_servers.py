"""
Two app servers (gunicorn, separate processes and ports) sharing one PostgreSQL and one Redis:
a publish made through one is visible through the other on the very next request.

Runs in the PostgreSQL + Redis pass of CI (`.ci/run`), where it must not skip; on the SQLite
pass with local-memory caching there is nothing shared to test, and it says so.
"""

import os
import re
from contextlib import ExitStack

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from pages.models import ServicePage
from pages.seed import load_initial_data
from tests.pages.admin_forms import editor_sections, service_page_form_data
from tests.served_site import database_url, gunicorn, server_environment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _shared_services_available() -> str | None:
    """Why the test cannot run here, or None when PostgreSQL and Redis are in use."""
    if connection.vendor != "postgresql":
        return "needs PostgreSQL (set DATABASE_URL): several servers cannot share this database"
    if settings.CACHES["default"]["BACKEND"] != "django_redis.cache.RedisCache":
        return "needs Redis (set REDIS_URL): a local-memory cache is not shared between servers"
    return None


@pytest.fixture
def two_servers():
    reason = _shared_services_available()
    if reason:
        if os.environ.get("CI_REQUIRE_SERVICES"):
            pytest.fail(f"CI FAILURE: the shared-services pass cannot run the multi-server test: {reason}")
        pytest.skip(reason)
    # The servers use this test's key prefix as it is; under pytest-xdist it already ends with the worker's
    # name, which cms.settings.test would add once more (server_environment leaves the worker's name out).
    environment = server_environment(
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=settings.CACHES["default"]["LOCATION"],
        CACHE_KEY_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
    )
    with ExitStack() as servers:
        yield [servers.enter_context(gunicorn(environment, workers=1, threads=2)) for _ in range(2)]


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
