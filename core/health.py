"""
Health endpoints for load balancers and orchestrators.

    GET /healthz   200 while the process can answer at all (liveness); touches nothing else
    GET /readyz    200 when the database and both caches answer, else 503 naming what failed

The caches are `default` (content, reported as "cache") and `state` (rate limits and locks, reported as
"state_cache"; core/state_cache.py); in production they may be two Redis servers, and either can fail alone.
"""

import logging

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from core.state_cache import STATE_CACHE_ALIAS

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure at all means "not ready"
        logger.warning("Readiness: the database does not answer.")
        return False


def _cache_ok(alias: str) -> bool:
    """Write and read back a key in cache `alias`; a cache that silently ignores errors reads back nothing.

    While the Redis circuit breaker is open (core/cache_circuit.py) both calls return at once without a
    network wait, so this reports "failing" until a probe finds Redis answering again.
    """
    try:
        cache = caches[alias]
        cache.set("readyz:probe", "1", timeout=10)
        return cache.get("readyz:probe") == "1"
    except Exception:  # any failure at all means "not ready"
        return False


@never_cache
def readyz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok("default"), "state_cache": _cache_ok(STATE_CACHE_ALIAS)}
    ready = all(checks.values())
    response = JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if ok else "failing" for name, ok in checks.items()},
        },
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = "5"
    return response
