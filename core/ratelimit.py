"""
Fixed-window rate limiting in the shared state cache, for the API and the site's forms.

One cache key per client and window, incremented atomically (`incr` is atomic in Redis), so
every app server counts the same requests. The counters live in the `state` cache
(`core.state_cache`), never beside content, which could evict them. A cache outage fails open:
an unreachable Redis must not turn into refused visitors.
"""

import logging
import math
import time
from dataclasses import dataclass, field

from django.conf import settings

from core.cache_circuit import OUTAGE_ERRORS
from core.state_cache import state_cache

logger = logging.getLogger(__name__)

RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@dataclass(frozen=True)
class RateLimit:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends
    allowed: bool
    key: str = field(default="", repr=False, compare=False)  # the window's counter, for `forgive`

    def headers(self) -> dict[str, str]:
        return dict(zip(RATE_LIMIT_HEADERS, (str(self.limit), str(self.remaining), str(self.reset)), strict=True))


def client_ip(request) -> str:
    """The client's IP: REMOTE_ADDR, or the address our trusted proxies put in X-Forwarded-For."""
    proxies = settings.API_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, client: str, limit: int, period: int) -> RateLimit | None:
    """Count one request of `client` in `scope`; None when the cache cannot be reached (fail open)."""
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{client}:{window}"
    reset = max(1, math.ceil((window + 1) * period - now))
    try:
        count = _count(state_cache(), key, timeout=period + 1)
    except OUTAGE_ERRORS:
        return None  # Redis is down: the circuit breaker has said so once, for every caller
    except Exception:  # any other cache failure: serve the request rather than fail it
        logger.warning("Rate limit '%s' skipped: the cache is unreachable.", scope)
        return None
    if count is None:
        return None
    return RateLimit(limit=limit, remaining=max(0, limit - count), reset=reset, allowed=count <= limit, key=key)


def _count(cache, key: str, timeout: int) -> int | None:
    """
    Add one to the counter `key` (created with `timeout`); the count, or None if the cache ignored the call.

    On Redis this is one round trip, the window's counter created if need be and incremented in a single
    pipeline: it runs on every API request, cache hits included. Other backends take two calls.
    """
    if hasattr(cache, "client") and hasattr(cache.client, "get_client"):  # django-redis
        full_key = cache.make_and_validate_key(key)
        pipeline = cache.client.get_client(write=True).pipeline(transaction=False)
        pipeline.set(full_key, 0, ex=timeout, nx=True)
        pipeline.incr(full_key)
        _, count = pipeline.execute()
        return count
    try:
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)
    except ValueError:
        # The key vanished between add and incr (evicted): this is the window's first request.
        cache.set(key, 1, timeout=timeout)
        return 1


def forgive(rate_limit: RateLimit) -> None:
    """Take back one request that `hit` counted, e.g. an attempt that turned out to be a valid one.

    Counting first and forgiving afterwards keeps the check atomic: parallel requests can never
    get more than `limit` attempts through, as they could if the count were only read first.
    """
    try:
        state_cache().decr(rate_limit.key)
    except ValueError:
        pass  # the window has ended (or the key was evicted): there is nothing left to take back
    except Exception:  # any cache failure: the worst case is one attempt counted too many
        logger.warning("Rate limit key '%s' could not be decremented: the cache is unreachable.", rate_limit.key)
