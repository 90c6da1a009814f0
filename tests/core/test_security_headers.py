"""
Security headers on every kind of response (pages, cached pages, API, admin, static files, redirects, errors),
the strict Content-Security-Policy of the public site and the looser ones scoped to the admin and the API docs.
"""

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.http import HttpResponseBase
from django.test import Client

from pages.models import ServicePage

pytestmark = pytest.mark.django_db

FLASK_PATH = "/services/flask/"
HEADERS_ON_EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STRICT_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'self'"},
}


def policy_of(response) -> dict[str, set[str]]:
    """The response's Content-Security-Policy as {directive: {sources}}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


def server_error(client: Client, monkeypatch) -> HttpResponseBase:
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ServicePage, "serve", explode)
    client.raise_request_exception = False
    return client.get(FLASK_PATH)


def cached_page(client: Client, monkeypatch) -> HttpResponseBase:
    client.get(FLASK_PATH)
    response = client.get(FLASK_PATH)
    assert response["X-Cache"] == "HIT"
    return response


def too_large_api_body(client: Client, monkeypatch) -> HttpResponseBase:
    return client.post("/api/v1/pages/", b"x" * 3_000_000, content_type="application/json")


def get(path: str) -> Callable:
    return lambda client, monkeypatch: client.get(path)


# One of each kind of response the server gives: (request, expected status).
RESPONSES = [
    pytest.param(get(FLASK_PATH), 200, id="site page"),
    pytest.param(cached_page, 200, id="site page from the response cache"),
    pytest.param(get("/no-such-page/"), 404, id="site 404 page"),
    pytest.param(server_error, 500, id="site 500 page"),
    pytest.param(get("/services"), 301, id="redirect to the slash URL"),
    pytest.param(get("/api/v1/pages/"), 200, id="API JSON"),
    pytest.param(get("/api/v1/nothing-here/"), 404, id="API problem 404"),
    pytest.param(too_large_api_body, 413, id="API 413"),
    pytest.param(get("/api/v1/docs/"), 200, id="API docs"),
    pytest.param(get("/admin/login/"), 200, id="admin login"),
    pytest.param(get("/admin/"), 302, id="admin redirect to login"),
    pytest.param(get("/static/css/site.css"), 200, id="static file"),
    pytest.param(get("/healthz"), 200, id="health check"),
]


@pytest.mark.parametrize(("make_request", "status"), RESPONSES)
def test_every_response_carries_the_security_headers(client, seeded_site, monkeypatch, make_request, status):
    response = make_request(client, monkeypatch)

    assert response.status_code == status
    for name, value in HEADERS_ON_EVERY_RESPONSE.items():
        assert response.get(name) == value, f"{name}: {response.get(name)!r}"
    assert policy_of(response)["frame-ancestors"] == {"'self'"}


@pytest.mark.parametrize("path", [FLASK_PATH, "/", "/services/", "/contact/", "/no-such-page/", "/api/v1/pages/"])
def test_the_site_and_the_api_get_the_strict_policy(client, seeded_site, path):
    assert policy_of(client.get(path)) == STRICT_POLICY


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/password_reset/"])
def test_the_admin_alone_allows_inline_scripts_and_styles(client, seeded_site, path):
    """Wagtail's admin renders inline <script> elements and injects styles; the looser policy stops at /admin/."""
    assert policy_of(client.get(path)) == {
        **STRICT_POLICY,
        "script-src": {"'self'", "'unsafe-inline'"},
        "style-src": {"'self'", "'unsafe-inline'"},
        "img-src": {"'self'", "data:", "blob:"},
    }


def test_the_api_docs_run_no_inline_script(client, db):
    """Swagger UI's start-up script is a file of its own (?script), so the docs' script-src stays 'self'."""
    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")

    assert policy_of(page)["script-src"] == {"'self'"}
    assert policy_of(page)["style-src"] == {"'self'", "'unsafe-inline'"}
    assert '<script src="/api/v1/docs/?script="></script>' in page.content.decode()
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


class InlineCodeFinder(HTMLParser):
    """What a strict policy would block in a page: inline scripts, <style> elements, style= and on*= attributes."""

    DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") not in self.DATA_SCRIPT_TYPES:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        self.found.extend(f"{name}= on <{tag}>" for name in attributes if name == "style" or name.startswith("on"))


@pytest.mark.parametrize("path", [FLASK_PATH, "/", "/services/", "/contact/", "/contact/thanks/", "/no-such-page/"])
def test_public_pages_hold_no_inline_script_or_style(client, seeded_site, path):
    response = client.get(path)
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())

    assert response.status_code in (200, 404)
    assert finder.found == []


def test_json_ld_is_the_only_script_element_of_a_service_page(client, seeded_site):
    """JSON-LD is a data block: browsers never run it, so script-src 'self' does not apply to it."""
    html = client.get(FLASK_PATH).content.decode()

    assert html.count("<script") == html.count('<script type="application/ld+json">') == 1
