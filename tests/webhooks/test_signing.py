"""
Standard Webhooks signatures: real deliveries to the real receiver, verified with the specification's own
Python library (`standardwebhooks`), as a receiver would; the secret format and what may be supplied.
"""

import base64
import hashlib
import hmac
import importlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks import Webhook as StandardWebhook
from standardwebhooks import WebhookVerificationError

from tests.factories import WebhookFactory
from tests.webhooks.receiver import publish
from webhooks.delivery import enqueue_due_deliveries
from webhooks.models import WebhookDelivery
from webhooks.signing import generate_secret, secret_key, signed_headers, validate_secret

pytestmark = pytest.mark.django_db

upgrade = importlib.import_module("webhooks.migrations.0003_standard_webhooks_secrets")


def whsec(key: bytes) -> str:
    return "whsec_" + base64.b64encode(key).decode()


@pytest.fixture
def webhook(receiver, seeded_site):
    return WebhookFactory(url=receiver.url)


@pytest.fixture
def delivered(receiver, webhook, flask_page, committed):
    """The request the receiver got for the Flask page's publication."""
    with committed():
        publish(flask_page)
    [request] = receiver.requests
    return request


def test_a_delivery_verifies_with_the_standard_webhooks_library(webhook, delivered):
    payload = StandardWebhook(webhook.secret).verify(delivered.body, delivered.headers)

    assert payload == delivered.json and payload["event"] == "page.published"
    assert delivered.headers["webhook-id"] == str(WebhookDelivery.objects.get().uuid)
    assert delivered.headers["webhook-signature"].startswith("v1,")


def test_the_library_refuses_another_secret_a_changed_body_and_an_old_timestamp(webhook, delivered):
    verifier = StandardWebhook(webhook.secret)

    with pytest.raises(WebhookVerificationError):
        StandardWebhook(generate_secret()).verify(delivered.body, delivered.headers)
    with pytest.raises(WebhookVerificationError):
        verifier.verify(delivered.body.replace(b"page.published", b"page.deleted"), delivered.headers)
    with pytest.raises(WebhookVerificationError), time_machine.travel(timezone.now() + timedelta(minutes=6)):
        verifier.verify(delivered.body, delivered.headers)


def test_a_retry_has_a_fresh_timestamp_and_signature_and_the_same_id(receiver, webhook, flask_page, committed):
    receiver.fail_next(1)
    with committed():
        publish(flask_page)
    delivery = WebhookDelivery.objects.get()

    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        enqueue_due_deliveries()  # as sweep_webhooks does
        first, retry = receiver.requests
        StandardWebhook(webhook.secret).verify(retry.body, retry.headers)

    assert first.headers["webhook-id"] == retry.headers["webhook-id"]
    assert int(retry.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) >= 30
    assert first.headers["webhook-signature"] != retry.headers["webhook-signature"]


def test_the_signature_follows_the_specification_byte_for_byte():
    key = bytes(range(32))
    body = b'{"event":"page.published"}'

    headers = signed_headers(whsec(key), "7d0c8d1e", body, timestamp=1795515302)

    digest = hmac.new(key, b"7d0c8d1e.1795515302." + body, hashlib.sha256).digest()
    assert headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()
    assert (headers["webhook-id"], headers["webhook-timestamp"]) == ("7d0c8d1e", "1795515302")


def test_generated_secrets_are_32_random_bytes_in_the_whsec_format():
    first, second = generate_secret(), generate_secret()

    assert first.startswith("whsec_") and len(secret_key(first)) == 32
    assert first != second
    validate_secret(first)


@pytest.mark.parametrize("key_bytes", [24, 64])
def test_a_supplied_secret_may_have_24_to_64_key_bytes(key_bytes):
    validate_secret(whsec(bytes(range(key_bytes))))


@pytest.mark.parametrize(
    "secret",
    [
        "a-plain-secret-of-the-old-kind-0123456789",  # no whsec_
        "whsec_this is not base64",
        "whsec_" + base64.urlsafe_b64encode(b"\xfb" * 30).decode(),  # URL-safe alphabet, not base64's
        whsec(bytes(23)),
        whsec(bytes(65)),
    ],
)
def test_other_secrets_are_refused(secret):
    with pytest.raises(ValidationError):
        validate_secret(secret)


# Upgrading: secrets stored before Standard Webhooks --------------------------------------------------------


@pytest.mark.parametrize(
    "plain, stored_key_bytes",
    [
        ("Hc2Lx1cUoE3JYH1mWdL9zq0fS3bIzwXcUuYq8tNfWm0", 43),  # as the CMS generated them (token_urlsafe(32))
        # Chosen by someone, 66 bytes: longer than HMAC-SHA256's block, stored as its SHA-256 (32 bytes).
        ("Der geheime Schlüssel für unser Frontend, länger als 64 Bytes!!", 32),
    ],
)
def test_a_secret_from_before_the_upgrade_keeps_signing_with_the_same_key(
    receiver, seeded_site, flask_page, committed, plain, stored_key_bytes
):
    webhook = WebhookFactory(url=receiver.url, secret=upgrade.to_standard_secret(plain))

    with committed():
        publish(flask_page)

    [request] = receiver.requests
    assert len(secret_key(webhook.secret)) == stored_key_bytes
    validate_secret(webhook.secret)
    # The receiver keeps its secret: "whsec_" + base64 of it verifies, with the library...
    StandardWebhook(whsec(plain.encode())).verify(request.body, request.headers)
    # ...and so does the old key itself, in the new signature format.
    message = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode() + request.body
    digest = hmac.new(plain.encode(), message, hashlib.sha256).digest()
    assert request.headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()
