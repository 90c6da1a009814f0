"""
The content change feed: every change visitors can see, as one domain event on `content_changed`.

Wagtail and Django report changes through many signals, each with its own quirks (a scheduled publish
that is not live yet, a revision bookkeeping save, a restriction deleted with its page). This module
listens to them once and sends a `ContentChange` for each change that matters; the response cache
(`pages.invalidation`) and the webhooks (`webhooks.events`) subscribe to it instead of to those signals.

| kind | sent when |
|---|---|
| `page_published` | a revision goes live: published now, or a go-live carried out by `publish_scheduled` |
| `page_unpublished` | a live page is unpublished by hand, or because it is being deleted |
| `page_expired` | `publish_scheduled` unpublishes a page past its expiry date |
| `page_deleted` | a page is deleted (one event for each page of a deleted subtree) |
| `page_moved` | a page gets a new parent or a new place among its siblings |
| `page_renamed` | a page's slug, so its URL and its descendants', changes (Wagtail does it on publish) |
| `page_privacy_changed` | a view restriction on a page (so on its descendants) is added, changed or removed |
| `snippet_changed` | any snippet, or an inline child of one, is saved, published, unpublished or deleted |
| `settings_changed` | any site or generic setting, or an inline child of one, is saved or deleted |
| `navigation_changed` | the navigation menu (a site setting) or one of its items is saved or deleted |
| `image_changed` | an image is saved or deleted |
| `document_changed` | a document is saved or deleted |
| `collection_privacy_changed` | a view restriction on a collection (and those below it) is added, changed or removed |

Each event names the page, snippet or setting (the owner, for an inline child), image, document or
collection that changed, with what subscribers need besides: the revision that went live, the URL
path before a move or a rename (a publish that renamed the page carries it too), the tree path before
a move, whether the object itself was deleted.

Models are found by type, never from a list: snippets through Wagtail's snippet registry, settings as
subclasses of `BaseSiteSetting`/`BaseGenericSetting`, their inline children through their `ParentalKey`,
images and documents as Wagtail's configured image and document models. A new snippet or setting is in
the feed without an edit here. `NAVIGATION_MODELS` only says which settings are the menu.

Not in the feed: saving a draft, scheduling, bookkeeping saves (a revision pointer, a lock, an image's lazily
computed hash), rows loaded from fixtures, and restrictions deleted along with their page or collection
(the deletion is the event). A page's expiry date passing needs no event: the response cache keeps
nothing past the next expiry (`pages.visibility.next_expiry`), and `publish_scheduled` later sends
`page_expired`.

Events are sent synchronously, in the transaction of the change and in the order of the changes:
a subscriber that must act only once the change is committed uses `transaction.on_commit` itself.
"""

import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal
from modelcluster.fields import ParentalKey
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, DraftStateMixin, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move, published, unpublished
from wagtail.snippets.models import get_snippet_models

from .models import NavigationMenu

# Sent with `sender` = the changed object's model and `change` = a `ContentChange`.
content_changed = Signal()

# The settings that are the site's menu: their changes are `navigation_changed`, not `settings_changed`.
NAVIGATION_MODELS = (NavigationMenu,)

# Saves that only record bookkeeping, not content: a revision pointer, an editor's lock, a file's lazily
# computed size or hash.
BOOKKEEPING_FIELDS = frozenset({"latest_revision", "locked", "locked_at", "locked_by", "file_size", "file_hash"})


class ChangeKind(StrEnum):
    PAGE_PUBLISHED = "page_published"
    PAGE_UNPUBLISHED = "page_unpublished"
    PAGE_EXPIRED = "page_expired"
    PAGE_DELETED = "page_deleted"
    PAGE_MOVED = "page_moved"
    PAGE_RENAMED = "page_renamed"
    PAGE_PRIVACY_CHANGED = "page_privacy_changed"
    SNIPPET_CHANGED = "snippet_changed"
    SETTINGS_CHANGED = "settings_changed"
    NAVIGATION_CHANGED = "navigation_changed"
    IMAGE_CHANGED = "image_changed"
    DOCUMENT_CHANGED = "document_changed"
    COLLECTION_PRIVACY_CHANGED = "collection_privacy_changed"


PAGE_KINDS = frozenset(kind for kind in ChangeKind if kind.startswith("page_"))


