"""HTTP behaviour of the API: validators and 304s, cache headers, CORS, rate limits, one error format."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.http import http_date

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/pages/", "/api/v1/pages/find/?path=/services/flask/", "/api/v1/settings/", "/api/v1/navigation/"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_get_has_validators_and_public_cache_headers(api_client, seeded_site, settings, url):
    response = api_client.get(url)

    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {
        "public",
        f"max-age={settings.API_CACHE_MAX_AGE}",
        f"s-maxage={settings.API_CACHE_S_MAXAGE}",
    }


@pytest.mark.parametrize("url", ENDPOINTS)
def test_if_none_match_gets_a_304(api_client, seeded_site, url):
    etag = api_client.get(url)["ETag"]

    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_gets_a_304_until_something_is_published(api_client, flask_page):
    url = f"/api/v1/pages/{flask_page.pk}/"
    last_modified = api_client.get(url)["Last-Modified"]
    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    # HTTP dates count whole seconds: publish a little later, as an editor would.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        flask_page.title = "Flask, revised"
        flask_page.save_revision().publish()

    response = api_client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200 and response.json()["title"] == "Flask, revised"


def test_a_changed_page_gets_a_new_etag(api_client, flask_page):
    url = f"/api/v1/pages/{flask_page.pk}/"
    etag = api_client.get(url)["ETag"]
    flask_page.sections[1].value["heading"] = "New heading"
    flask_page.save_revision().publish()

    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200 and response["ETag"] != etag


def test_errors_are_not_cached(api_client, seeded_site):
    response = api_client.get("/api/v1/pages/999999/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_cors_allows_configured_front_ends_only(api_client, seeded_site, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.nextbigit.com"]

    allowed = api_client.get("/api/v1/pages/", HTTP_ORIGIN="https://www.nextbigit.com")
    assert allowed["Access-Control-Allow-Origin"] == "https://www.nextbigit.com"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "origin" in allowed["Vary"].lower()

    refused = api_client.get("/api/v1/pages/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in refused

    preflight = api_client.options(
        "/api/v1/pages/", HTTP_ORIGIN="https://www.nextbigit.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_rate_limit_headers_on_every_response(api_client, seeded_site, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "5/minute"}}

    first = api_client.get("/api/v1/pages/")
    etag = first["ETag"]
    not_modified = api_client.get("/api/v1/pages/", HTTP_IF_NONE_MATCH=etag)
    error = api_client.get("/api/v1/pages/abc/")

    assert (first["RateLimit-Limit"], first["RateLimit-Remaining"]) == ("5", "4")
    assert (not_modified["RateLimit-Limit"], not_modified["RateLimit-Remaining"]) == ("5", "3")
    assert error["RateLimit-Remaining"] == "2"
    assert 0 < int(first["RateLimit-Reset"]) <= 60


def test_too_many_requests_get_a_429_problem_with_retry_after(api_client, seeded_site, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    for _ in range(3):
        assert api_client.get("/api/v1/navigation/").status_code == 200

    response = api_client.get("/api/v1/navigation/")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["RateLimit-Remaining"] == "0"
    body = response.json()
    assert body["status"] == 429 and body["title"] == "Too Many Requests"
    assert "no-store" in response["Cache-Control"]


def test_clients_are_limited_separately(api_client, seeded_site, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}
    assert api_client.get("/api/v1/navigation/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert api_client.get("/api/v1/navigation/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert api_client.get("/api/v1/navigation/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_a_write_method_gets_a_405_problem(api_client, seeded_site):
    response = api_client.delete("/api/v1/pages/")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Method Not Allowed"
    assert "GET" in response["Allow"]


def test_head_requests_are_answered(api_client, seeded_site):
    response = api_client.head("/api/v1/pages/")
    assert response.status_code == 200 and response["Last-Modified"] and response.content == b""


def test_an_old_if_modified_since_gets_the_full_response(api_client, seeded_site):
    response = api_client.get("/api/v1/pages/", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert response.status_code == 200
