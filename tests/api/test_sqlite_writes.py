"""
Concurrent writes on the embedded default: a real gunicorn (two worker processes, four threads each)
on a real SQLite file, configured as `make run` configures it.

Before WAL, a busy timeout and IMMEDIATE transactions, 8 parallel section POSTs gave seven 500s
("database is locked"); now each waits its turn, and every one is a 201 with its section kept.
A write that still cannot get the database in time is a 503 problem to retry, even with DEBUG on.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 60
PARALLEL_WRITES = 8


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(environment: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def serve_on_sqlite(directory: Path, **settings: str):
    """
    A served site on its own SQLite file in `directory`, with the seeded content: yields its URL, the
    Authorization header of an admin's API token and the database file. `settings` are environment variables.
    """
    database = directory / "db.sqlite3"
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX"}
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(directory / "media"),
        DJANGO_SUPERUSER_PASSWORD="a-long-test-password",
        API_WRITE_RATE="1000/minute",
    )
    environment.update({"DJANGO_SETTINGS_MODULE": "cms.settings.test", **settings})
    _manage(environment, "migrate", "--noinput")
    _manage(environment, "load_initial_data")
    _manage(environment, "ensure_admin")
    token = _manage(environment, "create_api_token", "admin").strip()
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
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
                if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield url, {"Authorization": f"Bearer {token}"}, database
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    yield from serve_on_sqlite(tmp_path_factory.mktemp("sqlite-writes"))


@pytest.fixture(scope="module")
def impatient_debug_server(tmp_path_factory):
    """Development settings (DEBUG on), and a writer gives up after half a second."""
    yield from serve_on_sqlite(
        tmp_path_factory.mktemp("sqlite-busy"), DJANGO_SETTINGS_MODULE="cms.settings.dev", SQLITE_BUSY_TIMEOUT="0.5"
    )


def test_parallel_section_posts_on_sqlite_all_succeed(sqlite_server):
    url, auth, _ = sqlite_server
    flask = requests.get(f"{url}/api/v1/pages/find/", params={"path": "/services/flask/"}, timeout=10).json()
    sections_url = f"{url}/api/v1/pages/{flask['id']}/sections/"
    headers = {**auth, "If-Match": "*"}

    def add_section(number: int) -> requests.Response:
        body = {"type": "text", "value": {"heading": f"Parallel section {number}", "body": "<p>Kept.</p>"}}
        return requests.post(sections_url, json=body, headers=headers, timeout=60)

    with ThreadPoolExecutor(PARALLEL_WRITES) as pool:
        responses = list(pool.map(add_section, range(PARALLEL_WRITES)))

    assert [response.status_code for response in responses] == [201] * PARALLEL_WRITES, [
        response.text[:300] for response in responses if response.status_code != 201
    ]
    draft = requests.get(f"{url}/api/v1/pages/{flask['id']}/", params={"version": "draft"}, headers=auth, timeout=10)
    headings = {section["value"].get("heading") for section in draft.json()["sections"]}
    assert {f"Parallel section {number}" for number in range(PARALLEL_WRITES)} <= headings


def test_a_write_the_database_is_too_busy_for_is_a_503_problem(impatient_debug_server):
    url, auth, database = impatient_debug_server
    flask = requests.get(f"{url}/api/v1/pages/find/", params={"path": "/services/flask/"}, timeout=10).json()
    body = {"type": "text", "value": {"heading": "Not now", "body": "<p>Busy.</p>"}}
    other_writer = sqlite3.connect(database, isolation_level=None)
    try:
        other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long import would
        response = requests.post(
            f"{url}/api/v1/pages/{flask['id']}/sections/", json=body, headers={**auth, "If-Match": "*"}, timeout=30
        )
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"].isdigit()
    assert response.json()["status"] == 503
    retried = requests.post(
        f"{url}/api/v1/pages/{flask['id']}/sections/", json=body, headers={**auth, "If-Match": "*"}, timeout=30
    )
    assert retried.status_code == 201