@dataclass(frozen=True)
class ContentChange:
    """
    One change visitors can see.

    `model` and `object_id` name what changed: the page (its specific class), the snippet or setting
    (the owner, when an inline child changed), the image, the document or the collection. `instance` is
    that object when the change was made on it; None when only an inline child was saved, so the owner
    was not loaded (subscribers that need it fetch it by `object_id`). `deleted` says the object itself is gone.

    `page_renamed` is sent as the page's row is saved, before Wagtail rewrites its descendants' URL paths:
    a subscriber finds them by tree path (`instance.path`), which a rename leaves as it was.
    """

    kind: ChangeKind
    model: type[Model]
    object_id: Any
    instance: Model | None = None
    deleted: bool = False
    revision_id: int | None = None
    url_path_before: str | None = None
    tree_path_before: str | None = None

    @property
    def page(self) -> Page | None:
        return self.instance if self.kind in PAGE_KINDS else None


def announce(change: ContentChange) -> None:
    content_changed.send(sender=change.model, change=change)


def _page_change(kind: ChangeKind, page: Page, **details) -> None:
    announce(ContentChange(kind, page.specific_class or Page, page.pk, page, **details))


# Classifying models --------------------------------------------------------------------------------------


def is_setting(model) -> bool:
    return issubclass(model, BaseSiteSetting | BaseGenericSetting)


def is_snippet(model) -> bool:
    # Asked each time, not cached: snippets can be registered late (wagtail_hooks), as Wagtail allows.
    return model in get_snippet_models()


def owner_kind(model) -> ChangeKind | None:
    """The kind of change a change to an object of `model` is, when it is a snippet or a setting."""
    if is_setting(model):
        return ChangeKind.NAVIGATION_CHANGED if issubclass(model, NAVIGATION_MODELS) else ChangeKind.SETTINGS_CHANGED
    if is_snippet(model):
        return ChangeKind.SNIPPET_CHANGED
    return None


@cache
def _parental_key(model) -> ParentalKey | None:
    return next((field for field in model._meta.fields if isinstance(field, ParentalKey)), None)


def _owner(model, instance) -> tuple[type[Model] | None, Any]:
    """(owner model, owner id) whose change `instance`'s save or deletion is: itself, or its inline parent."""
    if owner_kind(model) is not None:
        return model, instance.pk
    parental_key = _parental_key(model)
    if parental_key is not None and owner_kind(parental_key.related_model) is not None:
        return parental_key.related_model, getattr(instance, parental_key.attname)
    return None, None


def change_of(model, instance, *, deleted: bool) -> ContentChange | None:
    """The change that saving or deleting `instance` (of `model`) is, if any."""
    if issubclass(model, get_image_model()):
        return ContentChange(ChangeKind.IMAGE_CHANGED, model, instance.pk, instance, deleted=deleted)
    if issubclass(model, get_document_model()):
        return ContentChange(ChangeKind.DOCUMENT_CHANGED, model, instance.pk, instance, deleted=deleted)
    owner_model, owner_id = _owner(model, instance)
    if owner_model is None or owner_id is None:
        return None
    itself = owner_model is model
    return ContentChange(
        owner_kind(owner_model), owner_model, owner_id, instance if itself else None, deleted=deleted and itself
    )


def _deleted_with_something_else(restriction_model, origin) -> bool:
    """Whether a restriction is being deleted because its page or collection is (Django's `origin` of the delete)."""
    deleted = origin.model if isinstance(origin, QuerySet) else type(origin)
    return not issubclass(deleted, restriction_model)


# Pages ---------------------------------------------------------------------------------------------------

# Set on a page instance while it is saved: its slug and URL path in the database before the save.
_STORED_SLUG_AND_URL_PATH = "_changes_stored_slug_and_url_path"
# Set on a page instance whose last save changed its slug: its URL path before, for `page_published`.
_RENAMED_FROM = "_changes_renamed_from"
# Tree paths of pages being moved in this thread, by id: `post_page_move` gives only the new one.
_moving = threading.local()


def on_page_about_to_be_saved(instance: Page, update_fields) -> None:
    """Remember the stored slug and URL path, as Wagtail's `Page.save` reads them, when the save may change the slug."""
    if instance.pk is None or (update_fields is not None and "slug" not in update_fields):
        return
    stored = Page.objects.filter(pk=instance.pk).values_list("slug", "url_path").first()
    instance.__dict__[_STORED_SLUG_AND_URL_PATH] = stored


