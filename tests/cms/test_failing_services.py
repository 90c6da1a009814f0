"""Failing services: health endpoints, a Redis outage (served uncached), a database outage (a clear 503)."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


@pytest.fixture
def database_down(monkeypatch):
    """Every new query fails as if the database server had gone away."""

    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1, port 1 failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_with_redis_unreachable_the_site_and_api_keep_answering(client, flask_page, settings):
    settings.CACHES = UNREACHABLE_REDIS

    assert client.get("/services/flask/").status_code == 200
    assert client.get("/services/flask/").status_code == 200
    assert client.get(f"/api/v1/pages/{flask_page.pk}/").status_code == 200
    readiness = client.get("/readyz")
    assert readiness.status_code == 503 and readiness.json()["checks"]["cache"] == "failing"


def test_when_redis_returns_the_cache_is_used_again(client, flask_page, settings):
    settings.CACHES = UNREACHABLE_REDIS
    assert client.get("/services/").status_code == 200
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    client.get("/services/")
    assert client.get("/services/")["X-Cache"] == "HIT"


def test_with_the_database_down_the_site_says_503_in_its_layout(client, seeded_site, database_down):
    client.raise_request_exception = False

    response = client.get("/services/flask/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Back in a moment" in html and "Traceback" not in html and "Connection refused" not in html


def test_with_the_database_down_the_api_answers_a_503_problem(client, seeded_site, database_down):
    client.raise_request_exception = False

    response = client.get("/api/v1/pages/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
    assert "Connection refused" not in response.content.decode()


def test_readyz_reports_the_database_down(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["database"] == "failing"


def test_the_site_recovers_when_the_database_returns(client, flask_page, monkeypatch):
    client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", lambda self: (_ for _ in ()).throw(OperationalError()))
        assert client.get("/api/v1/navigation/").status_code == 503
    assert client.get("/api/v1/navigation/").status_code == 200
