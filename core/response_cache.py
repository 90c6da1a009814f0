"""
A shared response cache for anonymous GETs of rendered pages and API responses, with exact invalidation.

A response is stored (in the default cache: Redis in production, so every app server shares it)
together with the dependency tags it collected (`core.cache_tags`) and the version of each tag at
the time. A hit is served only if every tag still has that version; `pages.invalidation` bumps the
versions of exactly the tags a change touches, so the very next request after a publish, a
snippet, image, setting or menu change is rendered afresh. Nothing waits for an expiry.

Bypassed: anything but GET/HEAD, requests with a session cookie (logged-in editors) or an
Authorization header, the admin and the preview endpoint, and responses that are not a plain
public 200 (cookies set, CSRF token used, `private`/`no-store`, no tags declared).

A response made while any tag changed is not stored (the `generation` check), so a render racing
a publish can never pin stale content. Nor is one served past the next content expiry
(`RESPONSE_CACHE_NEXT_EXPIRY`, a callable the content app names): expiry sends no signal, yet
changes the page and every listing that shows it. A cache outage degrades to rendering every request.

What this module needs to know of the apps comes from settings that name callables, wired in
`cms.settings`: `RESPONSE_CACHE_NEXT_EXPIRY` (when stored content next expires) and
`RESPONSE_CACHE_HIT_ACCOUNTING` (per path prefix, what counts a hit against a rate limit).
"""

import hashlib
import math
import secrets
import time
from functools import cache as memoize
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.module_loading import import_string

from . import cache_tags
from .ratelimit import RATE_LIMIT_HEADERS

GENERATION_KEY = "tagv:__generation__"
# A hit gets its own rate-limit headers (`response_from`), counted for the client asking.
UNSTORED_HEADERS = {"set-cookie", "x-cache", *(name.lower() for name in RATE_LIMIT_HEADERS)}


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


def _version_key(tag: str) -> str:
    return f"tagv:{tag}"


def invalidate(*tags: str) -> None:
    """Give each tag a new version, so every stored response that depends on one of them is a miss."""
    versions = {_version_key(tag): secrets.token_hex(8) for tag in tags}
    versions[GENERATION_KEY] = secrets.token_hex(8)
    cache.set_many(versions, timeout=None)


def invalidate_on_commit(*tags: str) -> None:
    """Invalidate now, and again once the transaction commits.

    The second time is what makes it safe: a request that read the old rows just before the
    commit cannot have stored them past it. The first keeps code that runs inside a long
    transaction (tests, management commands) seeing its own changes.
    """
    invalidate(*tags)
    transaction.on_commit(lambda: invalidate(*tags))


def _current_versions(tags) -> dict[str, str]:
    keys = {tag: _version_key(tag) for tag in tags}
    stored = cache.get_many(list(keys.values()))
    missing = {keys[tag]: secrets.token_hex(8) for tag in tags if keys[tag] not in stored}
    for key, version in missing.items():
        cache.add(key, version, timeout=None)
    if missing:
        stored.update(cache.get_many(list(missing)))
    return {tag: stored.get(key) for tag, key in keys.items()}


class ResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.request_is_cacheable(request):
            return self.get_response(request)
        key = self.key_for(request)
        found = cache.get_many([key, GENERATION_KEY])
        entry, generation = found.get(key), found.get(GENERATION_KEY)
        if entry is not None and self.is_fresh(entry):
            hit = self.response_from(entry, request)
            if hit is not None:
                return hit
        with cache_tags.collecting() as tags:
            response = self.get_response(request)
        if tags:
            response["Cache-Tag"] = ",".join(sorted(tags))
        if request.method == "GET" and self.response_is_cacheable(request, response, tags):
            self.store(key, response, tags, generation)
        response["X-Cache"] = "MISS"
        return response

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
    def is_fresh(entry: dict) -> bool:
        # Checked here, not only by the cache's timeout: an expiry is to the second, whatever the backend's clock.
        if entry.get("expires_at") is not None and time.time() >= entry["expires_at"]:
            return False
        current = cache.get_many([_version_key(tag) for tag in entry["versions"]])
        return all(current.get(_version_key(tag)) == version for tag, version in entry["versions"].items())

    @staticmethod
    def store(key: str, response, tags: set[str], generation) -> None:
        versions = _current_versions(tags)
        if None in versions.values() or cache.get(GENERATION_KEY) != generation:
            return  # content changed while this response was being made: do not pin it
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
            "versions": versions,
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
