"""Project middleware."""

from django.middleware.http import ConditionalGetMiddleware

from api.throttling import RateLimit

_RATE_LIMIT_HEADERS = tuple(RateLimit(0, 0, 0).headers())


class ConditionalGetWithRateLimitMiddleware(ConditionalGetMiddleware):
    """
    Django's ETag / If-None-Match / If-Modified-Since handling (304 Not Modified), keeping the
    `RateLimit-*` headers on 304s, which Django's version drops: clients read them on every response.
    """

    def process_response(self, request, response):
        rate_limit_headers = {name: response[name] for name in _RATE_LIMIT_HEADERS if name in response}
        response = super().process_response(request, response)
        if response.status_code == 304:
            for name, value in rate_limit_headers.items():
                response[name] = value
        return response
