"""
Golden JSON contracts: what front ends read from the API, compared with the files in `tests/api/expected/`.

A change to a block's JSON, a serializer or the OpenAPI document fails here with a diff. If it is
intended, regenerate with `pytest tests/api/test_golden.py --update-golden`, review the diff and commit
it with the change, so front ends can see what they must follow.
"""

import json

import pytest

from ..factories import EVERY_SECTION, service_page_with_every_section
from .golden import Placeholders, assert_matches_golden

# The response headers that clients and shared caches rely on; the others (rate limits, X-Cache,
# Cache-Tag) depend on what the test did before the request, or are for our own CDN.
CONTRACT_HEADERS = ("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Vary")


@pytest.fixture
def golden(request):
    """`golden(name, data)`: compare with `tests/api/expected/<name>.json`, or rewrite it under `--update-golden`."""
    update = request.config.getoption("--update-golden")
    return lambda name, data: assert_matches_golden(name, data, update=update)


def contract(response) -> dict:
    """Status, contract headers and JSON body of a response, with what varies between runs replaced by placeholders."""
    placeholders = Placeholders()  # one numbering for both: body first, as in the file
    body = placeholders.normalise(response.json())
    headers = {name: response[name] for name in CONTRACT_HEADERS if response.has_header(name)}
    return {"status": response.status_code, "headers": placeholders.normalise(headers), "body": body}


@pytest.mark.django_db
def test_flask_page_detail(api_client, flask_page, golden):
    """The seeded Flask page, as the site's front end reads it."""
    golden("flask_page", contract(api_client.get(f"/api/v1/pages/{flask_page.pk}/")))


@pytest.mark.django_db
def test_page_with_every_section_detail(api_client, services_index, golden):
    """A published page with one section of every type: each block's JSON."""
    page = service_page_with_every_section(
        services_index,
        slug="everything",
        title="Every section",
        # Fixed values where the factories count (Point 1, 10+…), so the page is the same whatever ran before.
        sections={
            "feature_list": {**EVERY_SECTION["feature_list"], "items__0__title": "Secure by default"},
            "key_figures": {**EVERY_SECTION["key_figures"], "items__0__value": "120+"},
        },
    )
    page.save_revision().publish()

    golden("every_section_page", contract(api_client.get(f"/api/v1/pages/{page.pk}/")))


@pytest.mark.django_db
def test_openapi_document(client, golden):
    """The served OpenAPI document, from which front ends generate their clients."""
    response = client.get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    golden("openapi", json.loads(response.content))


def test_placeholders_number_ids_per_kind_in_order_of_first_appearance():
    """Ids of one kind share a numbering (top-level id, `<kind>_id`, API URLs); other kinds count apart."""
    data = {
        "id": 41,
        "detail_url": "http://testserver/api/v1/pages/41/",
        "image": {
            "id": 41,
            "url": "http://testserver/media/images/example_7HX8O2O.max-1600x1600.jpg",
            "renditions": {"thumbnail": "http://testserver/media/images/example_7HX8O2O.fill-80x80_Ab3dE9x.jpg"},
        },
        "sections": [{"value": {"page_id": 7}}, {"value": {"page_id": 41}}],
        "revision_id": 3,
    }

    assert Placeholders().normalise(data) == {
        "detail_url": "<origin>/api/v1/pages/<page:1>/",
        "id": "<page:1>",
        "image": {
            "id": "<image:1>",
            "renditions": {"thumbnail": "<origin>/media/images/example.fill-80x80.jpg"},
            "url": "<origin>/media/images/example.max-1600x1600.jpg",
        },
        "revision_id": "<revision:1>",
        "sections": [{"value": {"page_id": "<page:2>"}}, {"value": {"page_id": "<page:1>"}}],
    }


def test_placeholders_keep_equal_values_equal():
    """UUIDs, timestamps and ETags become numbered placeholders; equal values stay equal, the rest is kept."""
    data = {
        "body": {
            "first_published_at": "2026-12-07T22:03:35.610884Z",
            "last_published_at": "2026-12-07T22:03:35.610884Z",
            "sections": [{"id": "feb4c670-4a43-4c4c-8ca6-28094c2d0faa", "type": "intro", "value": {"count": 3}}],
        },
        "headers": {"ETag": '"02632d6fce2521adadc1bae7771e5d94"', "Last-Modified": "Mon, 07 Dec 2026 22:03:35 GMT"},
        "write": {"ETag": '"revision-43"'},
    }

    assert Placeholders().normalise(data) == {
        "body": {
            "first_published_at": "<timestamp:1>",
            "last_published_at": "<timestamp:1>",
            "sections": [{"id": "<uuid:1>", "type": "intro", "value": {"count": 3}}],
        },
        "headers": {"ETag": "<etag:1>", "Last-Modified": "<timestamp:2>"},
        "write": {"ETag": '"revision-<revision:1>"'},
    }
