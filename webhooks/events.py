"""
From content changes to webhook deliveries.

| event | sent when |
|---|---|
| `page.published` | a revision goes live (publish now, or a scheduled go-live carried out) |
| `page.unpublished` | a live page is unpublished (by hand, on expiry, or because it is being deleted) |
| `page.deleted` | a page that was ever published is deleted (each such descendant too) |
| `page.moved` | a live page gets a new parent or a new place among its siblings |
| `snippet.changed` | a snippet (e.g. a call to action) is saved or deleted |
| `settings.changed` | site settings or the navigation menu (or their inline items) are saved |

Saving a draft, submitting it for moderation or scheduling it sends nothing: only what visitors can
see counts. Deliveries are created in the transaction of the change, so a change that is rolled back
sends nothing, and the delivery task is queued once it commits.
"""

from collections.abc import Callable
from functools import cache, partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import DraftStateMixin, Page
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished
from wagtail.snippets.models import get_snippet_models

from . import payloads
from .delivery import enqueue_queues
from .models import Webhook, WebhookDelivery, WebhookEvent

Status = WebhookDelivery.Status


def record(event: str, ordering_key: str, describe: Callable[[], dict | None], *, coalesce: bool = False) -> None:
    """
    Create a delivery of `event` for each active webhook subscribed to it; queue them once the transaction commits.

    Receivers run on every publish and on every save of every model, so this costs one query when no
    webhook listens: `describe()` builds the payload's subject (paths, URLs, perhaps a query) only when
    one does, and returns None when there is nothing to announce after all.

    With `coalesce`, a webhook that already has an identical delivery not yet attempted gets no second one:
    saving settings saves each inline item too, and one "changed" is all a receiver needs. The pending
    delivery gets the new timestamp instead, in an UPDATE that holds its row until this transaction ends,
    so a worker cannot send it between this change and its commit.
    """
    webhooks = [webhook for webhook in Webhook.objects.filter(is_active=True) if webhook.is_subscribed_to(event)]
    if not webhooks:
        return
    subject = describe()
    if subject is None:
        return
    now = timezone.now()
    if coalesce:
        webhooks = [webhook for webhook in webhooks if not _refresh_pending(webhook, event, ordering_key, subject, now)]
        if not webhooks:
            return
    deliveries = []
    for webhook in webhooks:
        delivery = WebhookDelivery(
            webhook=webhook, event=event, ordering_key=ordering_key, next_attempt_at=now, status=Status.PENDING
        )
        delivery.payload = _payload(event, delivery.uuid, now, subject)
        deliveries.append(delivery)
    WebhookDelivery.objects.bulk_create(deliveries)
    queues = {(webhook.pk, ordering_key) for webhook in webhooks}
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


def on_page_published(sender, instance, revision=None, **kwargs):
    # Wagtail sends page_published also when a revision is only scheduled for a page that is not live yet.
    if not instance.live:
        return
    revision_id = revision.pk if revision is not None else instance.live_revision_id
    record(
        WebhookEvent.PAGE_PUBLISHED,
        page_key(instance.pk),
        partial(payloads.page_subject, instance, revision_id=revision_id),
    )


def on_page_unpublished(sender, instance, **kwargs):
    record(WebhookEvent.PAGE_UNPUBLISHED, page_key(instance.pk), partial(payloads.page_subject, instance))


def on_page_deleted(sender, instance, **kwargs):
    """
    post_delete, so that it follows the `page.unpublished` Wagtail sends from pre_delete for a live page.
    The instance still has its id, path and title; pages never published were never announced.
    """
    if instance.first_published_at is None:
        return
    record(WebhookEvent.PAGE_DELETED, page_key(instance.pk), partial(payloads.page_subject, instance))


def on_page_moved(sender, instance, url_path_before, **kwargs):
    if not instance.live:
        return
    describe = partial(
        payloads.page_subject, instance, revision_id=instance.live_revision_id, previous_url_path=url_path_before
    )
    record(WebhookEvent.PAGE_MOVED, page_key(instance.pk), describe)


# Snippets and settings --------------------------------------------------------------------------------


@cache
def _parental_key(model) -> ParentalKey | None:
    return next((field for field in model._meta.fields if isinstance(field, ParentalKey)), None)


def _is_snippet(model) -> bool:
    return model in get_snippet_models()


def _owner(model, instance):
    """(owner model, owner id) whose change `instance`'s save or deletion is: itself, or its inline parent."""
    if _is_snippet(model) or issubclass(model, BaseSiteSetting):
        return model, instance.pk
    parental_key = _parental_key(model)
    if parental_key is not None:
        owner_model = parental_key.related_model
        if _is_snippet(owner_model) or issubclass(owner_model, BaseSiteSetting):
            return owner_model, getattr(instance, parental_key.attname)
    return None, None


def _record_model_change(model, instance, *, deleted: bool) -> None:
    owner_model, owner_id = _owner(model, instance)
    if owner_model is None or owner_id is None:
        return
    deleted = deleted and owner_model is model
    if issubclass(owner_model, BaseSiteSetting):

        def describe():
            site_id = instance.site_id if owner_model is model else _site_of(owner_model, owner_id)
            if site_id is None:
                return None  # the settings themselves are being deleted, and say so
            return payloads.settings_subject(owner_model, owner_id, site_id)

        key = f"settings:{owner_model._meta.label_lower}:{owner_id}"
        record(WebhookEvent.SETTINGS_CHANGED, key, describe, coalesce=True)
    else:
        key = f"snippet:{owner_model._meta.label_lower}:{owner_id}"
        describe = partial(payloads.snippet_subject, owner_model, owner_id, deleted=deleted)
        record(WebhookEvent.SNIPPET_CHANGED, key, describe, coalesce=True)


def _site_of(settings_model, settings_id) -> int | None:
    return settings_model.objects.filter(pk=settings_id).values_list("site_id", flat=True).first()


def on_model_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return  # fixtures
    if update_fields is not None and set(update_fields) <= {"latest_revision"}:
        return  # RevisionMixin recording the revision it just created: not a change of content
    if issubclass(sender, DraftStateMixin):
        return  # its drafts are saved too: `on_published` / `on_unpublished` report what goes live
    _record_model_change(sender, instance, deleted=False)


def on_model_deleted(sender, instance, **kwargs):
    _record_model_change(sender, instance, deleted=True)


def on_published(sender, instance, **kwargs):
    """Snippets with drafts (DraftStateMixin): a change counts when it is published or unpublished."""
    if not isinstance(instance, Page):
        _record_model_change(type(instance), instance, deleted=False)


def connect() -> None:
    """Connect the receivers; called once from the webhooks app's ready()."""
    page_published.connect(on_page_published, dispatch_uid="webhooks-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="webhooks-page-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="webhooks-page-moved")
    # sender=Page: deleting a page deletes its row in each table of its type; the base row is there once.
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="webhooks-page-deleted")
    # Any model: snippets and settings are found by type (see `_owner`), so new ones need no edits here.
    post_save.connect(on_model_saved, dispatch_uid="webhooks-model-saved")
    post_delete.connect(on_model_deleted, dispatch_uid="webhooks-model-deleted")
    published.connect(on_published, dispatch_uid="webhooks-published")
    unpublished.connect(on_published, dispatch_uid="webhooks-unpublished")
