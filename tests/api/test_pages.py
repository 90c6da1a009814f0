"""The delivery API's page endpoints: list, detail, find, errors. Every response is schema-checked."""

import pytest
from wagtail.models import PageViewRestriction

from pages.models import ServicePage

pytestmark = pytest.mark.django_db


def test_list_shows_live_pages_with_their_links(api_client, seeded_site):
    response = api_client.get("/api/v1/pages/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    by_slug = {page["slug"]: page for page in body["results"]}
    flask = by_slug["flask"]
    assert flask["type"] == "pages.ServicePage"
    assert flask["title"] == "Flask development services"
    assert flask["url_path"] == "/services/flask/"
    assert flask["html_url"] == "http://testserver/services/flask/"
    assert flask["detail_url"] == f"http://testserver/api/v1/pages/{flask['id']}/"
    assert flask["first_published_at"] and flask["last_published_at"]


def test_list_is_paginated_with_links(api_client, seeded_site):
    first = api_client.get("/api/v1/pages/?limit=2").json()
    second = api_client.get(first["next"].replace("http://testserver", "")).json()

    assert [len(first["results"]), len(second["results"])] == [2, 2]
    assert first["previous"] is None and second["next"] is None
    assert {page["id"] for page in first["results"]}.isdisjoint(page["id"] for page in second["results"])


def test_huge_limit_is_capped(api_client, seeded_site, settings):
    body = api_client.get("/api/v1/pages/?limit=1000000").json()
    assert body["limit"] == settings.API_MAX_PAGE_SIZE


def test_list_filters_by_type_and_slug(api_client, seeded_site):
    services = api_client.get("/api/v1/pages/?type=pages.ServicePage").json()
    assert [page["slug"] for page in services["results"]] == ["flask"]

    several = api_client.get("/api/v1/pages/?type=pages.ServicePage,pages.HomePage").json()
    assert {page["type"] for page in several["results"]} == {"pages.ServicePage", "pages.HomePage"}

    by_slug = api_client.get("/api/v1/pages/?slug=services").json()
    assert [page["type"] for page in by_slug["results"]] == ["pages.ServiceIndexPage"]


def test_detail_has_everything_the_page_shows(api_client, flask_page):
    response = api_client.get(f"/api/v1/pages/{flask_page.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "pages.ServicePage"
    assert body["summary"] == flask_page.summary
    assert body["seo"] == {"title": flask_page.seo_title, "description": flask_page.search_description}
    assert [section["type"] for section in body["sections"]] == [
        "intro",
        "text",
        "feature_list",
        "feature_list",
        "call_to_action",
    ]
    assert all(set(section) == {"type", "id", "value"} for section in body["sections"])
    assert [section["id"] for section in body["sections"]] == [child.id for child in flask_page.sections]
    assert body["sections"][1]["value"]["body"].startswith("<p>Flask is a web framework")
    cta = body["sections"][-1]["value"]
    assert cta["button"]["label"] == "Hire Flask developers"
    assert cta["button"]["url"] == "http://testserver/contact/?service=flask"


def test_rich_text_links_resolve_to_absolute_urls(api_client, flask_page, services_index_of):
    index = services_index_of(flask_page)
    flask_page.sections[1].value["body"] = (
        flask_page.sections[1]
        .block.child_blocks["body"]
        .to_python(f'<p>See <a linktype="page" id="{index.pk}">all services</a>.</p>')
    )
    flask_page.save_revision().publish()

    body = api_client.get(f"/api/v1/pages/{flask_page.pk}/").json()

    html = body["sections"][1]["value"]["body"]
    assert '<a href="http://testserver/services/">all services</a>' in html
    assert "linktype" not in html


def test_find_by_path_returns_the_detail_directly(api_client, flask_page):
    by_path = api_client.get("/api/v1/pages/find/?path=/services/flask/")
    by_id = api_client.get(f"/api/v1/pages/{flask_page.pk}/")

    assert by_path.status_code == 200
    assert by_path.json() == by_id.json()


def test_find_accepts_a_path_without_trailing_slash_and_the_root(api_client, seeded_site):
    assert api_client.get("/api/v1/pages/find/?path=/services/flask").json()["slug"] == "flask"
    assert api_client.get("/api/v1/pages/find/?path=/").json()["type"] == "pages.HomePage"


def test_find_in_a_named_site(api_client, flask_page):
    assert api_client.get("/api/v1/pages/find/?path=/services/flask/&site=localhost").status_code == 200

    unknown = api_client.get("/api/v1/pages/find/?path=/services/flask/&site=example.org")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == [{"parameter": "site", "detail": "No site is served at 'example.org'."}]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/pages/999999/", "/api/v1/pages/find/?path=/services/nope/", "/api/v1/nothing-here/"],
)
def test_unknown_pages_are_problem_json_404s(api_client, seeded_site, url):
    response = api_client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Not Found" and body["type"] == "about:blank"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/pages/?limit=abc", "limit"),
        ("/api/v1/pages/?limit=0", "limit"),
        ("/api/v1/pages/?offset=-1", "offset"),
        ("/api/v1/pages/?type=pages.Nope", "type"),
        ("/api/v1/pages/?type=auth.User", "type"),
        ("/api/v1/pages/?limt=5", "limt"),
        ("/api/v1/pages/abc/", "id"),
        ("/api/v1/pages/-3/", "id"),
        ("/api/v1/pages/find/", "path"),
        ("/api/v1/pages/find/?path=services", "path"),
        ("/api/v1/pages/3/?rich_text_format=pdf", "rich_text_format"),
    ],
)
def test_bad_parameters_are_400s_naming_the_parameter(api_client, seeded_site, url, parameter):
    response = api_client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] == "Bad Request" and body["detail"]
    assert parameter in [error["parameter"] for error in body["errors"]]


