"""
Settings shared by every environment.

Safe by default: DEBUG is off and there is no secret here. Everything that
differs between machines comes from the environment (see README.md):
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG.
"""

from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers as default_cors_headers
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# Our packages, top layer first (docs/architecture.md): `cms` wires them, `api` serves content,
# `webhooks`, `leads` and `two_factor` are features, `pages` is the content, `core` the shared
# infrastructure. `api` comes before drf_spectacular so its Redoc template overrides the package's.
INSTALLED_APPS = [
    "api",
    "webhooks",
    "leads",
    "two_factor",
    "pages",
    "core",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    # Only for Wagtail's API token admin (Users → API tokens), which our management API authenticates
    # with; Wagtail's own v3 endpoints are not mounted.
    "wagtail.api.v3",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Near the top, so that every response carries the policy and X-Frame-Options: static files,
    # cached pages, redirects and error pages included.
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # 413 for a body larger than its part of the site accepts, before anything reads it.
    "core.middleware.RequestBodyLimitMiddleware",
    # Serves hashed static files with far-future cache headers, so no extra web server is needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, so CORS headers are on every API response, errors included.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Strong ETags over the response bytes and 304s for If-None-Match / If-Modified-Since.
    "core.middleware.ConditionalGetWithRateLimitMiddleware",
    # Serves anonymous GETs from the shared cache, inside ConditionalGet so hits get ETags and 304s too.
    "core.response_cache.ResponseCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified once a TOTP code was entered; then our middleware asks for one in the admin.
    "django_otp.middleware.OTPMiddleware",
    "two_factor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A view failing on the database (down, or SQLite busy past its timeout) is a 503 to retry, DEBUG or not.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite file in the project by default, so `make run` needs no server;
# production sets DATABASE_URL=postgres://...
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Reuse connections between requests and check them before use, so a restarted
# database does not leave workers holding dead connections.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded default, and `make run` has several processes writing (the server, the
    # webhook worker, cron's publish_scheduled): readers never wait for a writer (WAL), a writer waits
    # up to `timeout` seconds for another instead of failing, and every transaction takes the write
    # lock when it begins (IMMEDIATE), so two cannot both read and then deadlock upgrading to write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20.0),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

# Two caches (docs/deploy.md, "Redis: two caches, two eviction policies"):
# - `default` holds content: the response cache's rendered pages and API answers, Wagtail's own caches.
#   Every entry is a copy of what the database says, so evicting one only costs a miss.
# - `state` holds counters and locks: rate limits, API throttles, lockouts, single-flight locks
#   (core/state_cache.py). Evicting one of those resets a limit, so content must never push them out.
# Redis evicts per server (all its databases share one `maxmemory`): another database number on the same
# server is no isolation. Production points REDIS_STATE_URL at a Redis of its own with `noeviction`, and
# REDIS_URL at one with `allkeys-lru`; REDIS_STATE_URL defaults to REDIS_URL, one server for both.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_STATE_URL = env.str("REDIS_STATE_URL", default=REDIS_URL)
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="cms")
# Not "<prefix>:state": that would fall under "<prefix>:*", the pattern of the default cache's own keys.
STATE_CACHE_KEY_PREFIX = f"{CACHE_KEY_PREFIX}-state"
# After Redis fails to answer, cache calls skip it for this many seconds (served uncached, no waiting
# on timeouts, rate limits let requests through); then one call tries it again (core/cache_circuit.py).
# Each Redis server has its own circuit, shared by the aliases that use it.
CACHE_CIRCUIT_COOLDOWN = env.float("CACHE_CIRCUIT_COOLDOWN", default=5.0)


def _redis_cache(location: str, key_prefix: str) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            # A cache outage must degrade to "no cache" (and rate limits to "no limit"), never to an error page.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            # ...and cost one timeout per cool-down, not one per cache call.
            "CONNECTION_POOL_CLASS": "core.cache_circuit.CircuitBreakerConnectionPool",
        },
    }


