"""
Invalidate exactly the cached responses a change affects: a subscriber of the change feed (`pages.changes`).

| change (`ChangeKind`) | tags bumped |
|---|---|
| `page_published` | the page (so its descendants too), `page-tree`, what references it |
| `page_unpublished`, `page_expired` | the page, `page-tree`, `navigation`, what references it |
| `page_deleted` | the page, `page-tree`, `navigation` (a live page was unpublished, with its references, first) |
| `page_moved` | its old and new positions, `page-tree`, `navigation`, what references it or a descendant |
| `page_renamed` | the page, `page-tree`, `navigation`, what references it or a descendant (their URLs changed) |
| `page_privacy_changed` | the page, `page-tree`, `navigation`, what references it |
| `snippet_changed` | its tag, `snippets`, what references it |
| `settings_changed` | `settings` |
| `navigation_changed` | `navigation` |
| `image_changed` | its tag, `images`, what references it |
| `document_changed` | what references it (no page renders a document link today, so usually nothing) |
| `collection_privacy_changed` | the images in the collection and below it, `images` |

"What references it" is read from Wagtail's reference index: a page's tag for each page, `settings`
or `navigation` for a setting, the snippet's tag for a snippet. Each `page:<path>` tag covers the
page's descendants too, since their responses carry their ancestors' tags (`core.cache_tags`).

The versions are recorded in the database, in the transaction of the change (`core.freshness`),
so they commit with it or not at all, and no message to a cache can be lost. With `wagtail.contrib.frontend_cache`
configured (WAGTAILFRONTENDCACHE), the URLs of the pages that reference the object, and of a page
whose privacy changed with its descendants, are purged from the CDN once committed (Wagtail
purges published and unpublished pages itself).
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from core import cache_tags
from core.response_cache import invalidate

from .changes import ChangeKind, ContentChange, content_changed, owner_kind

logger = logging.getLogger(__name__)

# The tag of a whole settings object (its responses do not name the object): by the feed's kind.
OWNER_TAGS = {ChangeKind.SETTINGS_CHANGED: cache_tags.SETTINGS, ChangeKind.NAVIGATION_CHANGED: cache_tags.NAVIGATION}


def referencing_tags(references) -> tuple[list[str], list[Page]]:
    """Tags of the pages, settings and snippets holding `references` (ReferenceIndex rows), and those pages."""
    page_ids, tags = set(), set()
    for content_type_id, object_id in references.values_list("base_content_type", "object_id").distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        if issubclass(model, Page):
            page_ids.add(int(object_id))
            continue
        kind = owner_kind(model)
        if kind is ChangeKind.SNIPPET_CHANGED:
            tags.add(cache_tags.snippet_tag(model, object_id))
        elif kind is not None:
            tags.add(OWNER_TAGS[kind])
    pages = list(Page.objects.filter(pk__in=page_ids).only("id", "path", "url_path"))
    return [*tags, *(cache_tags.page_tag(page.path) for page in pages)], pages


def purge_from_cdn(pages) -> None:
    if not pages:
        return
    try:
        purge_pages_from_cache(pages)
    except Exception:  # a CDN hiccup must not fail the editor's save
        logger.exception("Purging %d page(s) from the CDN failed.", len(pages))


def invalidate_with_references(references, *tags: str) -> None:
    """Invalidate `tags` and what holds `references`; purge the referencing pages from the CDN once committed."""
    referencing, pages = referencing_tags(references)
    if tags or referencing:
        invalidate(*tags, *referencing)
    if pages:
        transaction.on_commit(lambda: purge_from_cdn(pages))


def _references_to(change: ContentChange):
    obj = change.instance if change.instance is not None else change.model(pk=change.object_id)
    return ReferenceIndex.get_references_to(obj)


def _references_to_page_and_descendants(page: Page):
    """Links to the page or below it: their URLs all change when the page is moved or renamed."""
    return ReferenceIndex.get_references_to_in_bulk(Page.objects.descendant_of(page, inclusive=True))


def _page_tags(page: Page, *extra: str) -> list[str]:
    return [cache_tags.page_tag(page.path), cache_tags.PAGE_TREE, *extra]


def page_published(change: ContentChange) -> None:
    invalidate_with_references(_references_to(change), *_page_tags(change.page))


def page_gone(change: ContentChange) -> None:
    """Unpublished or expired: menus leave it out now (`NavigationMenu.shown_items`)."""
    invalidate_with_references(_references_to(change), *_page_tags(change.page, cache_tags.NAVIGATION))


def page_deleted(change: ContentChange) -> None:
    invalidate(*_page_tags(change.page, cache_tags.NAVIGATION))


def page_moved(change: ContentChange) -> None:
    page = change.page
    old_position = cache_tags.page_tag(change.tree_path_before or page.path)
    references = _references_to_page_and_descendants(page)
    invalidate_with_references(references, *_page_tags(page, old_position, cache_tags.NAVIGATION))


def page_renamed(change: ContentChange) -> None:
    page = change.page
    invalidate_with_references(_references_to_page_and_descendants(page), *_page_tags(page, cache_tags.NAVIGATION))


def page_privacy_changed(change: ContentChange) -> None:
    """The CDN's public copies of the page and every page below it must go too: they may be private now."""
    page = change.page
    invalidate_with_references(_references_to(change), *_page_tags(page, cache_tags.NAVIGATION))
    below = list(Page.objects.descendant_of(page, inclusive=True).live().only("id", "path", "url_path"))
    transaction.on_commit(lambda: purge_from_cdn(below))


def snippet_changed(change: ContentChange) -> None:
    snippet_tag = cache_tags.snippet_tag(change.model, change.object_id)
    invalidate_with_references(_references_to(change), snippet_tag, cache_tags.SNIPPETS)


def owner_changed(change: ContentChange) -> None:
    invalidate(OWNER_TAGS[change.kind])


def image_changed(change: ContentChange) -> None:
    invalidate_with_references(_references_to(change), cache_tags.image_tag(change.object_id), cache_tags.IMAGES)


def document_changed(change: ContentChange) -> None:
    invalidate_with_references(_references_to(change))


def collection_privacy_changed(change: ContentChange) -> None:
    images = get_image_model().objects.filter(collection__path__startswith=change.instance.path)
    image_tags = [cache_tags.image_tag(pk) for pk in images.values_list("pk", flat=True)]
    invalidate(cache_tags.IMAGES, *image_tags)


INVALIDATE = {
    ChangeKind.PAGE_PUBLISHED: page_published,
    ChangeKind.PAGE_UNPUBLISHED: page_gone,
    ChangeKind.PAGE_EXPIRED: page_gone,
    ChangeKind.PAGE_DELETED: page_deleted,
    ChangeKind.PAGE_MOVED: page_moved,
    ChangeKind.PAGE_RENAMED: page_renamed,
    ChangeKind.PAGE_PRIVACY_CHANGED: page_privacy_changed,
    ChangeKind.SNIPPET_CHANGED: snippet_changed,
    ChangeKind.SETTINGS_CHANGED: owner_changed,
    ChangeKind.NAVIGATION_CHANGED: owner_changed,
    ChangeKind.IMAGE_CHANGED: image_changed,
    ChangeKind.DOCUMENT_CHANGED: document_changed,
    ChangeKind.COLLECTION_PRIVACY_CHANGED: collection_privacy_changed,
}


def on_content_changed(sender, change: ContentChange, **kwargs) -> None:
    INVALIDATE[change.kind](change)


def connect() -> None:
    """Subscribe to the change feed; called once from the pages app's ready()."""
    content_changed.connect(on_content_changed, dispatch_uid="cache-content-changed")