def test_drafts_are_not_in_the_api(api_client, services_index_of, flask_page):
    draft = ServicePage(title="Secret draft service", slug="secret", summary="Not yet.", sections=[])
    services_index_of(flask_page).add_child(instance=draft)
    draft.unpublish()
    draft.save_revision()

    listing = api_client.get("/api/v1/pages/").json()
    assert "secret" not in {page["slug"] for page in listing["results"]}
    assert listing["count"] == 4
    assert api_client.get(f"/api/v1/pages/{draft.pk}/").status_code == 404
    assert api_client.get("/api/v1/pages/find/?path=/services/secret/").status_code == 404


def test_a_pending_draft_never_shows_through_the_live_page(api_client, flask_page):
    flask_page.title = "Draft title nobody should see"
    flask_page.sections[0].value["lead"] = "Draft lead nobody should see"
    flask_page.save_revision()

    response = api_client.get(f"/api/v1/pages/{flask_page.pk}/")

    assert response.json()["title"] == "Flask development services"
    assert "nobody should see" not in response.content.decode()


def test_private_pages_are_not_in_the_api(api_client, flask_page):
    PageViewRestriction.objects.create(page=flask_page, restriction_type=PageViewRestriction.PASSWORD, password="x")

    listing = api_client.get("/api/v1/pages/").json()
    assert "flask" not in {page["slug"] for page in listing["results"]}
    assert api_client.get(f"/api/v1/pages/{flask_page.pk}/").status_code == 404
    assert api_client.get("/api/v1/pages/find/?path=/services/flask/").status_code == 404


def test_children_of_private_pages_are_not_in_the_api(api_client, flask_page, services_index_of):
    PageViewRestriction.objects.create(page=services_index_of(flask_page), restriction_type=PageViewRestriction.LOGIN)

    slugs = {page["slug"] for page in api_client.get("/api/v1/pages/").json()["results"]}
    assert slugs == {"home", "contact"}
    assert api_client.get(f"/api/v1/pages/{flask_page.pk}/").status_code == 404