CACHES = {
    "default": (
        _redis_cache(REDIS_URL, CACHE_KEY_PREFIX)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}
    ),
    # Without Redis, each process counts for itself: a limit of 10 lets 10 through per process. That is
    # right for development (runserver is one process) and wrong for several app servers or gunicorn
    # workers, which production's REDIS_URL or REDIS_STATE_URL avoids. Its own LOCATION: local-memory
    # caches with the same LOCATION share one store, and emptying the content cache would empty this one.
    "state": (
        _redis_cache(REDIS_STATE_URL, STATE_CACHE_KEY_PREFIX)
        if REDIS_STATE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "state"}
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in limits (django-axes; the 429 page is in core/login_limits.py).
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out client is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are stored in the database, so every app server sees the same count. They are counted per
# client IP only: counting per username as well would let anyone lock an editor out of the admin by
# typing their name with wrong passwords. Slow guessing spread over many addresses meets the password
# rules above and two-factor authentication instead.
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
# The database handler, stated: it keeps no count in any cache. Were it ever switched to the cache
# handler, the counts would go to the state cache, where content cannot evict them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CACHE = "state"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
# Attempts made while locked out do not restart the cool-off: the wait the 429 page names is the real one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client IP every other limit uses: X-Forwarded-For only counts behind API_TRUSTED_PROXIES proxies.
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "core.login_limits.lockout_response"
# Wrong passwords on password-protected pages: at most this many per client IP per period (seconds).
PAGE_PASSWORD_RATE_LIMIT = env.int("PAGE_PASSWORD_RATE_LIMIT", default=10)
PAGE_PASSWORD_RATE_PERIOD = env.int("PAGE_PASSWORD_RATE_PERIOD", default=15 * 60)

# Two-factor authentication (django-otp TOTP, see two_factor/): optional for each user unless required.
WAGTAIL_2FA_REQUIRED = env.bool("WAGTAIL_2FA_REQUIRED", default=False)
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = "NextBigIt CMS"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static_collected")
STATIC_URL = "/static/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Complex StreamField pages post many form fields from the page editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Largest form or JSON body Django reads (Django's default, stated). Outside the admin a larger body
# is refused with 413 before it is read. Saving the Flask page from the editor posts about 9 KB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads in the admin. Pixels bound the memory a worker needs to decode an image (4 bytes each):
# 50 megapixels still takes a 48 MP phone photo.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# Security headers on every response. HSTS, the HTTPS redirect and secure cookies are production's.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Not DENY: Wagtail's preview shows the page in a same-origin iframe. Browsers go by the policy's
# frame-ancestors 'self' below; this says the same to older ones, so `check --deploy`'s advice to
# use DENY (security.W019) does not apply.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# The site, the API and the error pages need no inline script or style and nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Sources added to that policy under a path prefix (core.middleware.ContentSecurityPolicyMiddleware), for
# the pages that cannot do without them; docs/security.md says what needs each one.
CONTENT_SECURITY_POLICY_ADDITIONS_BY_PATH = {
    # Wagtail's widgets write inline <script> (image choosers, date pickers); its libraries inject styles.
    "/admin/": {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE], "img-src": ["data:", "blob:"]},
    # Swagger UI: drf-spectacular's inline <style>, icons as data: URIs. Its script is a file (?script).
    "/api/v1/docs/": {"style-src": [UNSAFE_INLINE], "img-src": ["data:"]},
    # Redoc: styles injected at run time, icons as data: URIs, search in a blob: worker.
    "/api/v1/redoc/": {"style-src": [UNSAFE_INLINE], "img-src": ["data:"], "worker-src": ["blob:"]},
}

# Wagtail
WAGTAIL_SITE_NAME = "NextBigIt"
# Used to build absolute links in notification e-mails and in the API when no request is at hand.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar avatars: they would send a hash of each editor's e-mail to a third party (and the
# admin's Content-Security-Policy allows images only from this site).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Staging: robots.txt asks every crawler to stay out ("Disallow: /").
ROBOTS_DISALLOW_ALL = env.bool("ROBOTS_DISALLOW_ALL", default=False)
# /sitemap.xml is an index of sections; each section is split into documents of at most this many URLs
# (pages/views.py). Search engines accept up to 50,000; smaller documents keep each request cheap.
SITEMAP_SECTION_SIZE = env.int("SITEMAP_SECTION_SIZE", default=2000)

