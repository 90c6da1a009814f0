"""Management API page writes: create a draft service page, change its fields, replace its sections."""

import pytest
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from pages.models import ServicePage
from tests.factories import ServicePageFactory, UserFactory

from .drafts import etag_of, save_draft, stored_sections

pytestmark = pytest.mark.django_db

SCRIPT = '<p>Fast <script>alert("x")</script>and small.</p>'


@pytest.fixture
def services(flask_page):
    return flask_page.get_parent()


def text_section(heading: str = "Why Django", body: str = "<p>Batteries included.</p>") -> dict:
    return {"type": "text", "value": {"heading": heading, "body": body}}


def new_page(services, **fields) -> dict:
    return {
        "parent": services.pk,
        "title": "Django development services",
        "summary": "Django apps, built to last.",
        "sections": [text_section()],
        **fields,
    }


def pointers(response) -> list[str]:
    return [error["pointer"] for error in response.json()["errors"]]


def patch_page(api_client, page, body, headers, etag=None):
    return api_client.patch(
        f"/api/v1/pages/{page.pk}/", body, format="json", HTTP_IF_MATCH=etag or etag_of(page), **headers
    )


def test_an_editor_creates_a_draft_service_page(api_client, bearer, services, editor):
    response = api_client.post(
        "/api/v1/pages/", new_page(services, technology_name="Django"), format="json", **bearer(editor)
    )

    assert response.status_code == 201
    page = ServicePage.objects.get(pk=response.json()["page"]["id"])
    assert not page.live and page.get_parent().pk == services.pk
    assert page.slug == "django-development-services" and page.owner == editor
    assert response["Location"] == f"http://testserver/api/v1/pages/{page.pk}/"
    assert response["ETag"] == f'"revision-{page.latest_revision_id}"'
    assert response.json()["revision_id"] == page.latest_revision_id
    assert response.json()["page"]["sections"][0]["value"]["heading"] == "Why Django"
    assert api_client.get(f"/api/v1/pages/{page.pk}/").status_code == 404


def test_creating_is_recorded_in_the_page_history_with_the_token(api_client, bearer, services, editor):
    response = api_client.post("/api/v1/pages/", new_page(services), format="json", **bearer(editor))

    entry = PageLogEntry.objects.get(page_id=response.json()["page"]["id"], action="api.create")
    assert entry.user == editor
    assert entry.data["api"]["token"] == "Test token"
    assert entry.revision_id == response.json()["revision_id"]


def test_rich_text_is_sanitised_and_the_removal_reported(api_client, bearer, services, editor):
    body = new_page(services, sections=[text_section(body=SCRIPT)])

    response = api_client.post("/api/v1/pages/", body, format="json", **bearer(editor))

    assert response.status_code == 201
    warnings = response.json()["warnings"]
    assert [warning["pointer"] for warning in warnings] == ["/sections/0/value/body"]
    assert "script" in warnings[0]["detail"]
    page = ServicePage.objects.get(pk=response.json()["page"]["id"])
    assert "<script" not in page.get_latest_revision_as_object().sections.raw_data[0]["value"]["body"]


def test_a_derived_slug_avoids_the_siblings_and_a_given_one_must(api_client, bearer, services, editor):
    headers = bearer(editor)
    api_client.post("/api/v1/pages/", new_page(services), format="json", **headers)

    derived = api_client.post("/api/v1/pages/", new_page(services), format="json", **headers)
    clash = api_client.post("/api/v1/pages/", new_page(services, slug="flask"), format="json", **headers)

    assert derived.status_code == 201 and derived.json()["page"]["slug"] == "django-development-services-1"
    assert clash.status_code == 400 and pointers(clash) == ["/slug"]


def test_every_error_in_a_new_page_is_reported_by_pointer(api_client, bearer, services, editor):
    body = new_page(services, title="x" * 256, sections=[text_section(heading="")], titel="typo")
    del body["summary"]

    response = api_client.post("/api/v1/pages/", body, format="json", **bearer(editor))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert pointers(response) == ["/title", "/summary", "/sections/0/value/heading", "/titel"]


