"""A page using every section type (as of the hero release), through the site and the schema-checked API."""

import re

import pytest

from pages.blocks import ServiceSectionsBlock
from tests.factories import service_page_with_every_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_with_every_section(services_index):
    return service_page_with_every_section(
        services_index, slug="everything", title="Every section", sections={"code": {"code": "print('hi')\n"}}
    )


def test_the_fixture_covers_the_section_library(page_with_every_section):
    used = [section.block_type for section in page_with_every_section.sections]
    assert len(used) == 10 and set(used) <= set(ServiceSectionsBlock().child_blocks)


def test_every_section_type_matches_the_schema_in_the_api(api_client, page_with_every_section):
    response = api_client.get(f"/api/v1/pages/{page_with_every_section.pk}/")

    assert response.status_code == 200
    sections = {section["type"]: section["value"] for section in response.json()["sections"]}
    hero = sections["hero"]
    assert hero["image"]["url"].startswith("http://testserver/media/images/")
    assert hero["secondary_button"] == {"label": "See our work", "url": "http://testserver/work/", "page_id": None}
    assert sections["testimonial"]["photo"]["alt"] == ""
    assert sections["image"]["image"]["alt"] == "Two developers at a whiteboard"
    assert sections["code"]["code"] == "print('hi')\n" and "<span" in sections["code"]["html"]
    assert sections["feature_list"]["items"][0]["icon"] == "shield"


def test_a_page_with_every_section_renders_without_javascript(client, page_with_every_section):
    response = client.get(page_with_every_section.url)

    assert response.status_code == 200
    html = response.content.decode()
    # JSON-LD for search engines is data, not JavaScript; no other script may appear.
    assert set(re.findall(r"<script\b[^>]*>", html)) == {'<script type="application/ld+json">'}
    for marker in ["hero__heading", "<details", "<blockquote", "figures__value", 'class="highlight"', "<figcaption"]:
        assert marker in html
