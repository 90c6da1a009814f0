"""
The site served by real gunicorn processes, for tests of what happens when requests really overlap:
each request has its own process or thread and its own database connection, as in production.

- `sqlite_site(directory)` serves a SQLite FILE database, configured as `make run` configures it
  (WAL, busy timeout, IMMEDIATE transactions). The seeded database (migrated, `load_initial_data`,
  an admin and their API token) is built once per test run, shared by the pytest-xdist workers, and
  each server gets a copy of its own, so starting one takes seconds.
- `site_on_the_test_database()` serves the test process's own database (PostgreSQL in CI's second pass),
  seeded by the test, which must therefore be transactional: the `served_site` fixture in
  tests/conftest.py picks one or the other, so the same test runs on both databases.

A server that cannot start fails the test, with gunicorn's own output: it never skips.

`python -m tests.served_site <directory>` builds the seeded SQLite database (it runs in a process of
its own, as the database is not the test process's).
"""

import fcntl
import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

PROJECT_ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 60
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "a-long-test-password"  # the throwaway admin of a test database
SEEDED_DATABASE = "db.sqlite3"
SEEDED_FACTS = "site.json"
# The mark of a test that serves the site (the `serve` fixture): on PostgreSQL the server must see what the
# test commits, and the test database is restored as migrated afterwards for the tests that follow.
SERVES_THE_SITE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# The WSGI application of tests/slow_revisions_wsgi.py: every revision save pauses inside its transaction.
SLOW_REVISIONS = "tests.slow_revisions_wsgi"
# Variables of the test run that a server must not inherit: it is told its own database and cache.
TEST_RUN_ONLY = {
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_STATE_URL",
    "CACHE_KEY_PREFIX",
    "PYTEST_XDIST_WORKER",
    "PYTEST_CURRENT_TEST",
}


@dataclass(frozen=True)
class ServedSite:
    """A running server and what a test needs to use it."""

    url: str
    auth: dict  # the Authorization header of the admin's API token
    flask_id: int  # the seeded Flask service page
    flask_form: dict  # the Flask page's editor form as loaded: {"fields": {...}, "sections": editor_sections}
    database: Path | None  # the SQLite file, or None when the server uses the test database

    def admin_session(self) -> requests.Session:
        """A browser session logged in to the Wagtail admin as the admin, through the login form."""
        session = requests.Session()
        login_url = f"{self.url}/admin/login/"
        session.get(login_url, timeout=30)
        response = session.post(
            login_url,
            data={
                "username": ADMIN_USERNAME,
                "password": ADMIN_PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"Referer": login_url},
            timeout=30,
        )
        assert response.url.rstrip("/").endswith("/admin"), f"login failed with {response.status_code}"
        return session


def simultaneously(calls) -> list:
    """Make each of `calls` (requests to a server) in a thread of its own, all starting together; their results."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(**settings: str) -> dict:
    """The environment of a server process: the test settings, no test-run variables, then `settings`."""
    environment = {key: value for key, value in os.environ.items() if key not in TEST_RUN_ONLY}
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.test", API_WRITE_RATE="1000/minute")
    environment.update(settings)
    return environment


@contextmanager
def gunicorn(environment: dict, app: str = "cms.wsgi", workers: int = 2, threads: int = 4):
    """
    gunicorn serving `app` (a WSGI module path) on a free port with the project's gunicorn.conf.py:
    yields its URL once /healthz answers, and stops it afterwards.
    """
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "--workers", str(workers), "--threads", str(threads)],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or still loading the application
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn ({app}) did not start: {process.communicate()[1].decode()[-3000:]}")
            time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGINT)  # a quick shutdown: nothing the test needs is still in flight
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def seeded_sqlite_template(root: Path) -> Path:
    """
    The directory of the seeded SQLite database under `root`, built on first use. Under pytest-xdist
    `root` is shared by the workers: the first builds it while the others wait on the lock.
    """
    template = root / "seeded-sqlite"
    with open(root / "seeded-sqlite.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / SEEDED_FACTS).exists():
            template.mkdir(exist_ok=True)
            result = subprocess.run(
                [sys.executable, "-m", "tests.served_site", str(template)],
                cwd=PROJECT_ROOT,
                env=server_environment(
                    DATABASE_URL=f"sqlite:///{template / SEEDED_DATABASE}", MEDIA_ROOT=str(template / "media")
                ),
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if result.returncode != 0:
                pytest.fail(f"could not build the seeded SQLite database: {result.stderr[-3000:]}")
    return template


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, whatever its WAL holds."""
    original, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        original.backup(copy)
    finally:
        original.close()
        copy.close()


