"""The rendered site: the Flask page readable without JavaScript, listings, and nothing leaked."""

import re

import pytest
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from pages.models import ServicePage

pytestmark = pytest.mark.django_db


def test_flask_page_renders_every_section_without_javascript(client, flask_page):
    response = client.get("/services/flask/")

    assert response.status_code == 200
    html = response.content.decode()
    # JSON-LD for search engines is data, not JavaScript; no other script may appear.
    assert set(re.findall(r"<script\b[^>]*>", html)) == {'<script type="application/ld+json">'}
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "<h1>Flask development services</h1>" in html
    for heading in [
        "What is Flask?",
        "Advantages of Flask",
        "Disadvantages of Flask",
        "Hire Flask developers from NextBigIt",
    ]:
        assert f">{heading}</h2>" in html
    assert "Easy to negotiate" in html and "Maintenance costs" in html
    assert 'class="button" href="/contact/?service=flask"' in html
    assert f"<title>{flask_page.seo_title}</title>" in html
    assert f'<meta name="description" content="{escape(flask_page.search_description)}">' in html


def test_home_and_services_index_link_to_the_services(client, flask_page):
    home = client.get("/").content.decode()
    assert 'href="/services/"' in home

    index = client.get("/services/").content.decode()
    assert 'href="/services/flask/"' in index
    assert escape(flask_page.summary) in index


def test_unknown_address_gets_the_friendly_404(client, seeded_site):
    response = client.get("/services/cobol/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'href="/services/"' in html
    assert "Traceback" not in html


def test_a_draft_is_not_served_and_not_listed(client, flask_page):
    draft = ServicePage(title="Unreleased service", slug="unreleased", summary="Soon.", sections=[])
    flask_page.get_parent().add_child(instance=draft)
    draft.unpublish()

    assert client.get("/services/unreleased/").status_code == 404
    assert "Unreleased service" not in client.get("/services/").content.decode()


def test_a_pending_draft_does_not_show_on_the_live_page(client, flask_page):
    flask_page.sections[1].value["heading"] = "A heading still in draft"
    flask_page.save_revision()

    html = client.get("/services/flask/").content.decode()
    assert "What is Flask?" in html and "A heading still in draft" not in html


def test_a_password_protected_page_shows_the_password_form_not_the_content(client, flask_page):
    PageViewRestriction.objects.create(page=flask_page, restriction_type=PageViewRestriction.PASSWORD, password="pw")

    html = client.get("/services/flask/").content.decode()
    assert "password" in html.lower()
    assert "Easy to negotiate" not in html
    assert "Flask development services" not in client.get("/services/").content.decode()


def test_the_services_index_lists_every_service_with_summary_and_image(client, flask_page, service_page_factory):
    import wagtail_factories

    image = wagtail_factories.ImageFactory(title="FastAPI diagram", file__width=1280, file__height=720)
    service_page_factory(
        parent=flask_page.get_parent(),
        slug="fastapi",
        title="FastAPI development",
        summary="Async APIs, fast.",
        listing_image=image,
    )

    html = client.get("/services/").content.decode()

    assert 'href="/services/flask/"' in html and 'href="/services/fastapi/"' in html
    assert "Async APIs, fast." in html
    img = re.search(r'<img[^>]*class="card__image"[^>]*>', html).group(0)
    assert 'width="640"' in img and 'height="360"' in img and 'loading="lazy"' in img
    assert "/images/" in img and "original_images" not in img
