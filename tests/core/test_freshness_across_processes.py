"""
Nothing stale after a change, from any process, through any fault: real gunicorn servers, real
`manage.py` processes and a real Redis that the tests pause, kill and restart.

The site under test has a database of its own: a SQLite file on the SQLite pass, a throwaway
PostgreSQL database on the PostgreSQL pass. Every test makes its own page, caches it where the
settings cache, changes it from another process or server, and reads it everywhere afterwards.
"""

import os
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests

from tests.processes import RedisServer, manage, site_environment
from tests.served_site import gunicorn

REQUESTS_PER_SERVER = 6  # enough to reach each worker of a server more than once
INTRO = {"type": "intro", "value": {"lead": "A page made to be changed by another process."}}


@dataclass
class Site:
    directory: Path
    database_url: str
    token: str

    def environment(self, **variables: str) -> dict:
        return site_environment(self.directory, self.database_url, **variables)


def _throwaway_database(directory: Path):
    """A database URL for the site: on PostgreSQL a new database beside this run's, else a SQLite file."""
    run_url = os.environ.get("DATABASE_URL", "")
    if not run_url.startswith("postgres"):
        yield f"sqlite:///{directory / 'db.sqlite3'}"
        return
    parts = urlsplit(run_url)
    name = f"{parts.path.lstrip('/')}_fresh_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    directory = tmp_path_factory.mktemp("fresh-site")
    for database_url in _throwaway_database(directory):
        environment = site_environment(directory, database_url)
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_initial_data")
        manage(environment, "ensure_admin")
        token = manage(environment, "create_api_token", "admin").strip()
        yield Site(directory, database_url, token)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def _write(server: str, site: Site, path: str, body: dict | None = None, method: str = "post") -> dict:
    headers = {"Authorization": f"Bearer {site.token}", "If-Match": "*"}
    response = requests.request(method, f"{server}/api/v1/{path}", json=body, headers=headers, timeout=60)
    assert response.status_code in (200, 201), f"{method.upper()} {path}: {response.status_code} {response.text}"
    return response.json()


def publish_new_page(server: str, site: Site, title: str) -> tuple[int, str]:
    """A new live service page, made through the management API: its id and its URL path."""
    services = requests.get(f"{server}/api/v1/pages/find/", params={"path": "/services/"}, timeout=30).json()
    body = {"parent": services["id"], "title": title, "summary": f"{title}.", "technology_name": title}
    body["sections"] = [INTRO]
    page = _write(server, site, "pages/", body)["page"]
    _write(server, site, f"pages/{page['id']}/publish/")
    return page["id"], f"/services/{page['slug']}/"


def cache_everywhere(servers: list[str], page_id: int, path: str) -> None:
    """Read the page and its API answer through every server until each serves them from its cache."""
    for server in servers:
        for url in (f"{server}{path}", f"{server}/api/v1/pages/{page_id}/"):
            requests.get(url, timeout=30)
            assert requests.get(url, timeout=30).headers.get("X-Cache") == "HIT", url


def assert_gone_everywhere(servers: list[str], page_id: int, path: str) -> None:
    for server in servers:
        for url in (f"{server}{path}", f"{server}/api/v1/pages/{page_id}/"):
            answers = {requests.get(url, timeout=30).status_code for _ in range(REQUESTS_PER_SERVER)}
            assert answers == {404}, f"{url} answered {answers} after the page was unpublished"


def unpublish_in_a_shell(environment: dict, page_id: int) -> None:
    """Unpublish from another process, as an operator in `manage.py shell` would."""
    code = f"from wagtail.models import Page; Page.objects.get(pk={page_id}).specific.unpublish()"
    manage(environment, "shell", "-c", code)


def test_with_default_settings_a_change_by_manage_py_is_seen_by_the_running_server(site):
    """`make run`'s settings: no REDIS_URL, so no response cache to go stale, and the server says so."""
    environment = site.environment(DJANGO_SETTINGS_MODULE="cms.settings.dev")
    with gunicorn(environment, workers=1, threads=2) as server:
        page_id, path = publish_new_page(server, site, "Default settings")
        first = requests.get(f"{server}{path}", timeout=30)
        assert first.status_code == 200 and "X-Cache" not in first.headers

        unpublish_in_a_shell(environment, page_id)

        assert_gone_everywhere([server], page_id, path)


