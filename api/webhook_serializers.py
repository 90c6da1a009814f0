"""
Shapes of the webhook management endpoints (`api.views.webhooks`): one input serializer for writes
(checked with `api.write_serializers.validate_body`, so unknown members are errors too), output
serializers for reads. A webhook's secret is accepted on input and shown once, in the answer to its
creation; no read shows it again.
"""

from django.core.validators import URLValidator
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webhooks.models import URL_VALIDATOR, Webhook, WebhookDelivery, WebhookEvent, validate_events
from webhooks.signing import SECRET_FORMAT, validate_secret


class HttpURLField(serializers.URLField):
    """
    A URL with the http or https scheme. DRF's own URL check, which a ModelSerializer uses instead of the
    model field's, also allows ftp://.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [validator for validator in self.validators if not isinstance(validator, URLValidator)] + [
            URL_VALIDATOR
        ]


class WebhookInputSerializer(serializers.ModelSerializer):
    """Create (`POST`) or change (`PATCH`, any subset of the fields) a webhook; run with `validate_body`."""

    url = HttpURLField(max_length=500, help_text=Webhook._meta.get_field("url").help_text)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        allow_empty=False,
        validators=[validate_events],
        help_text=Webhook._meta.get_field("events").help_text,
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        max_length=200,
        validators=[validate_secret],
        help_text=(
            "Signs every delivery (the Standard Webhooks `webhook-signature` header, `v1,<base64 HMAC-SHA256>`). "
            f"Written as Standard Webhooks libraries take it: {SECRET_FORMAT}. Leave it out on creation to have "
            "a random one generated (returned once, in the response); send a new one to replace it."
        ),
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "secret", "events", "is_active"]


class WebhookSerializer(serializers.ModelSerializer):
    """A webhook, without its secret."""

    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))
    deliveries_url = serializers.SerializerMethodField(help_text="Its delivery log.")

    class Meta:
        model = Webhook
        fields = ["id", "name", "url", "events", "is_active", "created_at", "deliveries_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_deliveries_url(self, webhook) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:webhook-deliveries", kwargs={"pk": webhook.pk}))


class CreatedWebhookSerializer(WebhookSerializer):
    """The answer to creating a webhook: the only time its secret is shown."""

    secret = serializers.CharField(
        help_text=(
            "The signing secret, `whsec_` and base64 as Standard Webhooks libraries take it: give it to the receiver "
            "as it is. Store it now: it is not shown again."
        )
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One delivery of an event to a webhook, and what became of it."""

    id = serializers.UUIDField(source="uuid", help_text="The delivery id, sent as the `webhook-id` header.")
    event = serializers.ChoiceField(choices=WebhookEvent.choices)
    status = serializers.ChoiceField(
        choices=WebhookDelivery.Status.choices,
        help_text=(
            "`pending`: waiting to be sent or for its next retry (`next_attempt_at`); `delivering`: being sent; "
            "`succeeded`: the receiver answered 2xx; `failed`: every retry failed."
        ),
    )
    payload = serializers.DictField(help_text="The JSON body that is POSTed (see docs/webhooks.md).")
    # Declared rather than derived from the model: a ModelSerializer copies the database backend's integer range
    # (64-bit on SQLite, 32- and 16-bit on PostgreSQL), and the OpenAPI document must not depend on the database.
    attempts = serializers.IntegerField(min_value=0, help_text="How many times it has been sent so far.")
    last_response_code = serializers.IntegerField(
        min_value=0, allow_null=True, help_text="The HTTP status the receiver last answered; null before any answer."
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "status",
            "attempts",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "last_response_code",
            "last_error",
            "payload",
        ]
