"""
Signatures receivers check: `Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.

The signed message binds the body to the delivery id and the moment of sending, so a receiver can
refuse a replayed request (an old timestamp, or an id it has processed). How to verify: docs/webhooks.md.
"""

import hashlib
import hmac
import time

SIGNATURE_VERSION = "v1"
USER_AGENT = "NextBigIt-Webhooks/1"


def signature(secret: str, delivery_id: str, timestamp: int, body: bytes) -> str:
    message = f"{delivery_id}.{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, delivery_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers of one attempt to send `body`; `timestamp` (Unix seconds) defaults to now."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": delivery_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": f"{SIGNATURE_VERSION}={signature(secret, delivery_id, timestamp, body)}",
    }
