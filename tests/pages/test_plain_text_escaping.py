"""
Plain text stays text: every heading, question, quote, label and SEO field an editor types reaches the
page escaped (in elements, in `<meta>` attributes, in the JSON-LD `<script>`) and the API as the very
characters typed.
"""

import json

import pytest
from wagtail.models import Site

from pages.models import SiteSettings
from tests.api import conftest as api_fixtures
from tests.factories import ServicePageFactory

from .markup import JSON_LD, parse_html, unsafe_markup

# The API client that checks every response against the served OpenAPI document, and that document.
api_client = api_fixtures.api_client
openapi_document = api_fixtures.openapi_document

pytestmark = pytest.mark.django_db

# Ends the JSON-LD script, injects an element with an event handler, breaks out of either kind of
# attribute quotes, and is already escaped once; 38 characters, so it fits a button label (40).
PAYLOAD = "</script><svg onload=alert(1)>\"'&amp;"
# The same for a key figure's value, which holds 20 characters.
SHORT_PAYLOAD = "</script>\"'<b>&amp;"
RAW_FRAGMENTS = ["</script><", "<svg onload", "<b>&amp;"]

SECTION_FIELDS = {
    "sections__0__hero__heading": ("sections", 0, "value", "heading"),
    "sections__0__hero__lead": ("sections", 0, "value", "lead"),
    "sections__0__hero__primary_button__label": ("sections", 0, "value", "primary_button", "label"),
    "sections__1__intro__lead": ("sections", 1, "value", "lead"),
    "sections__2__text__heading": ("sections", 2, "value", "heading"),
    "sections__3__feature_list__heading": ("sections", 3, "value", "heading"),
    "sections__3__feature_list__intro": ("sections", 3, "value", "intro"),
    "sections__3__feature_list__items__0__title": ("sections", 3, "value", "items", 0, "title"),
    "sections__3__feature_list__items__0__text": ("sections", 3, "value", "items", 0, "text"),
    "sections__4__key_figures__heading": ("sections", 4, "value", "heading"),
    "sections__4__key_figures__items__0__value": ("sections", 4, "value", "items", 0, "value"),
    "sections__4__key_figures__items__0__label": ("sections", 4, "value", "items", 0, "label"),
    "sections__5__testimonial__quote": ("sections", 5, "value", "quote"),
    "sections__5__testimonial__name": ("sections", 5, "value", "name"),
    "sections__5__testimonial__role": ("sections", 5, "value", "role"),
    "sections__5__testimonial__company": ("sections", 5, "value", "company"),
    "sections__6__faq__heading": ("sections", 6, "value", "heading"),
    "sections__6__faq__items__0__question": ("sections", 6, "value", "items", 0, "question"),
    "sections__7__call_to_action__heading": ("sections", 7, "value", "heading"),
    "sections__7__call_to_action__text": ("sections", 7, "value", "text"),
    "sections__7__call_to_action__button_label": ("sections", 7, "value", "button", "label"),
    "sections__8__code__caption": ("sections", 8, "value", "caption"),
    "sections__8__code__code": ("sections", 8, "value", "code"),
}
PAGE_FIELDS = {
    "title": ("title",),
    "summary": ("summary",),
    "seo_title": ("seo", "title"),
    "search_description": ("seo", "description"),
}


@pytest.fixture
def hostile_page(services_index):
    """A published service page whose every plain-text field, and the company's name and footer, hold PAYLOAD."""
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.company_name = PAYLOAD
    settings.footer_text = PAYLOAD
    settings.save()
    return ServicePageFactory(parent=services_index, slug="escaping", **typed_values())


def typed_values() -> dict[str, str]:
    """What the editor typed into each field: PAYLOAD, or SHORT_PAYLOAD where only 20 characters fit."""
    return {
        **dict.fromkeys([*PAGE_FIELDS, *SECTION_FIELDS], PAYLOAD),
        "sections__4__key_figures__items__0__value": SHORT_PAYLOAD,
    }


