"""
Signatures receivers check, as the Standard Webhooks specification (https://www.standardwebhooks.com) has them.

Every attempt carries:

    webhook-id: 7d0c8d1e-6f0e-4d5b-9a51-0b2b0c7e4f11     the delivery id, the same on every retry
    webhook-timestamp: 1795515302                         this attempt, in Unix seconds
    webhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=

The signature is the base64 HMAC-SHA256 of `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed with the
webhook's secret. It binds the body to the delivery id and the moment of sending, so a receiver can refuse
a replayed request (an old timestamp, or an id it has processed). Secrets are written the specification's
way, `whsec_` and the base64 of the key bytes, which is what the Standard Webhooks libraries take:

    from standardwebhooks import Webhook

    Webhook("whsec_rlPKwFlBl13APSLww7TJS8fTGCs8eopVuY62Gzs6fUo=").verify(raw_body, request_headers)

How to verify without a library: docs/webhooks.md.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import time

from django.core.exceptions import ValidationError

SIGNATURE_VERSION = "v1"
USER_AGENT = "NextBigIt-Webhooks/1"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
# The specification's bounds for a symmetric key: at least 192 bits, at most 512.
SECRET_MIN_BYTES = 24
SECRET_MAX_BYTES = 64
GENERATED_SECRET_BYTES = 32
SECRET_FORMAT = (
    f"{SECRET_PREFIX} followed by the base64 encoding of {SECRET_MIN_BYTES} to {SECRET_MAX_BYTES} random bytes"
)


def generate_secret() -> str:
    """A new random secret: `whsec_` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(GENERATED_SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key a `whsec_` secret stands for; ValueError if `secret` is not written that way."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"a secret starts with {SECRET_PREFIX}")
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error:
        raise ValueError(f"what follows {SECRET_PREFIX} is not base64") from None


def validate_secret(value: str) -> None:
    """A secret someone supplies: `whsec_` and the base64 of 24 to 64 bytes."""
    try:
        key = secret_key(value)
    except ValueError:
        raise ValidationError(
            f"Enter a secret in the Standard Webhooks format: {SECRET_FORMAT}. Or leave it out to have one generated.",
            code="invalid",
        ) from None
    if not SECRET_MIN_BYTES <= len(key) <= SECRET_MAX_BYTES:
        raise ValidationError(
            f"This secret's key is {len(key)} bytes; it must be {SECRET_MIN_BYTES} to {SECRET_MAX_BYTES}.",
            code="invalid_length",
        )


def signature(secret: str, delivery_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of "<id>.<timestamp>.<body>"."""
    message = f"{delivery_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), message, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signed_headers(secret: str, delivery_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers of one attempt to send `body`; `timestamp` (Unix seconds) defaults to now."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, delivery_id, timestamp, body),
    }
