"""
The sitemap: an index at /sitemap.xml (robots.txt points there) of sections, each split into documents of at
most SITEMAP_SECTION_SIZE URLs, listing only what anonymous visitors can see (pages/visibility.py).
"""

import math
from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import wagtail_factories
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from pages.models import HomePage, ServiceIndexPage
from tests.factories import ServiceIndexPageFactory

pytestmark = pytest.mark.django_db

FLASK_URL = "http://testserver/services/flask/"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SECTION_URL = "http://testserver/sitemap-pages.xml"


def parse(response, root_tag: str) -> ElementTree.Element:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own sitemap, not untrusted input
    assert root.tag == f"{{{SITEMAP_NS['sm']}}}{root_tag}"
    return root


def index_entries(client, **extra) -> dict[str, str | None]:
    """The documents /sitemap.xml lists: location → lastmod."""
    root = parse(client.get("/sitemap.xml", **extra), "sitemapindex")
    return {
        sitemap.findtext("sm:loc", namespaces=SITEMAP_NS): sitemap.findtext("sm:lastmod", namespaces=SITEMAP_NS)
        for sitemap in root.findall("sm:sitemap", SITEMAP_NS)
    }


def document_entries(client, url: str, **extra) -> dict[str, str | None]:
    """The URLs one sitemap document lists: location → lastmod."""
    parts = urlsplit(url)
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    root = parse(client.get(path, **extra), "urlset")
    return {
        entry.findtext("sm:loc", namespaces=SITEMAP_NS): entry.findtext("sm:lastmod", namespaces=SITEMAP_NS)
        for entry in root.findall("sm:url", SITEMAP_NS)
    }


def sitemap_entries(client, **extra) -> dict[str, str | None]:
    """Every URL of the sitemap, found as a crawler finds them: the index, then each document it lists."""
    entries = {}
    for document in index_entries(client, **extra):
        entries.update(document_entries(client, document, **extra))
    return entries


def test_the_index_lists_the_pages_section_dated_by_its_latest_change(client, flask_page):
    index = index_entries(client)

    assert list(index) == [SECTION_URL]
    assert index[SECTION_URL][:10] == max(document_entries(client, SECTION_URL).values())


@pytest.fixture
def eleven_pages(flask_page, service_page_factory):
    """The seeded site's home, services index, Flask and contact pages, and seven more services: 11 URLs."""
    index = flask_page.get_parent()
    for number in range(7):
        service_page_factory(parent=index, slug=f"service-{number}")
    return 11


def test_a_section_is_split_into_documents_of_at_most_the_section_size(client, eleven_pages, settings):
    settings.SITEMAP_SECTION_SIZE = 3

    documents = list(index_entries(client))
    listed = [document_entries(client, document) for document in documents]

    assert documents == [SECTION_URL, *(f"{SECTION_URL}?p={number}" for number in range(2, 5))]
    assert [len(entries) for entries in listed] == [3, 3, 3, 2]
    every_url = [url for entries in listed for url in entries]
    assert len(every_url) == len(set(every_url)) == eleven_pages, "each page in exactly one document"


def test_each_document_of_a_section_is_cached_under_its_own_number(client, eleven_pages, settings):
    settings.SITEMAP_SECTION_SIZE = 3
    first = [client.get("/sitemap-pages.xml") for _ in range(2)]
    second = [client.get("/sitemap-pages.xml?p=2") for _ in range(2)]

    assert [response["X-Cache"] for response in first + second] == ["MISS", "HIT", "MISS", "HIT"]
    assert first[1].content != second[1].content


@pytest.mark.parametrize("query", ["?p=0", "?p=5", "?p=-1", "?p=abc", "?p=02", "?p=%2B2", "?p=2.0", "?p="])
def test_a_document_number_that_does_not_exist_is_a_404(client, eleven_pages, settings, query):
    settings.SITEMAP_SECTION_SIZE = 3
    client.raise_request_exception = False

    assert client.get(f"/sitemap-pages.xml{query}").status_code == 404


def test_an_unknown_section_is_a_404(client, flask_page):
    client.raise_request_exception = False

    assert client.get("/sitemap-posts.xml").status_code == 404


def test_the_sitemap_lists_the_published_pages_with_their_last_change(client, flask_page):
    entries = sitemap_entries(client)

    for page in [HomePage.objects.get(), ServiceIndexPage.objects.get(), flask_page]:
        assert entries[f"http://testserver{page.url}"] == page.last_published_at.date().isoformat()


def test_the_sitemap_leaves_out_what_visitors_cannot_see(client, flask_page, service_page_factory, settings):
    settings.SITEMAP_SECTION_SIZE = 2  # hidden pages must not be listed in any document, nor count towards one
    index = flask_page.get_parent()
    draft = service_page_factory(parent=index, slug="draft", live=False)
    unpublished = service_page_factory(parent=index, slug="withdrawn")
    unpublished.save_revision().publish()
    unpublished.unpublish()
    expired = service_page_factory(parent=index, slug="expired", expire_at=timezone.now() - timedelta(days=1))
    password = service_page_factory(parent=index, slug="secret")
    PageViewRestriction.objects.create(page=password, restriction_type=PageViewRestriction.PASSWORD, password="pw")
    members = ServiceIndexPageFactory(parent=index.get_parent(), slug="members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    members_only = service_page_factory(parent=members, slug="members-only")
    service_page_factory(parent=index, slug="visible")

    entries = sitemap_entries(client)

    assert "http://testserver/services/visible/" in entries
    assert len(index_entries(client)) == math.ceil(len(entries) / 2)
    for hidden in [draft, unpublished, expired, password, members, members_only]:
        assert f"http://testserver{hidden.url}" not in entries, hidden.slug


def test_the_sitemap_leaves_out_pages_canonical_elsewhere(client, flask_page):
    flask_page.canonical_url = "https://blog.example.com/flask/"
    flask_page.save_revision().publish()

    assert FLASK_URL not in sitemap_entries(client)


def test_the_sitemap_lists_only_the_requested_sites_pages(client, flask_page, service_page_factory):
    other_home = wagtail_factories.PageFactory(parent=flask_page.get_root(), title="Other", slug="other")
    service_page_factory(parent=other_home, slug="other-service")
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=other_home, site_name="Other")

    main = sitemap_entries(client)
    other = sitemap_entries(client, HTTP_HOST="127.0.0.1")

    assert FLASK_URL in main and not any("other-service" in url for url in main)
    assert set(other) == {"http://127.0.0.1/", "http://127.0.0.1/other-service/"}
