"""
Prefetching changes what a request costs, never what it answers: every response is byte for byte
the one the sections give when each looks up what it needs by itself.
"""

import pytest
from wagtail.models import Page

from pages.models import ServicePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_with_odd_links(flask_page, sectioned_page):
    """A page whose rich text also links to a page that is gone and to one without a URL (the tree root)."""
    page = sectioned_page("odd-links", 12)
    gone = flask_page.get_parent().add_child(instance=ServicePage(title="Gone", slug="gone", summary="-", sections=[]))
    gone_id = gone.pk
    gone.delete()
    root_id = Page.get_first_root_node().pk
    body = (
        f'<p><a linktype="page" id="{gone_id}">gone</a>, <a linktype="page" id="{root_id}">root</a>, '
        f'<a linktype="page" id="{flask_page.pk}">Flask</a>, <a href="#top">top</a>, '
        '<a href="mailto:a@example.com">mail</a>.</p>'
    )
    text_block = page.sections.stream_block.child_blocks["text"]
    page.sections.append(("text", text_block.to_python({"heading": "Odd links", "body": body})))
    page.save_revision().publish()
    return ServicePage.objects.get(pk=page.pk)


def urls_of(page: ServicePage) -> list[str]:
    detail = f"/api/v1/pages/{page.pk}/"
    return [
        detail,
        f"{detail}?rich_text_format=markdown",
        f"{detail}?renditions=fill-800x450,width-400",
        f"/api/v1/pages/find/?path=/services/{page.slug}/",
        "/api/v1/pages/?type=pages.ServicePage&fields=*",
        *(f"{detail}sections/{section.id}/" for section in page.sections),
        *(f"{detail}sections/{section.id}/?rich_text_format=markdown" for section in page.sections),
        page.url,
        "/services/",
    ]


def test_prefetching_changes_no_response(client, page_with_odd_links, monkeypatch):
    urls = urls_of(page_with_odd_links)
    prefetched = {url: client.get(url) for url in urls}
    assert all(response.status_code == 200 for response in prefetched.values())
    html = prefetched[page_with_odd_links.url].content.decode()
    assert "<a>gone</a>" in html and 'href="None"' in html and '<a href="/services/flask/">Flask</a>' in html

    def no_prefetch(values, renditions):
        return None

    monkeypatch.setattr("pages.streams.prefetch_lookups", no_prefetch)
    monkeypatch.setattr("api.views.pages.prefetch_lookups", no_prefetch)
    for url in urls:
        assert client.get(url).content == prefetched[url].content, url
