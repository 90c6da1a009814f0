"""Fixtures for query-budget tests: no response cache, and service pages with any number of sections."""

import pytest

from leads.models import ContactPage
from pages.demo import generate_demo_pages
from pages.models import ServicePage

from .content import SectionMaker


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    """Count the queries of the views themselves, not of the shared response cache answering for them."""
    settings.RESPONSE_CACHE_ENABLED = False


@pytest.fixture
def link_targets(flask_page):
    """Pages of every type on the seeded site, plus demo service pages, for sections to link to."""
    index = flask_page.get_parent().specific
    extra = generate_demo_pages(index, 6, seed=7)
    return [flask_page, index, ContactPage.objects.get(), index.get_parent().specific, *extra]


@pytest.fixture
def sectioned_page(flask_page, link_targets):
    """`sectioned_page(slug, count)`: a published service page with `count` sections, each with its own lookups."""
    index = flask_page.get_parent().specific
    maker = SectionMaker(link_targets)
    stream_block = ServicePage._meta.get_field("sections").stream_block

    def make(slug: str, count: int) -> ServicePage:
        page = ServicePage(
            title=f"Service with {count} sections",
            slug=slug,
            summary="A page that looks up everything.",
            sections=stream_block.to_python(maker.sections(count)),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        return page

    return make