def texts(html: str, tag: str, **attributes: str) -> list[str]:
    return [element.text.strip() for element in parse_html(html).find_all(tag, **attributes)]


def meta_content(html: str, **attributes: str) -> list[str]:
    return [element.get("content") for element in parse_html(html).find_all("meta", **attributes)]


def test_every_plain_text_field_reads_as_text_on_the_page(client, hostile_page):
    html = client.get("/services/escaping/").content.decode()

    assert unsafe_markup(html) == []
    assert [fragment for fragment in RAW_FRAGMENTS if fragment in html] == []
    assert texts(html, "title") == [PAYLOAD]
    assert texts(html, "h1") == [PAYLOAD]
    assert texts(html, "h2") == [PAYLOAD] * 6
    assert texts(html, "p", **{"class": "hero__lead"}) == [PAYLOAD]
    assert texts(html, "a", **{"class": "button"}) == [PAYLOAD] * 2
    assert texts(html, "p", **{"class": "lead"}) == [PAYLOAD]
    assert texts(html, "p", **{"class": "features__intro"}) == [PAYLOAD]
    assert texts(html, "h3", **{"class": "features__title"}) == [f"+ {PAYLOAD}"]
    assert texts(html, "span", **{"class": "figures__value"}) == [SHORT_PAYLOAD]
    assert texts(html, "span", **{"class": "figures__label"}) == [PAYLOAD]
    assert texts(html, "blockquote", **{"class": "testimonial__quote"}) == [PAYLOAD]
    assert texts(html, "span", **{"class": "testimonial__name"}) == [PAYLOAD]
    assert texts(html, "summary", **{"class": "faq__question"}) == [PAYLOAD]
    assert texts(html, "figcaption", **{"class": "code__caption"}) == [PAYLOAD]
    assert texts(html, "code", **{"class": "language-python"}) == [PAYLOAD]
    assert texts(html, "p", **{"class": "site-footer__company"})[0].endswith(PAYLOAD)


def test_seo_title_and_description_are_escaped_in_meta_tags(client, hostile_page):
    html = client.get("/services/escaping/").content.decode()

    for key in ["og:title", "og:description", "og:site_name"]:
        assert meta_content(html, property=key) == [PAYLOAD]
    for key in ["description", "twitter:title", "twitter:description"]:
        assert meta_content(html, name=key) == [PAYLOAD]


def test_text_in_the_json_ld_cannot_end_its_script_and_reads_back_unchanged(client, hostile_page):
    html = client.get("/services/escaping/").content.decode()

    [script] = parse_html(html).find_all("script")
    assert script.get("type") == JSON_LD
    assert "<" not in script.text and ">" not in script.text
    graph = {node["@type"]: node for node in json.loads(script.text)["@graph"]}
    assert graph["Organization"]["name"] == PAYLOAD
    assert graph["Service"]["name"] == PAYLOAD
    assert graph["Service"]["description"] == PAYLOAD
    assert graph["BreadcrumbList"]["itemListElement"][-1]["name"] == PAYLOAD
    assert graph["FAQPage"]["mainEntity"][0]["name"] == PAYLOAD


def test_the_services_listing_escapes_titles_and_summaries(client, hostile_page):
    html = client.get("/services/").content.decode()

    assert unsafe_markup(html) == []
    assert [fragment for fragment in RAW_FRAGMENTS if fragment in html] == []
    assert texts(html, "a", href="/services/escaping/").count(PAYLOAD) == 1
    assert PAYLOAD in texts(html, "p")


def test_the_api_returns_plain_text_as_typed(api_client, hostile_page):
    body = api_client.get(f"/api/v1/pages/{hostile_page.pk}/").json()

    def at(path: tuple) -> str:
        value = body
        for key in path:
            value = value[key]
        return value

    assert {field: at(path) for field, path in {**PAGE_FIELDS, **SECTION_FIELDS}.items()} == typed_values()
