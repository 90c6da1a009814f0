"""
Concurrent writes on the embedded default: a real gunicorn (two worker processes, four threads each)
on a real SQLite file, configured as `make run` configures it.

Before WAL, a busy timeout and IMMEDIATE transactions, 8 parallel section POSTs gave seven 500s
("database is locked"); now each waits its turn, and every one is a 201 with its section kept.
A write that still cannot get the database in time is a 503 problem to retry, even with DEBUG on.
"""

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings

from tests.served_site import sqlite_site

PARALLEL_WRITES = 8


@pytest.fixture(scope="module")
def sqlite_server(seeded_sqlite, tmp_path_factory):
    with sqlite_site(seeded_sqlite, tmp_path_factory.mktemp("sqlite-writes")) as site:
        yield site


@pytest.fixture(scope="module")
def impatient_debug_server(seeded_sqlite, tmp_path_factory):
    """Development settings (DEBUG on), and a writer gives up after half a second."""
    directory = tmp_path_factory.mktemp("sqlite-busy")
    # The seeded admin's API token was made under the test settings, whose secret key checks it.
    environment = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "SECRET_KEY": settings.SECRET_KEY,
        "SQLITE_BUSY_TIMEOUT": "0.5",
    }
    with sqlite_site(seeded_sqlite, directory, **environment) as site:
        yield site


def test_parallel_section_posts_on_sqlite_all_succeed(sqlite_server):
    url, auth = sqlite_server.url, sqlite_server.auth
    sections_url = f"{url}/api/v1/pages/{sqlite_server.flask_id}/sections/"
    headers = {**auth, "If-Match": "*"}

    def add_section(number: int) -> requests.Response:
        body = {"type": "text", "value": {"heading": f"Parallel section {number}", "body": "<p>Kept.</p>"}}
        return requests.post(sections_url, json=body, headers=headers, timeout=60)

    with ThreadPoolExecutor(PARALLEL_WRITES) as pool:
        responses = list(pool.map(add_section, range(PARALLEL_WRITES)))

    assert [response.status_code for response in responses] == [201] * PARALLEL_WRITES, [
        response.text[:300] for response in responses if response.status_code != 201
    ]
    page_url = f"{url}/api/v1/pages/{sqlite_server.flask_id}/"
    draft = requests.get(page_url, {"version": "draft"}, headers=auth, timeout=10)
    headings = {section["value"].get("heading") for section in draft.json()["sections"]}
    assert {f"Parallel section {number}" for number in range(PARALLEL_WRITES)} <= headings


def test_a_write_the_database_is_too_busy_for_is_a_503_problem(impatient_debug_server):
    url, auth, database = impatient_debug_server.url, impatient_debug_server.auth, impatient_debug_server.database
    sections_url = f"{url}/api/v1/pages/{impatient_debug_server.flask_id}/sections/"
    body = {"type": "text", "value": {"heading": "Not now", "body": "<p>Busy.</p>"}}
    other_writer = sqlite3.connect(database, isolation_level=None)
    try:
        other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long import would
        response = requests.post(sections_url, json=body, headers={**auth, "If-Match": "*"}, timeout=30)
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"].isdigit()
    assert response.json()["status"] == 503
    retried = requests.post(sections_url, json=body, headers={**auth, "If-Match": "*"}, timeout=30)
    assert retried.status_code == 201
