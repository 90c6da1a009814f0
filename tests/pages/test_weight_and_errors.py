"""Page weight, static files served hashed, compressed and cached for a year, and friendly error pages."""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from pages.models import ServicePage

pytestmark = pytest.mark.django_db

WEIGHT_BUDGET = 60 * 1024


def test_the_flask_page_and_its_css_weigh_under_60_kb(client, flask_page):
    html = client.get("/services/flask/").content
    stylesheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheets, "the page links its stylesheet"
    css = b"".join(b"".join(client.get(href.decode()).streaming_content) for href in stylesheets)

    assert len(html) + len(css) < WEIGHT_BUDGET, f"HTML {len(html)} B + CSS {len(css)} B"


def test_static_files_are_hashed_compressed_and_cached_for_a_year(tmp_path, settings):
    production_storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=production_storages, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        hashed = staticfiles_storage.url("css/site.css")
        assert re.search(r"/static/css/site\.[0-9a-f]{12}\.css$", hashed)
        assert (tmp_path / hashed.removeprefix("/static/")).exists()
        assert (tmp_path / (hashed.removeprefix("/static/") + ".gz")).exists()

        from whitenoise.middleware import WhiteNoiseMiddleware

        middleware = WhiteNoiseMiddleware(lambda request: None)
        response = middleware(RequestFactory().get(hashed, HTTP_ACCEPT_ENCODING="gzip"))

    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"


def test_a_server_error_shows_the_friendly_page_without_a_traceback(client, flask_page, monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("database on fire: secret detail")

    monkeypatch.setattr(ServicePage, "serve", explode)
    client.raise_request_exception = False

    response = client.get("/services/flask/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and 'href="/"' in html
    assert "Traceback" not in html and "secret detail" not in html and "RuntimeError" not in html


def test_an_api_server_error_is_problem_json_without_details(client, flask_page, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("api.views.pages.PageViewSet.list", explode)
    client.raise_request_exception = False

    response = client.get("/api/v1/pages/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert "secret detail" not in response.content.decode()
