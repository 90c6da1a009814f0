"""
Rate limits for anonymous API clients, counted in the shared cache so every app server agrees
(see `cms.ratelimit`). The state of the window is left on the request as `rate_limit`, and
`ApiViewMixin` turns it into `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
headers on every response.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from cms.ratelimit import RateLimit, client_ip, hit

SCOPE = "anon"


def count_request(request) -> RateLimit | None:
    """Count one anonymous API request; None when no limit applies or the cache is unreachable.

    Also called by the response cache for requests it answers without reaching a view.
    """
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(SCOPE)
    if not rate:
        return None
    limit, period = SimpleRateThrottle.parse_rate(None, rate)
    return hit(f"api-{SCOPE}", client_ip(request), limit, period)


class AnonymousRateThrottle(BaseThrottle):
    reset = 1

    def allow_request(self, request, view):
        rate_limit = count_request(request)
        if rate_limit is None:
            return True
        request.rate_limit = rate_limit
        self.reset = rate_limit.reset
        return rate_limit.allowed

    def wait(self):
        return self.reset