# Django REST Framework: read-only public delivery API, errors as RFC 9457 problem JSON.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Management API clients send `Authorization: Bearer <token>` (Wagtail API tokens); no session auth,
    # so a logged-in editor's browser cookie never turns a public request into a draft-reading one.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    # Counted in the state cache (Redis in production), so the limit holds across app servers.
    # Writes are also counted per API token (api.throttling.WriteRateThrottle): each saves a revision.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="600/minute"),
        "write": env.str("API_WRITE_RATE", default="60/minute"),
    },
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# Background tasks (django-tasks). Wagtail's own tasks (reference index, CDN purges, file clean-up) stay on
# the immediate backend and run inside the request, as they always have: the response cache's invalidation
# reads the reference index right after a save. Webhook deliveries go to a database queue instead, worked by
# `manage.py db_worker --backend webhooks` (docs/deploy.md), so a slow receiver never holds up a publish.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Seconds before each retry of a failed webhook delivery; after the last one it is marked failed (docs/webhooks.md).
WEBHOOK_RETRY_DELAYS = [30, 2 * 60, 10 * 60, 60 * 60, 6 * 60 * 60]
# `manage.py sweep_webhooks` deletes succeeded and failed deliveries older than this.
WEBHOOK_DELIVERY_RETENTION_DAYS = env.int("WEBHOOK_DELIVERY_RETENTION_DAYS", default=30)

# Client IPs come from X-Forwarded-For only behind this many trusted proxies (0: use REMOTE_ADDR).
API_TRUSTED_PROXIES = env.int("API_TRUSTED_PROXIES", default=0)

# HTTP caching of public API responses (seconds): browsers keep them max_age, shared caches/CDNs s_maxage.
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=60)
API_CACHE_S_MAXAGE = env.int("API_CACHE_S_MAXAGE", default=300)

# Front ends allowed to call the API from a browser (CORS), e.g. https://www.nextbigit.com
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=["http://localhost:3000", "http://127.0.0.1:3000"])
CORS_URLS_REGEX = r"^/api/.*$"
# Writes come from management clients with a bearer token (no cookies), so they may be cross-origin too.
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
CORS_ALLOW_HEADERS = [*default_cors_headers, "if-match", "if-none-match"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Location",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]

# Shared response cache for anonymous GETs (see core/response_cache.py), in the `default` cache; entries are
# dropped by invalidation when content changes, the timeout only bounds memory use (docs/deploy.md, on Redis).
# Without Redis the cache is each process's own memory, which a change made by another process (cron's
# publish_scheduled, a management command, another gunicorn worker) never reaches: the response cache
# is then off rather than trusted. Only the test settings, one process by design, turn it on without Redis.
RESPONSE_CACHE_ENABLED = env.bool("RESPONSE_CACHE_ENABLED", default=bool(REDIS_URL))
if RESPONSE_CACHE_ENABLED and not REDIS_URL:
    raise ImproperlyConfigured(
        "RESPONSE_CACHE_ENABLED needs REDIS_URL: a per-process cache would go on serving what other processes changed."
    )
RESPONSE_CACHE_TIMEOUT = env.int("RESPONSE_CACHE_TIMEOUT", default=60 * 60 * 24)
# Concurrent misses of one URL render once; the others wait this many seconds for that render at most.
RESPONSE_CACHE_SINGLE_FLIGHT_WAIT = env.float("RESPONSE_CACHE_SINGLE_FLIGHT_WAIT", default=2.0)
# A URL first answered with a success that may not be shared (no tags, private, a cookie set) goes straight
# to its view for this many seconds, skipping the content clock and the single-flight lock; then it is
# looked at again.
RESPONSE_CACHE_NOT_SHARED_TIMEOUT = env.int("RESPONSE_CACHE_NOT_SHARED_TIMEOUT", default=60)
# Stored responses are keyed by canonical URL: the API refuses parameters it does not take, so all of
# its parameters count; a page's key keeps only the parameters pages read (a page that starts reading
# another must add it here), so `?utm_source=…` or junk neither splits nor grows the cache. `p` is the
# document of a sitemap section (`/sitemap-pages.xml?p=2`).
RESPONSE_CACHE_VALIDATED_QUERY_PREFIXES = ["/api/"]
RESPONSE_CACHE_PAGE_QUERY_PARAMETERS = ["page", "service", "p"]
# Never cached: the admin, headless preview, Wagtail's page-password and login forms, private documents;
# and what is made from code, not content (the API schema and its docs, health checks), which would
# only cost a look at the content clock (a liveness check must not need the database at all).
RESPONSE_CACHE_BYPASS_PREFIXES = [
    "/admin/",
    "/api/v1/preview/",
    "/_util/",
    "/documents/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/api/v1/redoc/",
    "/healthz",
    "/readyz",
]
# What the response cache asks the apps (core imports no app; these name their callables):
# when published content next expires, so nothing is served past it...
RESPONSE_CACHE_NEXT_EXPIRY = "pages.visibility.next_expiry"
# ...and what counts a cached answer against a rate limit, by path prefix: API clients are limited on hits too.
RESPONSE_CACHE_HIT_ACCOUNTING = {"/api/": "api.throttling.count_request"}
# Errors under these paths are RFC 9457 problem JSON (core/errors.py); elsewhere the site's error pages.
PROBLEM_JSON_PATH_PREFIXES = ["/api/"]
# A CDN in front: purge changed pages there too (Wagtail's frontend cache), e.g. Cloudflare or CloudFront.
# Set FRONTEND_CACHE_URL to an HTTP PURGE endpoint (Varnish, Fastly-style) to enable the simplest backend.
WAGTAILFRONTENDCACHE = (
    {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env.str("FRONTEND_CACHE_URL"),
        }
    }
    if env.str("FRONTEND_CACHE_URL", default="")
    else {}
)

