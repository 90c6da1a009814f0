"""
Query budgets: how many database queries the busiest requests make, so that a change that makes
their cost grow with content fails here.

Two checks per request. The budget is a ceiling: the queries of a request made once caches are
warm (a first request has made the image renditions and filled Wagtail's caches) must not exceed
it, and right after the shared cache is emptied (a deploy, a cache restart) it may make at most
EMPTY_CACHE_EXTRA_QUERIES more. And large costs what small costs: the same request makes exactly
as many queries on much content as on little, warm and cold: 7 or 50 sections on a page, 20 or
2,000 services on the site (the API list, the sitemap's index and documents), 3 or 30 on the
services index, a section of one kind anywhere on either page. A framework upgrade that saves a
query passes (lower the budget then, so the saving is kept); a query per section, page or image
fails, however far below the budget.
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from pages.demo import generate_demo_pages
from pages.images import LISTING_RENDITION, SECTION_TEMPLATE_RENDITIONS
from pages.models import ServicePage
from tests.caches import empty_cache

from .bulk_pages import bulk_create_demo_pages
from .content import LOOKUP_SECTIONS, new_image

pytestmark = pytest.mark.django_db

# Budgets (ceilings, warm caches): what each request cost when its budget was last set; lower one
# when a change saves a query, so the saving is kept. Before the sections' lookups were
# prefetched in bulk, the API detail of a 7-section page cost 20 queries and of a 50-section page
# 55 (69 with an empty cache); rendered, 28 and 63 (77). The API and the services index save one
# more since `pages.visibility` tests view restrictions inside the page query.
API_DETAIL_QUERIES = 15  # /api/v1/pages/<id>/ or /find/, with any ?renditions= and either rich text format
# /api/v1/pages/<id>/sections/<block id>/, by the section's kind: what the kind looks up, wherever it is.
API_SECTION_QUERIES = {
    "hero": 9,  # its image, two linked pages, renditions
    "image": 7,  # the image, renditions
    "testimonial": 7,
    "shared_call_to_action": 7,  # the snippet, the page its button links to
    "call_to_action": 6,  # the linked page
    "faq": 6,  # pages linked from the answers
    "text": 6,
    "intro": 5,
    "feature_list": 5,
    "key_figures": 5,
    "code": 5,
}
RENDERED_SERVICE_PAGE_QUERIES = 24  # /services/<slug>/ with every kind of section
RENDERED_FLASK_PAGE_QUERIES = 14  # /services/flask/, and any service page whose sections look nothing up
SERVICES_INDEX_QUERIES = 14  # /services/, every service with a listing image (and the count its pages need)
API_LIST_QUERIES = 5  # /api/v1/pages/?limit=20
API_LIST_DETAIL_FIELDS_QUERIES = 6  # /api/v1/pages/?limit=20&type=pages.ServicePage&fields=*
SITEMAP_INDEX_QUERIES = 3  # /sitemap.xml: the site, the latest change, how many documents
SITEMAP_DOCUMENT_QUERIES = 7  # /sitemap-pages.xml?p=N: the site, the count, the pages' types, one per type (4)
# What Wagtail reads again from the database when the shared cache is empty: the sites' root paths.
EMPTY_CACHE_EXTRA_QUERIES = 1

SMALL_PAGE_SECTIONS = 7  # one of each kind of section that looks something up
LARGE_PAGE_SECTIONS = 50
SMALL_SITE_SERVICES = 20
LARGE_SITE_SERVICES = 2000
SMALL_INDEX_SERVICES = 3
LARGE_INDEX_SERVICES = 30
SITEMAP_DOCUMENT_SIZE = 50


@dataclass(frozen=True)
class Cost:
    """The queries of one request: with warm caches, and right after the shared cache was emptied."""

    url: str
    warm: list[str]
    cold: list[str]

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.warm), len(self.cold)


def assert_same_cost(small: Cost, large: Cost) -> None:
    """The request on large content makes exactly as many queries as on small content, warm and cold."""
    assert large.counts == small.counts, (
        f"{large.url} makes {large.counts} queries (warm, cold) where {small.url} makes {small.counts}; "
        "warm, the first made:\n  " + "\n  ".join(small.warm) + "\nand the second:\n  " + "\n  ".join(large.warm)
    )


@pytest.fixture
def cost(client, django_assert_max_num_queries):
    """`cost(url, budget)`: GET `url` within `budget` queries warm and a few more cold, and return what it cost."""

    def measure(url: str, budget: int) -> Cost:
        first = client.get(url)
        assert first.status_code == 200, f"{url}: {first.status_code}"
        with django_assert_max_num_queries(budget) as warm_queries:
            warm = client.get(url)
        assert warm.content == first.content
        empty_cache()
        with django_assert_max_num_queries(budget + EMPTY_CACHE_EXTRA_QUERIES) as cold_queries:
            cold = client.get(url)
        assert cold.content == first.content
        return Cost(
            url,
            warm=[query["sql"] for query in warm_queries.captured_queries],
            cold=[query["sql"] for query in cold_queries.captured_queries],
        )

    return measure


def test_prefetched_renditions_are_the_ones_the_templates_make():
    """A template asking for a rendition that is not prefetched would cost a query per image."""
    templates = Path(__file__).resolve().parents[2] / "pages" / "templates"

    def specs(pattern: str) -> set[str]:
        return {
            spec
            for template in templates.glob(pattern)
            for spec in re.findall(r"{%\s*image\s+\S+\s+([\w-]+)", template.read_text())
        }

    assert specs("blocks/*.html") == set(SECTION_TEMPLATE_RENDITIONS)
    assert specs("pages/service_index_page.html") == {LISTING_RENDITION}


@pytest.fixture
def small_and_large_pages(sectioned_page):
    return [
        sectioned_page("small-page", SMALL_PAGE_SECTIONS),
        sectioned_page("large-page", LARGE_PAGE_SECTIONS),
    ]


def test_both_pages_make_every_kind_of_lookup(small_and_large_pages):
    small, large = small_and_large_pages
    assert [len(small.sections), len(large.sections)] == [SMALL_PAGE_SECTIONS, LARGE_PAGE_SECTIONS]
    assert {section.block_type for section in small.sections} == {"hero", *LOOKUP_SECTIONS}
    assert {section.block_type for section in large.sections} >= {"hero", *LOOKUP_SECTIONS}


@pytest.mark.parametrize(
    "query",
    ["", "?renditions=fill-800x450", "?renditions=fill-800x450,width-400", "?rich_text_format=markdown"],
)
def test_api_detail_costs_the_same_for_few_and_many_sections(cost, small_and_large_pages, query):
    small, large = (cost(f"/api/v1/pages/{page.pk}/{query}", API_DETAIL_QUERIES) for page in small_and_large_pages)
    assert_same_cost(small, large)


@pytest.mark.parametrize("query", ["", "&renditions=fill-800x450"])
def test_api_find_costs_the_same_for_few_and_many_sections(cost, small_and_large_pages, query):
    small, large = (
        cost(f"/api/v1/pages/find/?path=/services/{page.slug}/{query}", API_DETAIL_QUERIES)
        for page in small_and_large_pages
    )
    assert_same_cost(small, large)


def test_one_section_costs_what_its_kind_costs_on_any_page(cost, small_and_large_pages):
    """Every section of a kind, on the small page or anywhere on the large one, costs the same."""
    costs_by_kind: dict[str, list[Cost]] = {}
    for page in small_and_large_pages:
        for section in ServicePage.objects.get(pk=page.pk).sections:
            url = f"/api/v1/pages/{page.pk}/sections/{section.id}/"
            costs_by_kind.setdefault(section.block_type, []).append(cost(url, API_SECTION_QUERIES[section.block_type]))
    assert set(costs_by_kind) == set(API_SECTION_QUERIES)
    for first, *others in costs_by_kind.values():
        for other in others:
            assert_same_cost(first, other)


def test_rendered_page_costs_the_same_for_few_and_many_sections(cost, small_and_large_pages):
    small, large = (cost(page.url, RENDERED_SERVICE_PAGE_QUERIES) for page in small_and_large_pages)
    assert_same_cost(small, large)


def test_rendered_flask_page(cost, flask_page):
    cost("/services/flask/", RENDERED_FLASK_PAGE_QUERIES)


def test_services_index_costs_the_same_for_3_and_30_services(cost, flask_page, service_page_factory):
    index = flask_page.get_parent()
    flask_page.listing_image = new_image()
    flask_page.save_revision().publish()

    def add_services(count: int) -> None:
        for _ in range(count):
            service_page_factory(parent=index, listing_image=new_image())

    add_services(SMALL_INDEX_SERVICES - 1)
    small = cost("/services/", SERVICES_INDEX_QUERIES)
    add_services(LARGE_INDEX_SERVICES - SMALL_INDEX_SERVICES)
    assert ServicePage.objects.live().child_of(index).exclude(listing_image=None).count() == LARGE_INDEX_SERVICES
    assert_same_cost(small, cost("/services/", SERVICES_INDEX_QUERIES))


def test_api_list_costs_the_same_for_20_and_2000_services(cost, flask_page):
    """
    The first 20 services are published one by one, as an editor would (50 to 70 ms a page, so
    2,000 would take about two minutes); the other 1,980 are written in bulk (`bulk_pages`, about
    4 s) and must leave a sound tree. The site also holds its home, services index and contact page.
    """
    index = flask_page.get_parent().specific
    generate_demo_pages(index, SMALL_SITE_SERVICES - 1)
    first_page = "/api/v1/pages/?limit=20"
    budgets = {
        first_page: API_LIST_QUERIES,
        f"{first_page}&type=pages.ServicePage&fields=*": API_LIST_DETAIL_FIELDS_QUERIES,
    }
    small = {url: cost(url, budget) for url, budget in budgets.items()}
    small_site_page = cost(flask_page.url, RENDERED_FLASK_PAGE_QUERIES)

    bulk_create_demo_pages(index, LARGE_SITE_SERVICES - SMALL_SITE_SERVICES)
    assert ServicePage.find_problems() == ([], [], [], [], [])
    assert ServicePage.objects.live().count() == LARGE_SITE_SERVICES
    last = ServicePage.objects.order_by("-path").first()
    assert last.live_revision is not None and last.live_revision == last.latest_revision

    for url, budget in budgets.items():
        assert_same_cost(small[url], cost(url, budget))
    last_page = f"{first_page}&offset={LARGE_SITE_SERVICES - 10}"
    assert_same_cost(small[first_page], cost(last_page, API_LIST_QUERIES))
    assert_same_cost(small_site_page, cost(flask_page.url, RENDERED_FLASK_PAGE_QUERIES))
    assert_same_cost(small_site_page, cost(last.url, RENDERED_FLASK_PAGE_QUERIES))


def test_the_sitemap_costs_the_same_for_20_and_2000_services(cost, flask_page, settings):
    """The index counts documents, and a document loads only its own pages, whatever the site's size."""
    settings.SITEMAP_SECTION_SIZE = SITEMAP_DOCUMENT_SIZE
    index = flask_page.get_parent().specific
    generate_demo_pages(index, SMALL_SITE_SERVICES - 1)
    small_index = cost("/sitemap.xml", SITEMAP_INDEX_QUERIES)
    small_document = cost("/sitemap-pages.xml", SITEMAP_DOCUMENT_QUERIES)

    bulk_create_demo_pages(index, LARGE_SITE_SERVICES - SMALL_SITE_SERVICES)
    documents = math.ceil((LARGE_SITE_SERVICES + 3) / SITEMAP_DOCUMENT_SIZE)  # and home, services index, contact
    last_document = cost(f"/sitemap-pages.xml?p={documents}", SITEMAP_DOCUMENT_QUERIES)

    assert_same_cost(small_index, cost("/sitemap.xml", SITEMAP_INDEX_QUERIES))
    assert_same_cost(small_document, cost("/sitemap-pages.xml", SITEMAP_DOCUMENT_QUERIES))
    # Only services and the contact page: fewer page types, so fewer queries, never more.
    assert all(last <= first for last, first in zip(last_document.counts, small_document.counts, strict=True))
