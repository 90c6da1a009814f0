"""
Invalidate exactly the cached responses a change affects, by signal, the moment it is committed.

| change | tags bumped |
|---|---|
| publish, unpublish, delete a page | the page (so its descendants too), `page-tree`, pages linking to it |
| move a page | its old and new positions, `page-tree`, `navigation`, pages that link to it |
| view restriction added/removed | the page (so its descendants too), `page-tree`, `navigation` |
| collection view restriction added/removed | the images in the collection and below it, `images` |
| a call-to-action snippet | its tag, the pages and settings that use it (Wagtail's reference index) |
| an image | its tag, `images`, the pages and settings that use it (reference index) |
| site settings / social links | `settings` |
| navigation menu / items | `navigation` |
| a page's expiry date passes | nothing: no signal is sent, so `response_cache` keeps nothing past the next expiry |

Invalidation runs when the change is made and again after the transaction commits, so a request
can never re-cache the content the change is replacing. With `wagtail.contrib.frontend_cache`
configured (WAGTAILFRONTENDCACHE), the URLs of the affected pages are purged from the CDN as
well (Wagtail purges published pages itself).
"""

import logging
import threading

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, ReferenceIndex
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from core import cache_tags
from core.response_cache import invalidate

from .models import CallToAction, NavigationItem, NavigationMenu, SiteSettings, SocialLink

logger = logging.getLogger(__name__)
_moving = threading.local()


def referencing_tags(obj) -> tuple[list[str], list]:
    """Tags of the pages and settings that use `obj` (per Wagtail's reference index), and those pages."""
    references = ReferenceIndex.get_references_to(obj)
    page_ids, tags = set(), []
    for content_type_id, object_id in references.values_list("base_content_type", "object_id").distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and issubclass(model, Page):
            page_ids.add(int(object_id))
        elif model is SiteSettings:
            tags.append(cache_tags.SETTINGS)
        elif model is NavigationMenu:
            tags.append(cache_tags.NAVIGATION)
    pages = list(Page.objects.filter(pk__in=page_ids).only("id", "path", "url_path"))
    tags += [cache_tags.page_tag(page.path) for page in pages]
    return tags, pages


def purge_from_cdn(pages) -> None:
    if not pages:
        return
    try:
        purge_pages_from_cache(pages)
    except Exception:  # a CDN hiccup must not fail the editor's save
        logger.exception("Purging %d page(s) from the CDN failed.", len(pages))


def _changed_with_references(obj, *tags: str) -> None:
    """Invalidate `tags` and the pages and settings that use `obj`; purge those pages from the CDN once committed."""
    referencing, pages = referencing_tags(obj)
    invalidate(*tags, *referencing)
    transaction.on_commit(lambda: purge_from_cdn(pages))


def _page_changed(instance: Page, *extra: str) -> None:
    _changed_with_references(instance, cache_tags.page_tag(instance.path), cache_tags.PAGE_TREE, *extra)


def on_page_published(sender, instance, **kwargs):
    _page_changed(instance)


def on_page_unpublished(sender, instance, **kwargs):
    _page_changed(instance, cache_tags.NAVIGATION)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate(cache_tags.page_tag(instance.path), cache_tags.PAGE_TREE, cache_tags.NAVIGATION)


def on_pre_page_move(sender, instance, **kwargs):
    _moving.__dict__[instance.pk] = instance.path


def on_post_page_move(sender, instance, **kwargs):
    old_path = _moving.__dict__.pop(instance.pk, instance.path)
    _page_changed(instance, cache_tags.page_tag(old_path), cache_tags.NAVIGATION)


def on_view_restriction_changed(sender, instance, **kwargs):
    # Menus leave out items whose page visitors cannot see (`NavigationMenu.shown_items`).
    invalidate(cache_tags.page_tag(instance.page.path), cache_tags.PAGE_TREE, cache_tags.NAVIGATION)


def on_collection_view_restriction_changed(sender, instance, **kwargs):
    images = get_image_model().objects.filter(collection__path__startswith=instance.collection.path)
    image_tags = [cache_tags.image_tag(pk) for pk in images.values_list("pk", flat=True)]
    invalidate(cache_tags.IMAGES, *image_tags)


def on_snippet_changed(sender, instance, **kwargs):
    _changed_with_references(instance, cache_tags.snippet_tag(sender, instance.pk), cache_tags.SNIPPETS)


def on_image_changed(sender, instance, **kwargs):
    _changed_with_references(instance, cache_tags.image_tag(instance.pk), cache_tags.IMAGES)


def on_settings_changed(sender, instance, **kwargs):
    invalidate(cache_tags.SETTINGS)


def on_navigation_changed(sender, instance, **kwargs):
    invalidate(cache_tags.NAVIGATION)


def connect() -> None:
    """Connect the handlers; called once from the pages app's ready()."""
    page_published.connect(on_page_published, dispatch_uid="cache-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="cache-page-unpublished")
    post_delete.connect(on_page_deleted, dispatch_uid="cache-page-deleted")
    pre_page_move.connect(on_pre_page_move, dispatch_uid="cache-pre-page-move")
    post_page_move.connect(on_post_page_move, dispatch_uid="cache-post-page-move")
    for signal in (post_save, post_delete):
        signal.connect(on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"cache-pvr-{signal}")
        signal.connect(
            on_collection_view_restriction_changed, sender=CollectionViewRestriction, dispatch_uid=f"cache-cvr-{signal}"
        )
        signal.connect(on_snippet_changed, sender=CallToAction, dispatch_uid=f"cache-cta-{signal}")
        signal.connect(on_image_changed, sender=get_image_model(), dispatch_uid=f"cache-image-{signal}")
        for model in (SiteSettings, SocialLink):
            signal.connect(on_settings_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-{signal}")
        for model in (NavigationMenu, NavigationItem):
            signal.connect(on_navigation_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-{signal}")