def _rehash_admin_password(database: Path) -> None:
    """The admin's password hashed as Django's default settings check it, not with the test settings' fast MD5."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

    password = make_password(ADMIN_PASSWORD, hasher=PBKDF2PasswordHasher())
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE auth_user SET password = ? WHERE username = ?", (password, ADMIN_USERNAME))
    connection.close()


@contextmanager
def sqlite_site(template: Path, directory: Path, app: str = "cms.wsgi", **settings: str):
    """A server on a copy of the seeded SQLite database, in `directory`. `settings`: environment variables."""
    database = directory / SEEDED_DATABASE
    _copy_database(template / SEEDED_DATABASE, database)
    if settings.get("DJANGO_SETTINGS_MODULE", "cms.settings.test") != "cms.settings.test":
        _rehash_admin_password(database)
    facts = json.loads((template / SEEDED_FACTS).read_text())
    environment = server_environment(
        DATABASE_URL=f"sqlite:///{database}", MEDIA_ROOT=str(directory / "media"), **settings
    )
    with gunicorn(environment, app) as url:
        yield ServedSite(url=url, database=database, **facts)


def _seed_and_describe(token_name: str) -> dict:
    """In the served database: the seeded site, the admin and an API token of theirs; the facts a test needs."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from pages.models import ServicePage
    from pages.seed import load_initial_data
    from tests.pages.admin_forms import editor_fields, editor_sections

    load_initial_data()
    get_user_model().objects.create_superuser(ADMIN_USERNAME, f"{ADMIN_USERNAME}@example.com", ADMIN_PASSWORD)
    token = io.StringIO()
    call_command("create_api_token", ADMIN_USERNAME, name=token_name, stdout=token, stderr=io.StringIO())
    flask = ServicePage.objects.get(slug="flask").get_latest_revision_as_object()
    return {
        "auth": {"Authorization": f"Bearer {token.getvalue().strip()}"},
        "flask_id": flask.pk,
        "flask_form": {"fields": editor_fields(flask), "sections": editor_sections(flask)},
    }


def database_url(settings_dict: dict) -> str:
    """The URL of a PostgreSQL database Django is configured with, for a server process."""
    auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


@contextmanager
def site_on_the_test_database(directory: Path, app: str = "cms.wsgi", **settings: str):
    """
    A server on the test process's own database (PostgreSQL), seeded here and committed: the test must be
    transactional. The server shares the test run's cache (Redis) under the same key prefix.
    """
    from django.conf import settings as django_settings
    from django.db import connection

    assert connection.vendor == "postgresql", "a server can share only a database server's test database"
    facts = _seed_and_describe("Served site")
    cache = django_settings.CACHES["default"]
    environment = server_environment(
        DATABASE_URL=database_url(connection.settings_dict), MEDIA_ROOT=str(directory / "media"), **settings
    )
    if "KEY_PREFIX" in cache:
        # The key prefix as the test process has it (already ending with the xdist worker's name).
        environment.update(REDIS_URL=cache["LOCATION"], CACHE_KEY_PREFIX=cache["KEY_PREFIX"])
    with gunicorn(environment, app) as url:
        yield ServedSite(url=url, database=None, **facts)


def _build_seeded_sqlite(directory: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    facts = _seed_and_describe("Seeded SQLite site")
    (directory / SEEDED_FACTS).write_text(json.dumps(facts))


if __name__ == "__main__":
    _build_seeded_sqlite(Path(sys.argv[1]))
