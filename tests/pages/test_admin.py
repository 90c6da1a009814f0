"""The editor's round trip through Wagtail's own admin views: edit, reorder, draft, preview, publish."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.rich_text import RichText

from pages.models import ServicePage

from .admin_forms import editor_sections, section_form_value, service_page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, seeded_site):
    user = get_user_model().objects.create_superuser("editor-admin", "admin@example.com", "a-long-test-password")
    client.force_login(user)
    return client


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def test_the_editor_opens_with_every_section(admin_client, flask_page):
    response = admin_client.get(edit_url(flask_page))

    assert response.status_code == 200
    html = response.content.decode()
    for label in ["Intro", "Text section", "Feature list", "Call to action"]:
        assert label in html
    assert "Easy to negotiate" in html


def test_saving_a_draft_changes_nothing_live_until_published(admin_client, client, flask_page):
    sections = editor_sections(flask_page)
    sections[1][1]["heading"] = "What exactly is Flask?"

    response = admin_client.post(edit_url(flask_page), service_page_form_data(flask_page, sections=sections))
    assert response.status_code == 302

    flask_page.refresh_from_db()
    assert flask_page.has_unpublished_changes
    assert "What exactly is Flask?" not in client.get("/services/flask/").content.decode()

    preview = admin_client.post(
        f"/admin/pages/{flask_page.pk}/edit/preview/", service_page_form_data(flask_page, sections=sections)
    )
    assert preview.json()["is_valid"] is True
    assert "What exactly is Flask?" in admin_client.get(f"/admin/pages/{flask_page.pk}/edit/preview/").content.decode()

    response = admin_client.post(
        edit_url(flask_page), {**service_page_form_data(flask_page, sections=sections), "action-publish": "publish"}
    )
    assert response.status_code == 302
    assert "What exactly is Flask?" in client.get("/services/flask/").content.decode()


def test_sections_can_be_added_removed_and_reordered(admin_client, flask_page):
    sections = editor_sections(flask_page)
    intro, _what_is_flask, advantages, disadvantages, cta = sections
    new_text = [
        "text",
        section_form_value("text", {"heading": "Our Flask team", "body": RichText("<p>Seasoned.</p>")}),
        None,
    ]
    reordered = [intro, disadvantages, advantages, new_text, cta]  # "What is Flask?" removed

    response = admin_client.post(
        edit_url(flask_page),
        {**service_page_form_data(flask_page, sections=reordered), "action-publish": "publish"},
    )
    assert response.status_code == 302

    page = ServicePage.objects.get(pk=flask_page.pk)
    headings = [s.value.get("heading") for s in page.sections]
    assert headings == [None, "Disadvantages of Flask", "Advantages of Flask", "Our Flask team", cta[1]["heading"]]
    kept_ids = [s.id for s in page.sections][:3]
    assert kept_ids == [intro[2], disadvantages[2], advantages[2]]


def test_invalid_sections_are_reported_per_field_and_nothing_is_saved(admin_client, flask_page):
    sections = editor_sections(flask_page)
    sections[4][1]["button_url"] = "javascript:alert(1)"
    sections[2][1]["items"]["0"]["value"]["title"] = ""
    revisions_before = flask_page.revisions.count()

    response = admin_client.post(edit_url(flask_page), service_page_form_data(flask_page, sections=sections))

    assert response.status_code == 200
    html = response.content.decode()
    assert "The page could not be saved due to validation errors" in html
    assert "Enter a full URL starting with https://" in html
    assert flask_page.revisions.count() == revisions_before
