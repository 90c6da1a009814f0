"""
Rate limits for anonymous API clients, counted in the shared cache so every app server agrees.

A fixed window per client IP: `incr` on one cache key per window is atomic in Redis and costs
one round trip, where DRF's default keeps a growing list of timestamps per client. The state of
the window is left on the request as `rate_limit`, and `ApiViewMixin` turns it into
`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers on every response.
A cache outage fails open: an unreachable Redis must not take the API down with it.
"""

import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


class AnonymousRateThrottle(BaseThrottle):
    scope = "anon"

    def allow_request(self, request, view):
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if not rate:
            return True
        limit, duration = SimpleRateThrottle.parse_rate(None, rate)
        now = time.time()
        window = int(now // duration)
        key = f"throttle:{self.scope}:{self.get_ident(request)}:{window}"
        self.reset = max(1, math.ceil((window + 1) * duration - now))
        try:
            cache.add(key, 0, timeout=duration + 1)
            count = cache.incr(key)
        except ValueError:
            # The key vanished between add and incr (evicted): this is the window's first request.
            cache.set(key, 1, timeout=duration + 1)
            count = 1
        except Exception:
            logger.warning("Rate limiting skipped: the cache is unreachable.")
            return True
        if count is None:
            return True
        request.rate_limit = RateLimit(limit=limit, remaining=max(0, limit - count), reset=self.reset)
        return count <= limit

    def wait(self):
        return self.reset
