"""
The cache for counters and locks: rate limits, API throttles, lockouts and single-flight locks.

It is the `state` alias of CACHES, kept apart from `default`, which holds content (the response cache,
Wagtail's own caches). Content entries are copies, and evicting one only costs a miss; a counter that is
evicted resets a limit. With both in one cache, a flood of content entries under an eviction policy
evicted the page-password limits. cms/settings/base.py configures the two aliases, and docs/deploy.md
says which Redis eviction policy each one needs.
"""

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

STATE_CACHE_ALIAS = "state"


def state_cache() -> BaseCache:
    """The `state` cache, looked up on each call so that a test's override of CACHES applies at once."""
    return caches[STATE_CACHE_ALIAS]
