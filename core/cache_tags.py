"""
Dependency tags: what a response was built from, so exactly those responses are dropped on a change.

While a response is being made, code that reads content calls `add(...)` with tags such as
`page:00010001` (a page, by tree path), `navigation`, `settings` or `page-tree` (any change to
which pages exist where). The response cache stores the tags with the response, and the content
app records a new version of each tag a change touches, in the database (`core.freshness`); a
cached response with a tag changed since it was made is a miss. The same tags go out as `Cache-Tag` for CDNs.

Pages are tagged by tree path: a page's response depends on its own path and its ancestors'
(titles in breadcrumbs, slugs in URLs), and those are the prefixes of its path, known
without a query.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

NAVIGATION = "navigation"
SETTINGS = "settings"
PAGE_TREE = "page-tree"
IMAGES = "images"
SNIPPETS = "snippets"

_collected: ContextVar[set[str] | None] = ContextVar("cache_tags", default=None)

# Wagtail's tree paths grow by this many characters a level.
PATH_STEP = 4


def page_tag(path: str) -> str:
    return f"page:{path}"


def page_and_ancestor_tags(path: str) -> list[str]:
    """Tags of the page at `path` and of each of its ancestors below the tree root."""
    return [page_tag(path[:end]) for end in range(2 * PATH_STEP, len(path) + 1, PATH_STEP)]


def image_tag(image_id: int) -> str:
    return f"image:{image_id}"


def snippet_tag(model, pk) -> str:
    """The tag of one snippet (`model` is its class), e.g. "snippet:pages.calltoaction:3"."""
    return f"snippet:{model._meta.label_lower}:{pk}"


def add(*tags: str) -> None:
    """Record that the response being made depends on `tags` (a no-op outside a collection)."""
    collected = _collected.get()
    if collected is not None:
        collected.update(tags)


def add_page(page) -> None:
    add(*page_and_ancestor_tags(page.path))


@contextmanager
def collecting() -> Iterator[set[str]]:
    """Collect the tags added while the block runs."""
    tags: set[str] = set()
    token = _collected.set(tags)
    try:
        yield tags
    finally:
        _collected.reset(token)
