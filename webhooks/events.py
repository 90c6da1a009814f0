"""
From the content change feed (`pages.changes`) to webhook deliveries.

| event | for the feed's | when |
|---|---|---|
| `page.published` | `page_published` | |
| `page.unpublished` | `page_unpublished`, `page_expired` | |
| `page.deleted` | `page_deleted` | the page was ever published |
| `page.moved` | `page_moved` | the page is live |
| `page.privacy_changed` | `page_privacy_changed` | the page is live |
| `snippet.changed` | `snippet_changed` | |
| `settings.changed` | `settings_changed`, `navigation_changed` | |
| `image.changed` | `image_changed`; `collection_privacy_changed`, one per image inside | |
| `document.changed` | `document_changed`; `collection_privacy_changed`, one per document inside | |

docs/webhooks.md says when each is sent in the receivers' terms.

`page_renamed` gets no event of its own: Wagtail changes a slug only when it publishes the page, so the
`page.published` that follows carries the URL's `previous_path`.

Saving a draft, submitting it for moderation or scheduling it sends nothing: only what visitors can
see counts. Deliveries are created in the transaction of the change, so a change that is rolled back
sends nothing, and the delivery task is queued once it commits.
"""

from collections.abc import Callable, Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from pages.changes import ChangeKind, ContentChange, content_changed

from . import payloads
from .delivery import enqueue_queues
from .models import Webhook, WebhookDelivery, WebhookEvent

Status = WebhookDelivery.Status

# One event about one subject: its ordering key, and what builds its payload's subject (None: nothing to say).
Announcement = tuple[str, Callable[[], dict | None]]


def record(event: str, ordering_key: str, describe: Callable[[], dict | None], *, coalesce: bool = False) -> None:
    """
    Create a delivery of `event` for each active webhook subscribed to it; queue them once the transaction commits.

    Every content change comes through here, so this costs one query when no webhook listens:
    `describe()` builds the payload's subject (paths, URLs, perhaps a query) only when one does,
    and returns None when there is nothing to announce after all.

    With `coalesce`, a webhook that already has an identical delivery not yet attempted gets no second one:
    saving settings saves each inline item too, and one "changed" is all a receiver needs. The pending
    delivery gets the new timestamp instead, in an UPDATE that holds its row until this transaction ends,
    so a worker cannot send it between this change and its commit.
    """
    record_each(event, [(ordering_key, describe)], coalesce=coalesce)


def record_each(event: str, announcements: Iterable[Announcement], *, coalesce: bool = False) -> None:
    """`record` for many subjects of one event (the images of a collection), asking for the webhooks once."""
    webhooks = [webhook for webhook in Webhook.objects.filter(is_active=True) if webhook.is_subscribed_to(event)]
    if not webhooks:
        return
    now = timezone.now()
    deliveries, queues = [], set()
    for ordering_key, describe in announcements:
        subject = describe()
        if subject is None:
            continue
        receiving = webhooks
        if coalesce:
            receiving = [
                webhook for webhook in webhooks if not _refresh_pending(webhook, event, ordering_key, subject, now)
            ]
        for webhook in receiving:
            delivery = WebhookDelivery(
                webhook=webhook, event=event, ordering_key=ordering_key, next_attempt_at=now, status=Status.PENDING
            )
            delivery.payload = _payload(event, delivery.uuid, now, subject)
            deliveries.append(delivery)
            queues.add((webhook.pk, ordering_key))
    if not deliveries:
        return
    WebhookDelivery.objects.bulk_create(deliveries)
    # robust: the change is committed by then; a queueing failure is logged, and left to `sweep_webhooks`.
    transaction.on_commit(lambda: enqueue_queues(queues), robust=True)


def _payload(event: str, delivery_id, moment, subject: dict) -> dict:
    return {"event": event, "delivery_id": str(delivery_id), "timestamp": payloads.timestamp(moment), **subject}


def _refresh_pending(webhook: Webhook, event: str, ordering_key: str, subject: dict, now) -> bool:
    """Give an identical, never-attempted delivery of `webhook` the new timestamp; False when there is none."""
    unsent = WebhookDelivery.objects.filter(
        webhook=webhook, event=event, ordering_key=ordering_key, status=Status.PENDING, attempts=0
    ).only("pk", "uuid", "payload")
    for delivery in unsent:
        if all(delivery.payload.get(kind) == described for kind, described in subject.items()):
            refreshed = WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.PENDING, attempts=0).update(
                payload=_payload(event, delivery.uuid, now, subject)
            )
            if refreshed:
                return True
    return False


# Pages ------------------------------------------------------------------------------------------------


def page_key(page_id: int) -> str:
    return f"page:{page_id}"


def page_published(change: ContentChange) -> None:
    describe = partial(
        payloads.page_subject,
        change.page,
        revision_id=change.revision_id,
        previous_url_path=change.url_path_before,
    )
    record(WebhookEvent.PAGE_PUBLISHED, page_key(change.object_id), describe)


