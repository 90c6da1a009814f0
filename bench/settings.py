"""
Settings for `make bench`: production settings, served over plain HTTP on loopback.

Everything production does (PostgreSQL or SQLite from DATABASE_URL, Redis from REDIS_URL, hashed
and compressed static files, the response cache, rate limits, security middleware) stays as is;
only what a loopback load test cannot have is changed, and Wagtail's own v2 and v3 APIs are
installed so that they can be measured side by side with ours (bench/urls.py).
"""

import os

# production.py refuses to import without these; the runner passes its own throwaway values.
os.environ.setdefault("SECRET_KEY", "bench-only-throwaway-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from cms.settings.production import *  # noqa: F403
from cms.settings.production import INSTALLED_APPS, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# gunicorn speaks plain HTTP on 127.0.0.1 here; there is no TLS proxy in front.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ROOT_URLCONF = "bench.urls"

# base.py fixes STATIC_ROOT inside the project; the runner collects into a temporary directory.
STATIC_ROOT = env.path("BENCH_STATIC_ROOT", default=STATIC_ROOT)  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "bench.apps.BenchConfig"]  # wagtail.api.v3 is in base

# The peers' list endpoints are measured with ?limit=20, like ours.
WAGTAILAPI_LIMIT_MAX = 20
# v2's find redirects to an absolute URL built from this (else from the Site record, which says port 80).
WAGTAILAPI_BASE_URL = env.str("WAGTAILAPI_BASE_URL", default="http://127.0.0.1")
