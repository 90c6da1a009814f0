"""Test settings: fast hashing, in-memory e-mail, isolated media; DATABASE_URL and REDIS_URL still apply."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import CACHE_KEY_PREFIX, CACHES, STATE_CACHE_KEY_PREFIX, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105 - throwaway key for the test run
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=tempfile.mkdtemp(prefix="cms-test-media-"))
WAGTAILADMIN_BASE_URL = "http://testserver"
# The response cache stays on without Redis here: a test runs in one process, so its local-memory cache
# sees every change (tests that start other processes give them Redis, or test only what needs none).
RESPONSE_CACHE_ENABLED = True
# Webhook deliveries are sent as soon as the change commits, inside the test (tests of the worker switch
# the "webhooks" backend back to the database queue).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# Serve static files straight from the app directories; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
# django-axes stays on, as in production. Its backend needs the request to count a sign-in, which
# `client.login()` does not pass: log in with `client.force_login()` or through the login form.

# Under pytest-xdist each worker has its own test database (test_<name>_gw0, _gw1, ...) and needs its own
# cache keys as well: tests empty the caches between them (every key under the prefix), which would otherwise
# empty the other workers' caches halfway through their tests. Local memory is per process already.
# The state prefix follows the default one as in base, so a server started with this worker's
# CACHE_KEY_PREFIX (tests/core/test_multiple_servers.py) counts under the same keys as the worker.
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    CACHE_KEY_PREFIX = f"{CACHE_KEY_PREFIX}_{worker}"
    STATE_CACHE_KEY_PREFIX = f"{CACHE_KEY_PREFIX}-state"
    for alias, key_prefix in (("default", CACHE_KEY_PREFIX), ("state", STATE_CACHE_KEY_PREFIX)):
        if "KEY_PREFIX" in CACHES[alias]:
            CACHES[alias]["KEY_PREFIX"] = key_prefix