def test_with_redis_changes_by_manage_py_are_seen_by_the_running_server(site, redis_server):
    environment = site.environment(REDIS_URL=redis_server.url, CACHE_KEY_PREFIX="fresh")
    with gunicorn(environment, workers=2, threads=2) as server:
        page_id, path = publish_new_page(server, site, "Scheduled by cron")
        cache_everywhere([server], page_id, path)

        # A new title scheduled to go live in a moment; cron's publish_scheduled carries it out.
        _write(server, site, f"pages/{page_id}/", {"title": "Scheduled by cron, now live"}, method="patch")
        go_live = datetime.now(UTC) + timedelta(seconds=2)
        _write(server, site, f"pages/{page_id}/schedule/", {"go_live_at": go_live.isoformat(), "expire_at": None})
        assert "Scheduled by cron, now live" not in requests.get(f"{server}{path}", timeout=30).text
        time.sleep(max(0.0, (go_live - datetime.now(UTC)).total_seconds()) + 0.5)
        manage(environment, "publish_scheduled")
        for _ in range(REQUESTS_PER_SERVER):
            assert "Scheduled by cron, now live" in requests.get(f"{server}{path}", timeout=30).text
            api = requests.get(f"{server}/api/v1/pages/{page_id}/", timeout=30).json()
            assert api["title"] == "Scheduled by cron, now live"

        unpublish_in_a_shell(environment, page_id)

        assert_gone_everywhere([server], page_id, path)


def test_junk_query_strings_do_not_grow_the_cache(site, redis_server):
    environment = site.environment(REDIS_URL=redis_server.url, CACHE_KEY_PREFIX="junk")
    with gunicorn(environment, workers=1, threads=2) as server:
        for number in range(40):
            assert requests.get(f"{server}/services/?junk={number}", timeout=30).status_code == 200
        entries = list(redis_server.client().scan_iter(match="junk:*response:*"))
        assert len(entries) == 1, f"{len(entries)} entries stored for one page"


@pytest.fixture
def two_servers(site, redis_server):
    environment = site.environment(REDIS_URL=redis_server.url, CACHE_KEY_PREFIX="two", CACHE_CIRCUIT_COOLDOWN="1")
    with ExitStack() as stack:
        yield [stack.enter_context(gunicorn(environment, workers=1, threads=2)) for _ in range(2)]


def test_an_unpublish_while_redis_stalls_is_not_lost(site, redis_server, two_servers):
    page_id, path = publish_new_page(two_servers[0], site, "Unpublished during a stall")
    cache_everywhere(two_servers, page_id, path)

    redis_server.pause(3000)
    _write(two_servers[0], site, f"pages/{page_id}/unpublish/")
    time.sleep(3.2)  # the pause is over; the servers' circuit breakers have cooled down

    assert_gone_everywhere(two_servers, page_id, path)


def test_an_unpublish_while_redis_is_down_is_not_lost_when_it_comes_back(site, redis_server, two_servers):
    page_id, path = publish_new_page(two_servers[0], site, "Unpublished during an outage")
    cache_everywhere(two_servers, page_id, path)

    redis_server.kill()
    _write(two_servers[0], site, f"pages/{page_id}/unpublish/")
    redis_server.start()
    # The restarted Redis still holds the copies made before the unpublish (appendonly): only the
    # database can say they are stale.
    assert list(redis_server.client().scan_iter(match="two:*response:*"))
    time.sleep(1.2)  # the circuit breakers' cool-down

    assert_gone_everywhere(two_servers, page_id, path)


def test_production_without_redis_never_serves_an_unpublished_page_from_any_worker(site):
    environment = site.environment(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
    )
    manage(environment, "collectstatic", "--noinput")  # production serves hashed, compressed files
    with gunicorn(environment, workers=3, threads=2) as server:
        page_id, path = publish_new_page(server, site, "Three workers")
        for _ in range(3 * REQUESTS_PER_SERVER):
            response = requests.get(f"{server}{path}", timeout=30)
            assert response.status_code == 200 and "X-Cache" not in response.headers

        _write(server, site, f"pages/{page_id}/unpublish/")

        assert_gone_everywhere([server] * 3, page_id, path)
