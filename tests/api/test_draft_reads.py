"""Draft reads: `?version=draft` serves a page's latest revision to tokens whose user may edit it, and no one else."""

import pytest
from wagtail.models import Page

from pages.models import ServicePage
from tests.factories import ServicePageFactory, UserFactory

from .drafts import save_draft, stored_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def never_published(flask_page):
    """A service page that was created as a draft and never went live."""
    page = ServicePageFactory(parent=flask_page.get_parent(), slug="django", title="Django development services")
    page.unpublish()
    save_draft(page, title="Django, a first draft")
    return ServicePage.objects.get(pk=page.pk)


def cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_token_holder_who_may_edit_reads_the_latest_draft(api_client, bearer, flask_page, editor):
    revision = save_draft(flask_page, title="Flask, done right")

    live = api_client.get(f"/api/v1/pages/{flask_page.pk}/")
    draft = api_client.get(f"/api/v1/pages/{flask_page.pk}/", {"version": "draft"}, **bearer(editor))

    assert live.json()["title"] == "Flask development services"
    assert draft.status_code == 200
    assert draft.json()["title"] == "Flask, done right"
    assert draft["ETag"] == f'"revision-{revision.pk}"'
    assert {"private", "no-store"} <= cache_control(draft)


def test_without_a_token_a_draft_read_is_a_401_problem(api_client, flask_page):
    response = api_client.get(f"/api/v1/pages/{flask_page.pk}/", {"version": "draft"})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_user_who_may_not_edit_the_page_finds_no_draft(api_client, bearer, flask_page):
    outsider = UserFactory(username="reader")
    save_draft(flask_page, title="Flask, done right")

    draft = api_client.get(f"/api/v1/pages/{flask_page.pk}/", {"version": "draft"}, **bearer(outsider))
    live = api_client.get(f"/api/v1/pages/{flask_page.pk}/", **bearer(outsider))

    assert draft.status_code == 404
    assert live.status_code == 200 and live.json()["title"] == "Flask development services"


def test_a_page_that_was_never_published_is_readable_as_a_draft_only(api_client, bearer, never_published, editor):
    url = f"/api/v1/pages/{never_published.pk}/"

    assert api_client.get(url).status_code == 404
    draft = api_client.get(url, {"version": "draft"}, **bearer(editor))
    assert draft.status_code == 200
    assert draft.json()["title"] == "Django, a first draft"
    assert draft.json()["first_published_at"] is None


def test_find_serves_drafts_by_path(api_client, bearer, never_published, editor):
    params = {"path": "/services/django/"}

    assert api_client.get("/api/v1/pages/find/", params).status_code == 404
    draft = api_client.get("/api/v1/pages/find/", {**params, "version": "draft"}, **bearer(editor))
    assert draft.status_code == 200
    assert draft.json()["id"] == never_published.pk
    assert draft["ETag"] == f'"revision-{never_published.latest_revision_id}"'
    assert api_client.get("/api/v1/pages/find/", {**params, "version": "draft"}).status_code == 401


def test_a_section_only_the_draft_has_is_served_with_its_own_etag(api_client, bearer, flask_page, editor):
    sections = stored_sections(flask_page)
    added = {
        "type": "text",
        "id": "0f6a3d4e-5b1c-4c2d-9e8f-7a6b5c4d3e2f",
        "value": {"heading": "New", "body": "<p>x</p>"},
    }
    save_draft(flask_page, sections=[*sections, added])
    url = f"/api/v1/pages/{flask_page.pk}/sections/{added['id']}/"

    assert api_client.get(url).status_code == 404
    draft = api_client.get(url, {"version": "draft"}, **bearer(editor))
    assert draft.status_code == 200
    assert draft.json()["value"]["heading"] == "New"
    assert draft["ETag"].startswith('"section-')
    assert {"private", "no-store"} <= cache_control(draft)


def test_a_sections_etag_changes_with_it_and_only_with_it(api_client, bearer, flask_page, editor):
    sections = stored_sections(flask_page)
    first, second = sections[1]["id"], sections[2]["id"]
    headers = bearer(editor)

    def etag(section_id):
        url = f"/api/v1/pages/{flask_page.pk}/sections/{section_id}/"
        return api_client.get(url, {"version": "draft"}, **headers)["ETag"]

    before = etag(first), etag(second)
    sections[2]["value"]["heading"] = "Another heading"
    save_draft(flask_page, sections=sections)

    assert etag(first) == before[0]
    assert etag(second) != before[1]


def test_an_unknown_version_is_a_400_naming_the_parameter(api_client, flask_page):
    response = api_client.get(f"/api/v1/pages/{flask_page.pk}/", {"version": "latest"})

    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == ["version"]


def test_responses_to_token_holders_are_never_stored_by_shared_caches(api_client, bearer, flask_page, editor):
    public = api_client.get(f"/api/v1/pages/{flask_page.pk}/")
    authenticated = api_client.get(f"/api/v1/pages/{flask_page.pk}/", **bearer(editor))

    assert "public" in cache_control(public)
    assert {"private", "no-store"} <= cache_control(authenticated)


def test_the_root_of_the_tree_is_no_draft_for_an_editor(api_client, bearer, editor):
    root = Page.get_first_root_node()

    assert api_client.get(f"/api/v1/pages/{root.pk}/", {"version": "draft"}, **bearer(editor)).status_code == 404
