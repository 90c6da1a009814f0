"""Hostile values in paths and query strings: capped, an empty page or a 400 problem naming the parameter; no 500."""

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/pages/", "/api/v1/images/", "/api/v1/snippets/calls-to-action/"]
# `{}` is the id; the section id is well formed, so only the page id can be wrong.
DETAILS = [
    "/api/v1/pages/{}/",
    "/api/v1/pages/{}/sections/00000000-0000-0000-0000-000000000000/",
    "/api/v1/images/{}/",
    "/api/v1/snippets/calls-to-action/{}/",
]
BEYOND_64_BITS = "9" * 30


@pytest.fixture
def image(seeded_site):
    """A public image beside the seeded pages and call to action, so that no list is empty."""
    return wagtail_factories.ImageFactory(collection=Collection.get_first_root_node())


def assert_bad_parameter(response, parameter: str) -> None:
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [error["parameter"] for error in response.json()["errors"]] == [parameter]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("limit", ["1000000", BEYOND_64_BITS])
def test_a_huge_limit_is_capped(api_client, image, settings, url, limit):
    body = api_client.get(url, {"limit": limit}).json()

    assert body["limit"] == settings.API_MAX_PAGE_SIZE
    assert 0 < len(body["results"]) <= settings.API_MAX_PAGE_SIZE


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("offset", ["-1", "abc", "1.5", "0x10", "\u00b2"])
def test_negative_or_non_numeric_offsets_are_refused(api_client, image, url, offset):
    assert_bad_parameter(api_client.get(url, {"offset": offset}), "offset")


@pytest.mark.parametrize("url", LISTS)
def test_an_offset_past_the_end_is_an_empty_page(api_client, image, url):
    body = api_client.get(url, {"offset": BEYOND_64_BITS}).json()

    assert body["results"] == [] and body["next"] is None and body["count"] > 0


@pytest.mark.parametrize("template", DETAILS)
# "²" (U+00B2) and a full-width "1" (U+FF11) are digits to `str.isdigit()`; `int()` refuses the first, reads the second.
@pytest.mark.parametrize("bad_id", ["-1", "abc", "1.0", "%C2%B2", "%EF%BC%91"])
def test_negative_or_non_numeric_ids_are_refused(api_client, image, template, bad_id):
    assert_bad_parameter(api_client.get(template.format(bad_id)), "id")


@pytest.mark.parametrize("template", DETAILS)
@pytest.mark.parametrize("unknown_id", ["0", "2147483648", BEYOND_64_BITS])
def test_ids_that_name_nothing_are_not_found(api_client, image, template, unknown_id):
    response = api_client.get(template.format(unknown_id))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("port", ["\u00b2", "http", BEYOND_64_BITS])
def test_a_site_with_a_bad_port_is_refused(api_client, image, port):
    response = api_client.get("/api/v1/pages/find/", {"path": "/", "site": f"localhost:{port}"})

    assert_bad_parameter(response, "site")


@pytest.mark.parametrize("url", ["/api/v1/pages/", "/api/v1/images/"])
def test_a_100000_character_search_is_refused_before_it_reaches_the_database(api_client, image, url):
    term = ("zebracorn " * 10_000)[:100_000]

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url, {"search": term})

    assert_bad_parameter(response, "search")
    assert not [query["sql"] for query in queries.captured_queries if "zebracorn" in query["sql"]]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/pages/{flask}/", {}),
        ("/api/v1/pages/find/", {"path": "/services/flask/"}),
        ("/api/v1/images/", {}),
        ("/api/v1/images/{image}/", {}),
    ],
)
@pytest.mark.parametrize(
    "renditions", ["original", "fill-99999x99999", "width-400,max-1600x1600", "width-400|format-gif"]
)
def test_unknown_rendition_specs_are_refused(api_client, image, flask_page, url, params, renditions):
    response = api_client.get(url.format(flask=flask_page.pk, image=image.pk), {**params, "renditions": renditions})

    assert_bad_parameter(response, "renditions")