@pytest.mark.parametrize("parent", ["home", "missing"])
def test_a_service_page_is_created_only_where_one_may_live(api_client, bearer, seeded_site, editor, parent):
    parent_id = seeded_site.root_page.pk if parent == "home" else 999_999

    response = api_client.post(
        "/api/v1/pages/", new_page(seeded_site.root_page, parent=parent_id), format="json", **bearer(editor)
    )

    assert response.status_code == 400 and pointers(response) == ["/parent"]


def test_a_user_who_may_not_add_pages_there_is_refused(api_client, bearer, services):
    response = api_client.post("/api/v1/pages/", new_page(services), format="json", **bearer(UserFactory()))

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_writes_need_a_token(api_client, services, flask_page):
    created = api_client.post("/api/v1/pages/", new_page(services), format="json")
    changed = api_client.patch(f"/api/v1/pages/{flask_page.pk}/", {"title": "x"}, format="json", HTTP_IF_MATCH="*")

    assert created.status_code == changed.status_code == 401
    assert ServicePage.objects.count() == 1


def test_a_change_is_a_new_draft_and_the_live_page_stays(api_client, bearer, flask_page, editor):
    response = patch_page(api_client, flask_page, {"title": "Flask, done right", "seo_title": "Flask"}, bearer(editor))

    assert response.status_code == 200
    assert response.json()["page"]["title"] == "Flask, done right"
    assert response.json()["page"]["seo"]["title"] == "Flask"
    assert response["ETag"] == etag_of(flask_page) != f'"revision-{flask_page.latest_revision_id}"'
    assert api_client.get(f"/api/v1/pages/{flask_page.pk}/").json()["title"] == "Flask development services"
    assert ServicePage.objects.get(pk=flask_page.pk).live
    entry = PageLogEntry.objects.get(page=flask_page, action="api.edit")
    assert entry.user == editor and entry.data["api"]["token"] == "Test token"


def test_fields_not_sent_are_kept(api_client, bearer, flask_page, editor):
    sections = stored_sections(flask_page)

    patch_page(api_client, flask_page, {"summary": "Flask, explained."}, bearer(editor))

    draft = ServicePage.objects.get(pk=flask_page.pk).get_latest_revision_as_object()
    assert draft.summary == "Flask, explained."
    assert draft.title == flask_page.title
    assert list(draft.sections.raw_data) == sections


def test_sections_sent_in_a_change_replace_them_all(api_client, bearer, flask_page, editor):
    kept = stored_sections(flask_page)[0]

    response = patch_page(api_client, flask_page, {"sections": [kept, text_section()]}, bearer(editor))

    assert response.status_code == 200
    assert [section["id"] for section in response.json()["page"]["sections"]][:1] == [kept["id"]]
    assert len(ServicePage.objects.get(pk=flask_page.pk).get_latest_revision_as_object().sections) == 2


def test_a_stale_etag_is_a_412_with_the_current_revision(api_client, bearer, flask_page, editor):
    read = etag_of(flask_page)
    meanwhile = save_draft(flask_page, title="Someone else's title")

    response = patch_page(api_client, flask_page, {"summary": "Mine."}, bearer(editor), etag=read)

    assert response.status_code == 412
    assert response.json()["current_revision_id"] == meanwhile.pk
    assert ServicePage.objects.get(pk=flask_page.pk).get_latest_revision_as_object().summary != "Mine."


def test_a_write_without_if_match_is_a_428(api_client, bearer, flask_page, editor):
    response = api_client.patch(f"/api/v1/pages/{flask_page.pk}/", {"title": "x"}, format="json", **bearer(editor))

    assert response.status_code == 428