def on_page_saved(instance: Page) -> None:
    stored = instance.__dict__.pop(_STORED_SLUG_AND_URL_PATH, None)
    instance.__dict__.pop(_RENAMED_FROM, None)
    if stored is None or stored[0] == instance.slug:
        return
    instance.__dict__[_RENAMED_FROM] = stored[1]
    _page_change(ChangeKind.PAGE_RENAMED, instance, url_path_before=stored[1])


def on_page_published(sender, instance, revision=None, **kwargs):
    # Wagtail sends page_published also when a revision is only scheduled for a page that is not live yet.
    if not instance.live:
        return
    revision_id = revision.pk if revision is not None else instance.live_revision_id
    renamed_from = instance.__dict__.pop(_RENAMED_FROM, None)
    _page_change(ChangeKind.PAGE_PUBLISHED, instance, revision_id=revision_id, url_path_before=renamed_from)


def on_page_unpublished(sender, instance, **kwargs):
    # `publish_scheduled` unpublishes with set_expired=True; an editor's unpublish leaves `expired` False.
    _page_change(ChangeKind.PAGE_EXPIRED if instance.expired else ChangeKind.PAGE_UNPUBLISHED, instance)


def on_pre_page_move(sender, instance, **kwargs):
    _moving.__dict__[instance.pk] = instance.path


def on_post_page_move(sender, instance, url_path_before, **kwargs):
    tree_path_before = _moving.__dict__.pop(instance.pk, instance.path)
    _page_change(ChangeKind.PAGE_MOVED, instance, url_path_before=url_path_before, tree_path_before=tree_path_before)


def on_page_view_restriction_changed(sender, instance, origin=None, **kwargs):
    if origin is not None and _deleted_with_something_else(PageViewRestriction, origin):
        return
    _page_change(ChangeKind.PAGE_PRIVACY_CHANGED, instance.page)


def on_collection_view_restriction_changed(sender, instance, origin=None, **kwargs):
    if origin is not None and _deleted_with_something_else(CollectionViewRestriction, origin):
        return
    collection = instance.collection
    announce(ContentChange(ChangeKind.COLLECTION_PRIVACY_CHANGED, Collection, collection.pk, collection))


# Any model: pages, snippets, settings, images, documents ---------------------------------------------------


def on_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and isinstance(instance, Page):
        on_page_about_to_be_saved(instance, update_fields)


def on_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return  # fixtures
    if isinstance(instance, Page):
        on_page_saved(instance)
        return
    if update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    if issubclass(sender, DraftStateMixin):
        return  # its drafts are saved too: `on_published` reports what goes live
    change = change_of(sender, instance, deleted=False)
    if change is not None:
        announce(change)


def on_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        # Deleting a page deletes its row in each table of its type; the base row is there once.
        if sender is Page:
            _page_change(ChangeKind.PAGE_DELETED, instance, deleted=True)
        return
    change = change_of(sender, instance, deleted=True)
    if change is not None:
        announce(change)


def on_published(sender, instance, **kwargs):
    """Snippets and settings with drafts (DraftStateMixin): a change counts when it is published or unpublished."""
    if isinstance(instance, Page):
        return  # pages have signals of their own
    change = change_of(type(instance), instance, deleted=False)
    if change is not None:
        announce(change)


def connect() -> None:
    """Connect the feed to Wagtail's and Django's signals; called once from the pages app's ready()."""
    page_published.connect(on_page_published, dispatch_uid="changes-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="changes-page-unpublished")
    pre_page_move.connect(on_pre_page_move, dispatch_uid="changes-pre-page-move")
    post_page_move.connect(on_post_page_move, dispatch_uid="changes-post-page-move")
    for signal in (post_save, post_delete):
        signal.connect(
            on_page_view_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"changes-pvr-{signal}"
        )
        signal.connect(
            on_collection_view_restriction_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"changes-cvr-{signal}",
        )
    # Any model: what changed is found by type (see `change_of`), so new models need no edit here.
    pre_save.connect(on_pre_save, dispatch_uid="changes-pre-save")
    post_save.connect(on_saved, dispatch_uid="changes-saved")
    post_delete.connect(on_deleted, dispatch_uid="changes-deleted")
    published.connect(on_published, dispatch_uid="changes-published")
    unpublished.connect(on_published, dispatch_uid="changes-unpublished")
