"""
Counters and locks live in the `state` cache, apart from content in `default` (core/state_cache.py): emptying
the content cache, or flooding it until Redis evicts, leaves every rate limit where it was.

The flood tests start Redis servers of their own (tests/processes.py) with a small `maxmemory`,
configured as docs/deploy.md recommends: `allkeys-lru` for content, `noeviction` for state.
"""

import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.caches import empty_cache
from tests.processes import RedisServer

pytestmark = pytest.mark.django_db

PASSWORD = "open-sesame"
LIMIT = 3
MAXMEMORY_MB = 8
FLOOD_ENTRY_BYTES = 16 * 1024
FLOOD_BATCH = 64


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.PAGE_PASSWORD_RATE_LIMIT = LIMIT
    settings.PAGE_PASSWORD_RATE_PERIOD = 15 * 60
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": f"{LIMIT}/minute"}}


@pytest.fixture
def protected_page(service_page):
    PageViewRestriction.objects.create(
        page=service_page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return service_page


def submit_password(client, page, password: str) -> int:
    restriction = PageViewRestriction.objects.get(page=page)
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return client.post(url, {"password": password, "return_url": page.url}).status_code


def use_up_the_page_password_limit(client, page) -> None:
    assert [submit_password(client, page, "guess") for _ in range(LIMIT + 1)] == [200] * LIMIT + [429]


def test_emptying_the_content_cache_leaves_every_limit_in_place(client, protected_page):
    use_up_the_page_password_limit(client, protected_page)
    assert [client.get("/api/v1/pages/").status_code for _ in range(LIMIT + 1)] == [200] * LIMIT + [429]

    empty_cache(caches["default"])

    assert submit_password(client, protected_page, PASSWORD) == 429
    assert client.get("/api/v1/pages/").status_code == 429


@pytest.fixture
def start_redis(tmp_path, fresh_redis_pools):
    """Start `redis-server`s with the given `maxmemory` and policy, persisting nothing; all stop after the test."""
    servers = []

    def start(*, maxmemory: str = "0", policy: str = "noeviction") -> RedisServer:
        directory = tmp_path / f"redis-{len(servers)}"
        directory.mkdir()
        options = ("--appendonly", "no", "--maxmemory", maxmemory, "--maxmemory-policy", policy)
        servers.append(RedisServer(directory, *options))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def evicted_keys(server: RedisServer) -> int:
    return server.client().info("stats")["evicted_keys"]


def redis_alias(url: str, key_prefix: str) -> dict:
    """One alias of CACHES as cms/settings/base.py configures it on Redis."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "CONNECTION_POOL_CLASS": "core.cache_circuit.CircuitBreakerConnectionPool",
        },
    }


def flood_content_cache() -> int:
    """Store five times `maxmemory` of distinct content entries, as a crawl of many URLs would; return how many."""
    entries = 5 * MAXMEMORY_MB * 1024 * 1024 // FLOOD_ENTRY_BYTES
    body = b"x" * FLOOD_ENTRY_BYTES
    for start in range(0, entries, FLOOD_BATCH):
        batch = {f"flood:{number}": body for number in range(start, min(start + FLOOD_BATCH, entries))}
        caches["default"].set_many(batch, timeout=django_settings.RESPONSE_CACHE_TIMEOUT)
    return entries


def test_a_flood_that_evicts_content_leaves_the_page_password_limit(client, protected_page, settings, start_redis):
    content = start_redis(maxmemory=f"{MAXMEMORY_MB}mb", policy="allkeys-lru")
    state = start_redis(policy="noeviction")
    settings.CACHES = {"default": redis_alias(content.url, "site"), "state": redis_alias(state.url, "site-state")}
    use_up_the_page_password_limit(client, protected_page)

    written = flood_content_cache()

    assert evicted_keys(content) > written // 2, "the flood must really have evicted content"
    assert evicted_keys(state) == 0
    assert submit_password(client, protected_page, PASSWORD) == 429


def test_on_one_server_the_same_flood_forgets_the_limit(client, protected_page, settings, start_redis):
    """What the split prevents: counters beside content, even in another database number, are evicted with it.

    All databases of a Redis server share its `maxmemory`, so `state` on database 1 is no shelter.
    """
    shared = start_redis(maxmemory=f"{MAXMEMORY_MB}mb", policy="allkeys-lru")
    settings.CACHES = {
        "default": redis_alias(shared.url, "site"),
        "state": redis_alias(shared.url.removesuffix("/0") + "/1", "site-state"),
    }
    use_up_the_page_password_limit(client, protected_page)
    # Redis measures idleness in whole seconds: let the counter become older than anything the flood writes.
    time.sleep(2)

    flood_content_cache()

    assert submit_password(client, protected_page, "guess") == 200, "the evicted counter started again from zero"


def test_readyz_names_the_state_cache_when_only_its_server_is_down(client, db, settings, start_redis):
    content = start_redis(maxmemory=f"{MAXMEMORY_MB}mb", policy="allkeys-lru")
    settings.CACHES = {
        "default": redis_alias(content.url, "site"),
        "state": redis_alias("redis://127.0.0.1:1/0", "site-state"),  # nothing listens on port 1
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "state_cache": "failing"}


def test_a_full_state_server_lets_attempts_through_rather_than_failing_them(
    client, protected_page, settings, start_redis
):
    """`noeviction` at its `maxmemory` refuses every write: limits fail open, as when Redis is unreachable."""
    content = start_redis(maxmemory=f"{MAXMEMORY_MB}mb", policy="allkeys-lru")
    full = start_redis(maxmemory="1", policy="noeviction")  # one byte: already full, every write refused
    settings.CACHES = {"default": redis_alias(content.url, "site"), "state": redis_alias(full.url, "site-state")}

    assert [submit_password(client, protected_page, "guess") for _ in range(LIMIT + 2)] == [200] * (LIMIT + 2)
    assert submit_password(client, protected_page, PASSWORD) == 302