def page_unpublished(change: ContentChange) -> None:
    record(WebhookEvent.PAGE_UNPUBLISHED, page_key(change.object_id), partial(payloads.page_subject, change.page))


def page_deleted(change: ContentChange) -> None:
    """Follows the `page.unpublished` of a live page; the page still has its id, path and title."""
    if change.page.first_published_at is None:
        return  # never published, never announced
    record(WebhookEvent.PAGE_DELETED, page_key(change.object_id), partial(payloads.page_subject, change.page))


def page_moved(change: ContentChange) -> None:
    page = change.page
    if not page.live:
        return
    describe = partial(
        payloads.page_subject, page, revision_id=page.live_revision_id, previous_url_path=change.url_path_before
    )
    record(WebhookEvent.PAGE_MOVED, page_key(change.object_id), describe)


def page_privacy_changed(change: ContentChange) -> None:
    page = change.page
    if not page.live:
        return  # visitors could not see it either way

    def describe():
        return {**payloads.page_subject(page, revision_id=page.live_revision_id), **payloads.privacy_subject(page)}

    record(WebhookEvent.PAGE_PRIVACY_CHANGED, page_key(change.object_id), describe)


# Snippets and settings --------------------------------------------------------------------------------


def snippet_changed(change: ContentChange) -> None:
    key = f"snippet:{change.model._meta.label_lower}:{change.object_id}"
    describe = partial(payloads.snippet_subject, change.model, change.object_id, deleted=change.deleted)
    record(WebhookEvent.SNIPPET_CHANGED, key, describe, coalesce=True)


def settings_changed(change: ContentChange) -> None:
    model, settings_id = change.model, change.object_id

    def describe():
        if not issubclass(model, BaseSiteSetting):
            return payloads.settings_subject(model, settings_id, None)
        site_id = change.instance.site_id if change.instance is not None else _site_of(model, settings_id)
        if site_id is None:
            return None  # the settings themselves are being deleted, and say so
        return payloads.settings_subject(model, settings_id, site_id)

    key = f"settings:{model._meta.label_lower}:{settings_id}"
    record(WebhookEvent.SETTINGS_CHANGED, key, describe, coalesce=True)


def _site_of(settings_model, settings_id) -> int | None:
    return settings_model.objects.filter(pk=settings_id).values_list("site_id", flat=True).first()


# Images and documents ---------------------------------------------------------------------------------


def _image(image_id: int, *, deleted: bool = False) -> Announcement:
    return f"image:{image_id}", partial(payloads.image_subject, image_id, deleted=deleted)


def _document(document, *, deleted: bool = False) -> Announcement:
    return f"document:{document.pk}", partial(payloads.document_subject, document, deleted=deleted)


def image_changed(change: ContentChange) -> None:
    record(WebhookEvent.IMAGE_CHANGED, *_image(change.object_id, deleted=change.deleted), coalesce=True)


def document_changed(change: ContentChange) -> None:
    record(WebhookEvent.DOCUMENT_CHANGED, *_document(change.instance, deleted=change.deleted), coalesce=True)


def collection_privacy_changed(change: ContentChange) -> None:
    """Receivers know images and documents, not collections: each one in the collection or below it changed."""
    inside = {"collection__path__startswith": change.instance.path}
    image_ids = get_image_model().objects.filter(**inside).order_by("pk").values_list("pk", flat=True)
    record_each(WebhookEvent.IMAGE_CHANGED, (_image(image_id) for image_id in image_ids), coalesce=True)
    documents = get_document_model().objects.filter(**inside).order_by("pk").only("pk", "file", "title")
    record_each(WebhookEvent.DOCUMENT_CHANGED, (_document(document) for document in documents), coalesce=True)


ANNOUNCE = {
    ChangeKind.PAGE_PUBLISHED: page_published,
    ChangeKind.PAGE_UNPUBLISHED: page_unpublished,
    ChangeKind.PAGE_EXPIRED: page_unpublished,
    ChangeKind.PAGE_DELETED: page_deleted,
    ChangeKind.PAGE_MOVED: page_moved,
    ChangeKind.PAGE_PRIVACY_CHANGED: page_privacy_changed,
    ChangeKind.SNIPPET_CHANGED: snippet_changed,
    ChangeKind.SETTINGS_CHANGED: settings_changed,
    ChangeKind.NAVIGATION_CHANGED: settings_changed,
    ChangeKind.IMAGE_CHANGED: image_changed,
    ChangeKind.DOCUMENT_CHANGED: document_changed,
    ChangeKind.COLLECTION_PRIVACY_CHANGED: collection_privacy_changed,
}


def on_content_changed(sender, change: ContentChange, **kwargs) -> None:
    announce = ANNOUNCE.get(change.kind)  # `page_renamed`: announced by the `page.published` that follows
    if announce is not None:
        announce(change)


def connect() -> None:
    """Subscribe to the change feed; called once from the webhooks app's ready()."""
    content_changed.connect(on_content_changed, dispatch_uid="webhooks-content-changed")
