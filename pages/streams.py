"""
What a page's sections look up, fetched in bulk, so that showing a page costs the same number of
queries however many sections it has.

Loading a StreamField already fetches chooser values together (Wagtail's `bulk_to_python`: one
query per chooser field of each section type). What those values look up next would otherwise
cost a query, or a cache round trip, each:

- an image's renditions (`pages.images.prefetch_renditions`),
- the pages a rich text links to (`pages.rich_text.prefetch_page_links`),
- the page a shared call to action's button links to (its `link_page` foreign key).

`prefetch_section_lookups(pages, renditions)` fetches each kind once for all of `pages` (and
`prefetch_lookups` for any block values); the API calls it before serialising sections, and
`ServicePage.get_context` before rendering them.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import prefetch_related_objects
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.rich_text import RichText

from .images import prefetch_renditions
from .links import PageOrUrlLinkMixin
from .rich_text import prefetch_page_links


def page_streams(page, fields: Iterable[str] | None = None) -> list[StreamValue]:
    """The StreamField values of a (specific) page, in field order; only those named in `fields` if given."""
    return [
        getattr(page, field.name)
        for field in page._meta.get_fields()
        if isinstance(field, StreamField) and (fields is None or field.name in fields)
    ]


def stream_leaves(value) -> Iterator:
    """Every value inside a stream, struct or list value, at any depth (images, rich text, snippets, …)."""
    if isinstance(value, StreamValue):
        for child in value:
            yield from stream_leaves(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from stream_leaves(child)
    elif isinstance(value, ListValue):
        for child in value:
            yield from stream_leaves(child)
    elif value is not None:
        yield value


def prefetch_lookups(values: Iterable, renditions: Iterable[str]) -> None:
    """
    Fetch what `values` (stream values, or any block values) will look up when shown, one query per kind.

    `renditions` are the image renditions that will be asked for; an image asked for another one
    still gets it, at a query per image.
    """
    leaves = [leaf for value in values for leaf in stream_leaves(value)]
    prefetch_renditions([leaf for leaf in leaves if isinstance(leaf, AbstractImage)], renditions)
    prefetch_page_links(leaf for leaf in leaves if isinstance(leaf, RichText))
    links_by_model = defaultdict(list)
    for leaf in leaves:
        if isinstance(leaf, PageOrUrlLinkMixin):
            links_by_model[type(leaf)].append(leaf)
    for links in links_by_model.values():
        prefetch_related_objects(links, "link_page")


def prefetch_section_lookups(pages: Iterable, renditions: Iterable[str], fields: Iterable[str] | None = None) -> None:
    """`prefetch_lookups` for the StreamFields of (specific) `pages`, or for those of them named in `fields`."""
    prefetch_lookups((stream for page in pages for stream in page_streams(page, fields)), renditions)
