"""The services index lists twelve services a page, with links between the pages for people and search engines."""

import re

import pytest

from pages.models.services import SERVICES_PER_PAGE


@pytest.fixture
def thirteen_services(services_index, service_page_factory):
    """Thirteen published services: a full first page and one on the second."""
    for number in range(13):
        service_page_factory(parent=services_index, slug=f"service-{number:02}", title=f"Service {number:02}")
    return services_index


def listed(html: str) -> list[str]:
    return re.findall(r'<h2 class="card__title"><a href="[^"]*">([^<]+)</a>', html)


def test_the_first_page_lists_twelve_and_links_to_the_next(client, thirteen_services):
    html = client.get("/services/").text

    assert listed(html) == [f"Service {number:02}" for number in range(SERVICES_PER_PAGE)]
    assert '<link rel="next" href="/services/?page=2">' in html
    assert 'rel="prev"' not in html
    assert '<link rel="canonical" href="http://testserver/services/">' in html
    assert "Page 1 of 2" in html


def test_the_second_page_lists_the_rest_and_is_its_own_canonical_url(client, thirteen_services):
    html = client.get("/services/?page=2").text

    assert listed(html) == ["Service 12"]
    assert '<link rel="prev" href="/services/">' in html
    assert 'rel="next"' not in html
    assert '<link rel="canonical" href="http://testserver/services/?page=2">' in html


@pytest.mark.parametrize("number", ["3", "0", "-1", "two", "²"])
def test_a_page_that_does_not_exist_is_a_404(client, thirteen_services, number):
    assert client.get("/services/", {"page": number}).status_code == 404


def test_a_short_list_has_no_page_links(client, service_page):
    html = client.get("/services/").text

    assert listed(html) == ["Django development services"]
    assert 'class="pagination"' not in html
    assert 'rel="next"' not in html