def test_a_page_locked_by_another_user_is_a_423(api_client, bearer, flask_page, editor):
    moderator = UserFactory(username="mo", groups=["Moderators"])
    Page.objects.filter(pk=flask_page.pk).update(locked=True, locked_by=moderator, locked_at=timezone.now())

    response = patch_page(api_client, flask_page, {"title": "x"}, bearer(editor))
    by_the_lock_holder = patch_page(api_client, flask_page, {"title": "Locked, but mine"}, bearer(moderator))

    assert response.status_code == 423
    assert response["Content-Type"] == "application/problem+json"
    assert "locked" in response.json()["detail"]
    assert by_the_lock_holder.status_code == 200


def test_a_user_who_may_not_edit_gets_a_403(api_client, bearer, flask_page):
    response = patch_page(api_client, flask_page, {"title": "x"}, bearer(UserFactory()))

    assert response.status_code == 403


def test_a_slug_taken_by_a_sibling_is_refused(api_client, bearer, flask_page, editor):
    ServicePageFactory(parent=flask_page.get_parent(), slug="django")

    response = patch_page(api_client, flask_page, {"slug": "django"}, bearer(editor))

    assert response.status_code == 400 and pointers(response) == ["/slug"]


def test_an_empty_change_is_refused(api_client, bearer, flask_page, editor):
    response = patch_page(api_client, flask_page, {}, bearer(editor))

    assert response.status_code == 400
    assert ServicePage.objects.get(pk=flask_page.pk).latest_revision_id == flask_page.latest_revision_id


def test_the_fields_of_other_page_types_are_not_writable(api_client, bearer, seeded_site):
    admin = UserFactory(username="root", is_superuser=True)
    home = seeded_site.root_page

    response = patch_page(api_client, home, {"title": "Home"}, bearer(admin))

    assert response.status_code == 400


def test_put_replaces_all_sections(api_client, bearer, flask_page, editor):
    sections = stored_sections(flask_page)
    url = f"/api/v1/pages/{flask_page.pk}/sections/"

    response = api_client.put(
        url, [sections[2], sections[1]], format="json", HTTP_IF_MATCH=etag_of(flask_page), **bearer(editor)
    )

    assert response.status_code == 200
    assert [section["id"] for section in response.json()["page"]["sections"]] == [sections[2]["id"], sections[1]["id"]]
    assert response["ETag"] == etag_of(flask_page)


def test_put_reports_errors_by_their_place_in_the_array(api_client, bearer, flask_page, editor):
    url = f"/api/v1/pages/{flask_page.pk}/sections/"
    body = [text_section(), text_section(heading="x" * 121), {"type": "poem", "value": {}}]

    response = api_client.put(url, body, format="json", HTTP_IF_MATCH=etag_of(flask_page), **bearer(editor))

    assert response.status_code == 400
    assert pointers(response) == ["/1/value/heading", "/2/type"]


def test_writes_have_their_own_rate_limit_per_token(api_client, bearer, flask_page, editor, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "write": "2/minute"}}
    headers, other_token = bearer(editor), bearer(editor)

    answers = [patch_page(api_client, flask_page, {"summary": f"Take {n}."}, headers).status_code for n in range(3)]
    refused = patch_page(api_client, flask_page, {"summary": "Once more."}, headers)

    assert answers == [200, 200, 429]
    assert refused["RateLimit-Limit"] == "2" and refused["RateLimit-Remaining"] == "0"
    assert int(refused["Retry-After"]) > 0
    assert api_client.get(f"/api/v1/pages/{flask_page.pk}/", **headers).status_code == 200
    assert patch_page(api_client, flask_page, {"summary": "Another token."}, other_token).status_code == 200


def test_a_body_that_is_not_json_is_a_415(api_client, bearer, flask_page, editor):
    response = api_client.patch(
        f"/api/v1/pages/{flask_page.pk}/", {"title": "x"}, format="multipart", HTTP_IF_MATCH="*", **bearer(editor)
    )

    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"


def test_an_alias_is_changed_through_its_original(api_client, bearer, flask_page, editor):
    alias = flask_page.create_alias(update_slug="flask-again")

    response = patch_page(api_client, alias, {"title": "x"}, bearer(editor))

    assert response.status_code == 409
    assert str(flask_page.pk) in response.json()["detail"]
