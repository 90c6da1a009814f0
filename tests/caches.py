"""Emptying the caches between tests and inside them, on local memory as on Redis."""

import re

from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache


def empty_cache(backend: BaseCache = default_cache) -> None:
    """Empty `backend`: on Redis, every key under this run's KEY_PREFIX, whatever its version, and no other.

    django-redis's `delete_pattern("*")` matches only keys of the default version, and Wagtail keeps the
    sites' root paths under version 2: a second site added by one test stayed cached for the next ones,
    which then made page links absolute. Other runs sharing the Redis server keep their keys (their own
    CACHE_KEY_PREFIX), and so do the other pytest-xdist workers (cms/settings/test.py adds the worker's name).
    """
    if not hasattr(backend, "delete_pattern"):
        backend.clear()
        return
    # Keys are "<prefix>:<version>:<key>" (Django's default KEY_FUNCTION); the prefix is matched literally.
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", backend.key_prefix) + ":*"
    client = backend.client.get_client(write=True)
    keys = list(client.scan_iter(match=pattern))
    if keys:
        client.delete(*keys)


def empty_all_caches() -> None:
    """Empty every alias of CACHES: the content cache (`default`) and the counters and locks (`state`)."""
    for backend in caches.all():
        empty_cache(backend)
