"""
A shared response cache for anonymous GETs of rendered pages and API responses, with exact invalidation.

A response is stored (in the default cache: Redis, so every app server shares it) together with the
dependency tags it collected (`core.cache_tags`) and the content clock read before it was made
(`core.freshness`). A hit is served only if none of its tags has changed since that reading — one
indexed query of the database, where every change records the tags it touches in its own
transaction. So the very next request after a publish, an unpublish, a privacy, snippet, image,
setting or menu change, made by any process on any server, is rendered afresh; and a Redis stall or
outage during the change loses nothing, since Redis only holds copies.

Bypassed: anything but GET/HEAD, requests with a session cookie (logged-in editors) or an
Authorization header, the admin and the preview endpoint, and responses that are not a plain
public 200 (cookies set, CSRF token used, `private`/`no-store`, no tags declared).

Concurrent misses of one URL render once (single flight): the first takes a lock in the `state`
cache, where content entries cannot evict it; the others wait up to `RESPONSE_CACHE_SINGLE_FLIGHT_WAIT`
seconds for its entry, then render themselves.

Nor is an entry served past the next content expiry (`RESPONSE_CACHE_NEXT_EXPIRY`, a callable the
content app names): the clock sends no signal, yet an expiry changes the page and every listing
that shows it. A cache outage degrades to rendering every request.

What this module needs to know of the apps comes from settings that name callables, wired in
`cms.settings`: `RESPONSE_CACHE_NEXT_EXPIRY` (when stored content next expires) and
`RESPONSE_CACHE_HIT_ACCOUNTING` (per path prefix, what counts a hit against a rate limit).
"""

import hashlib
import math
import time
from functools import cache as memoize
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.module_loading import import_string

from . import cache_tags, freshness
from .ratelimit import RATE_LIMIT_HEADERS
from .state_cache import state_cache

# A hit gets its own rate-limit headers (`response_from`), counted for the client asking.
UNSTORED_HEADERS = {"set-cookie", "x-cache", *(name.lower() for name in RATE_LIMIT_HEADERS)}
POLL_INTERVAL = 0.01
# Stored instead of a response for a URL whose answer may not be shared (see `render`).
NOT_SHARED = "not-shared"


@memoize
def _callable(dotted_path: str):
    return import_string(dotted_path)


def next_expiry():
    """When stored content next expires (a datetime), or None; the app named in settings knows."""
    return _callable(settings.RESPONSE_CACHE_NEXT_EXPIRY)()


def count_hit(request):
    """
    Count a hit against the rate limit of its path, as the view would have; None where no limit applies.

    The callable (`RESPONSE_CACHE_HIT_ACCOUNTING`, by path prefix) returns a `core.ratelimit.RateLimit`.
    """
    for prefix, dotted_path in settings.RESPONSE_CACHE_HIT_ACCOUNTING.items():
        if request.path.startswith(prefix):
            return _callable(dotted_path)(request)
    return None


def invalidate(*tags: str) -> None:
    """
    Record that the content behind `tags` changed, in the caller's transaction: every stored response
    that depends on one of them is a miss from the moment the change commits, in every process.
    """
    freshness.record_change(*tags)


class ResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.request_is_cacheable(request):
            return self.get_response(request)
        key = self.key_for(request)
        entry = cache.get(key)
        if entry == NOT_SHARED:
            return self.render(request, key, shareable=False)
        hit = self.hit(entry, request)
        if hit is not None:
            return hit
        if request.method != "GET":
            return self.render(request, key)
        return self.render_once(request, key, first=entry is None)

    def hit(self, entry: dict | None, request) -> HttpResponse | None:
        """The stored response for `request`, if there is one and it is still fresh."""
        if entry is None or entry == NOT_SHARED or not self.is_fresh(entry):
            return None
        return self.response_from(entry, request)

    def render(self, request, key: str, *, shareable: bool = True, first: bool = False) -> HttpResponse:
        """
        Make the response, and store it when it may be shared.

        A URL answered for the first time with a success that may not be shared (no tags, `private`, a
        cookie set) is remembered as such for `RESPONSE_CACHE_NOT_SHARED_TIMEOUT` seconds: meanwhile its
        requests go straight to the view (`shareable=False`), without reading the content clock or
        taking a lock. Only a first answer is remembered, so a refused (429) or failed request can never
        push out an entry that others are served.
        """
        stamp = self.clock() if shareable else None  # before reading any content: see core.freshness
        with cache_tags.collecting() as tags:
            response = self.get_response(request)
        if tags:
            response["Cache-Tag"] = ",".join(sorted(tags))
        if stamp is not None and request.method == "GET":
            if self.response_is_cacheable(request, response, tags):
                self.store(key, response, tags, stamp)
            elif first and response.status_code < 400:
                cache.set(key, NOT_SHARED, timeout=settings.RESPONSE_CACHE_NOT_SHARED_TIMEOUT)
        response["X-Cache"] = "MISS"
        return response

    def render_once(self, request, key: str, *, first: bool) -> HttpResponse:
        """
        Render, unless another request for the same URL is rendering it already: then wait for its entry.

        The lock expires on its own after the longest wait, so a worker that dies mid-render holds
        nobody up for longer; a wait that runs out, or a render that stored nothing (a 404, say),
        leaves each waiter to render for itself.
        """
        locks = state_cache()  # where content entries cannot evict the lock
        lock = f"rendering:{key}"
        wait = settings.RESPONSE_CACHE_SINGLE_FLIGHT_WAIT
        # add() is None, not False, when the cache cannot be reached: then render, do not wait.
        if locks.add(lock, 1, timeout=math.ceil(wait) + 1) is not False:
            try:
                return self.render(request, key, first=first)
            finally:
                locks.delete(lock)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL)
            entry = cache.get(key)
            hit = self.hit(entry, request)
            if hit is not None:
                return hit
            if entry == NOT_SHARED or locks.get(lock) is None:
                break  # the render finished without storing anything this request could use
        return self.render(request, key, shareable=entry != NOT_SHARED)

    @staticmethod
    def key_for(request) -> str:
        """
        The entry of the request's canonical URL, so query strings cannot grow the cache without bound.

        Under `RESPONSE_CACHE_VALIDATED_QUERY_PREFIXES` (the API, which answers 400 to any parameter it does
        not take) every parameter counts. Elsewhere only those pages read (`RESPONSE_CACHE_PAGE_QUERY_PARAMETERS`)
        do: `/services/?utm_source=x` is `/services/`. Either way their order does not matter.
        """
        parameters = sorted(request.GET.lists())
        if not request.path.startswith(tuple(settings.RESPONSE_CACHE_VALIDATED_QUERY_PREFIXES)):
            read = settings.RESPONSE_CACHE_PAGE_QUERY_PARAMETERS
            parameters = [(name, values) for name, values in parameters if name in read]
        query = urlencode([(name, value) for name, values in parameters for value in values])
        url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return "response:" + hashlib.sha256(url.encode()).hexdigest()

    @staticmethod
    def request_is_cacheable(request) -> bool:
        return (
            settings.RESPONSE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(tuple(settings.RESPONSE_CACHE_BYPASS_PREFIXES))
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def response_is_cacheable(request, response, tags) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            bool(tags)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def clock() -> int | None:
        """The content clock, or None when the database cannot say: then the view answers (a 503), unstored."""
        try:
            return freshness.clock()
        except DatabaseError:
            return None

    @staticmethod
    def is_fresh(entry: dict) -> bool:
        # Checked here, not only by the cache's timeout: an expiry is to the second, whatever the backend's clock.
        if entry.get("expires_at") is not None and time.time() >= entry["expires_at"]:
            return False
        try:
            return not freshness.changed_since(entry["stamp"], entry["tags"])
        except DatabaseError:
            return False  # what cannot be checked is not served: the view answers instead

    @staticmethod
    def store(key: str, response, tags: set[str], stamp: int) -> None:
        expiry = next_expiry()
        expires_at = expiry.timestamp() if expiry is not None else None
        timeout = settings.RESPONSE_CACHE_TIMEOUT
        if expires_at is not None:
            timeout = max(1, min(timeout, math.ceil(expires_at - time.time())))
        headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
        entry = {
            "status": response.status_code,
            "content": response.content,
            "headers": headers,
            "tags": sorted(tags),
            "stamp": stamp,
            "expires_at": expires_at,
        }
        cache.set(key, entry, timeout=timeout)

    @staticmethod
    def response_from(entry: dict, request) -> HttpResponse | None:
        rate_limit = count_hit(request)
        if rate_limit is not None and not rate_limit.allowed:
            return None  # let the view answer with its 429
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        if rate_limit is not None:
            for name, value in rate_limit.headers().items():
                response[name] = value
        response["X-Cache"] = "HIT"
        return response
