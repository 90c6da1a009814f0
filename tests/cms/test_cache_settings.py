"""The two caches as production configures them from the environment: `default` for content, `state` for counters."""

import json

from tests.core.test_deploy_check import run_python

SHOW_CACHES = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"


def production_caches(tmp_path, **environment: str) -> dict:
    result = run_python(tmp_path, "-c", f"import django; django.setup(); {SHOW_CACHES}", **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_one_redis_both_caches_use_it_under_prefixes_that_do_not_overlap(tmp_path):
    caches = production_caches(tmp_path, REDIS_URL="redis://cache:6379/0", CACHE_KEY_PREFIX="site")

    assert caches["default"]["LOCATION"] == caches["state"]["LOCATION"] == "redis://cache:6379/0"
    assert caches["default"]["KEY_PREFIX"] == "site"
    assert caches["state"]["KEY_PREFIX"] == "site-state", "outside site:*, the pattern of the content keys"
    assert caches["state"]["OPTIONS"] == caches["default"]["OPTIONS"], "the same timeouts and circuit breaker"


def test_redis_state_url_gives_the_counters_a_server_of_their_own(tmp_path):
    caches = production_caches(tmp_path, REDIS_URL="redis://content:6379/0", REDIS_STATE_URL="redis://state:6379/0")

    assert caches["default"]["LOCATION"] == "redis://content:6379/0"
    assert caches["state"]["LOCATION"] == "redis://state:6379/0"


def test_without_redis_each_cache_is_a_separate_local_memory(tmp_path):
    caches = production_caches(tmp_path)

    assert {alias: cache["BACKEND"] for alias, cache in caches.items()} == {
        "default": "django.core.cache.backends.locmem.LocMemCache",
        "state": "django.core.cache.backends.locmem.LocMemCache",
    }
    assert caches["default"]["LOCATION"] != caches["state"]["LOCATION"], "one LOCATION would be one shared store"
