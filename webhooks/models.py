"""
Webhooks: the endpoints that are told when published content changes, and the log of every delivery.

A `Webhook` subscribes a URL to some of the `WebhookEvent`s. Each event of the content change feed
(`pages.changes`) creates one `WebhookDelivery` per subscribed, active webhook, in the same transaction
as the change (see `webhooks.events`);
a background task sends it and retries it (see `webhooks.delivery`).
"""

import uuid

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from .signing import SECRET_FORMAT, generate_secret, validate_secret

# Deliveries are POSTed over HTTP(S) only.
URL_VALIDATOR = URLValidator(schemes=["http", "https"])


class WebhookEvent(models.TextChoices):
    PAGE_PUBLISHED = "page.published", "Page published"
    PAGE_UNPUBLISHED = "page.unpublished", "Page unpublished"
    PAGE_DELETED = "page.deleted", "Page deleted"
    PAGE_MOVED = "page.moved", "Page moved"
    PAGE_PRIVACY_CHANGED = "page.privacy_changed", "Page privacy changed"
    SNIPPET_CHANGED = "snippet.changed", "Snippet changed"
    SETTINGS_CHANGED = "settings.changed", "Settings changed"
    IMAGE_CHANGED = "image.changed", "Image changed"
    DOCUMENT_CHANGED = "document.changed", "Document changed"


def validate_events(value) -> None:
    """A non-empty list of distinct event codes."""
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one event.")
    unknown = [event for event in value if event not in WebhookEvent.values]
    if unknown:
        raise ValidationError(f"Unknown events: {', '.join(map(str, unknown))}.")
    if len(set(value)) != len(value):
        raise ValidationError("Each event can be listed only once.")


class Webhook(models.Model):
    name = models.CharField(max_length=100, help_text="What receives the events, e.g. 'Next.js front end'.")
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[URL_VALIDATOR],
        help_text="Where events are POSTed. Use https:// for anything outside your own network.",
    )
    secret = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_secret],
        help_text=(
            "Signs every delivery (Standard Webhooks: the webhook-signature header); give the receiver this value "
            f"as it is. Leave empty to generate a random one; otherwise {SECRET_FORMAT}."
        ),
    )
    events = models.JSONField(default=list, validators=[validate_events], help_text="The events to send.")
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive webhooks receive nothing; their queued deliveries wait."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # The table the api app created, where webhooks were until they got an app of their own.
        db_table = "api_webhook"
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = generate_secret()
        super().save(*args, **kwargs)

    def is_subscribed_to(self, event: str) -> bool:
        return self.is_active and event in self.events


class WebhookDelivery(models.Model):
    """
    One event for one webhook, and what became of sending it.

    Deliveries sharing an `ordering_key` (one page, snippet, settings object, image or document) go to
    their webhook in the order they were created (`id`): a delivery is not attempted while an older one
    with the same key is still waiting for a retry.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERING = "delivering", "Delivering"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(
        "delivery id", default=uuid.uuid4, unique=True, editable=False, help_text="Sent as the webhook-id header."
    )
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    # e.g. "page:12", "snippet:pages.calltoaction:3", "settings:pages.sitesettings:1", "image:7", "document:2"
    ordering_key = models.CharField(max_length=200)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(help_text="When a pending delivery is (next) due.")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "api_webhookdelivery"
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # The delivery task's "oldest unfinished delivery of this queue" and the sweeper's due scan.
            models.Index(fields=["webhook", "ordering_key", "status", "id"], name="api_delivery_queue_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="api_delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_event_display()}: {self.subject}"

    @property
    @admin.display(description="about")
    def subject(self) -> str:
        """What the event is about, for people: "Flask development services (/services/flask/)", "image 7"."""
        for kind in ("page", "snippet", "settings", "image", "document"):
            described = self.payload.get(kind)
            if isinstance(described, dict):
                if kind == "page":
                    return f"{described.get('title')} ({described.get('path') or 'page ' + str(described.get('id'))})"
                return f"{described.get('type', kind)} {described.get('id')}"
        return ""