# Contact form: at most this many submissions per client IP per period (seconds), across all app servers.
LEAD_FORM_RATE_LIMIT = env.int("LEAD_FORM_RATE_LIMIT", default=5)
LEAD_FORM_RATE_PERIOD = env.int("LEAD_FORM_RATE_PERIOD", default=60 * 60)
# Where the site's e-mail comes from (lead notifications).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="NextBigIt website <webmaster@localhost>")

# Headless preview: the external front end that renders drafts, and how long a preview link lives.
FRONTEND_PREVIEW_URL = env.str("FRONTEND_PREVIEW_URL", default="http://localhost:3000/api/preview")
PREVIEW_TOKEN_MAX_AGE = env.int("PREVIEW_TOKEN_MAX_AGE", default=60 * 60)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
API_DEFAULT_PAGE_SIZE = env.int("API_DEFAULT_PAGE_SIZE", default=20)
# The only image renditions API clients may ask for (?renditions=...): an open list would let
# anyone make the server resize images into arbitrary sizes.
API_IMAGE_RENDITIONS = env.list(
    "API_IMAGE_RENDITIONS",
    default=["fill-1200x630", "fill-800x450", "fill-400x400", "fill-160x160", "width-1600", "width-800", "width-400"],
)

SPECTACULAR_SETTINGS = {
    "TITLE": "NextBigIt content API",
    "DESCRIPTION": (
        "Read-only delivery API for the NextBigIt site: live, public pages with typed sections. "
        "Every section type has its own schema; `sections` is a union discriminated by `type`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc assets are served from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1 so that schemas are plain JSON Schema (nullable as `type: [x, "null"]`), checkable with jsonschema.
    "OAS_VERSION": "3.1.0",
    "PREPROCESSING_HOOKS": ["api.schema.only_public_api"],
    # The webhook event codes are one enum in the document, whichever serializer uses them.
    "ENUM_NAME_OVERRIDES": {"WebhookEventEnum": "webhooks.models.WebhookEvent"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.selectable_page_fields",
        "api.schema.document_section_inputs",
        "api.schema.document_authentication_errors",
        "api.schema.document_rate_limits",
        "api.schema.document_service_unavailable",
        "api.schema.document_empty_query_parameters",
        "api.schema.document_rate_limit_headers",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO"), "propagate": False},
        **{
            package: {"handlers": ["console"], "level": "INFO", "propagate": False}
            for package in ("core", "pages", "leads", "webhooks", "two_factor", "api")
        },
    },
}
