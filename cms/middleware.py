"""Project middleware."""

from django.middleware.http import ConditionalGetMiddleware

from .ratelimit import RATE_LIMIT_HEADERS


class ConditionalGetWithRateLimitMiddleware(ConditionalGetMiddleware):
    """
    Django's ETag / If-None-Match / If-Modified-Since handling (304 Not Modified), keeping the
    `RateLimit-*` headers on 304s, which Django's version drops: clients read them on every response.
    """

    def process_response(self, request, response):
        rate_limit_headers = {name: response[name] for name in RATE_LIMIT_HEADERS if name in response}
        response = super().process_response(request, response)
        if response.status_code == 304:
            for name, value in rate_limit_headers.items():
                response[name] = value
        return response
