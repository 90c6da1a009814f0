"""
Rate limits of the API, counted in the shared cache so every app server agrees (see `core.ratelimit`).

- `AnonymousRateThrottle` (scope `anon`, `API_ANON_RATE`): every request, per client IP.
- `WriteRateThrottle` (scope `write`, `API_WRITE_RATE`): every write (POST, PUT, PATCH, DELETE), per
  API token, on top of the first; `ApiViewMixin` adds it to every view for unsafe methods.

The state of the window is left on the request as `rate_limit`, and `ApiViewMixin` turns it into
`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers on every response: for a
write, those of the write limit, unless the per-IP limit is the one refusing it.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from core.ratelimit import RateLimit, client_ip, hit

SCOPE = "anon"
WRITE_SCOPE = "write"


def _hit(scope: str, client: str) -> RateLimit | None:
    """Count one request of `client` against the `scope` rate; None when no rate is set or the cache is unreachable."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    if not rate:
        return None
    limit, period = SimpleRateThrottle.parse_rate(None, rate)
    return hit(f"api-{scope}", client, limit, period)


def count_request(request) -> RateLimit | None:
    """Count one anonymous API request, once; None when no limit applies or the cache is unreachable.

    Also called by the response cache for requests it answers without reaching a view; when it
    lets a refused request through to the view (for its 429), the throttle reuses that count.
    """
    if not hasattr(request, "counted_rate_limit"):
        request.counted_rate_limit = _hit(SCOPE, client_ip(request))
    return request.counted_rate_limit


class _CountedThrottle(BaseThrottle):
    """A throttle whose `wait()` is the time left in the window `allow_request` last counted in."""

    reset = 1

    def wait(self):
        return self.reset


class AnonymousRateThrottle(_CountedThrottle):
    def allow_request(self, request, view):
        rate_limit = count_request(request)
        if rate_limit is None:
            return True
        request.rate_limit = rate_limit
        self.reset = rate_limit.reset
        return rate_limit.allowed


class WriteRateThrottle(_CountedThrottle):
    """Writes per API token: one client cannot flood the revision history, whatever address it writes from."""

    def allow_request(self, request, view):
        if request.auth is None:
            return True
        rate_limit = _hit(WRITE_SCOPE, f"token-{request.auth.pk}")
        if rate_limit is None:
            return True
        previous = getattr(request, "rate_limit", None)
        if previous is None or previous.allowed:
            request.rate_limit = rate_limit
        self.reset = rate_limit.reset
        return rate_limit.allowed
