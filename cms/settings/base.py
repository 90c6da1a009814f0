"""
Settings shared by every environment.

Safe by default: DEBUG is off and there is no secret here. Everything that
differs between machines comes from the environment (see README.md):
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG.
"""

from pathlib import Path

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "pages",
    "api",
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves hashed static files with far-future cache headers, so no extra web server is needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, so CORS headers are on every API response, errors included.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Strong ETags over the response bytes and 304s for If-None-Match / If-Modified-Since.
    "cms.middleware.ConditionalGetWithRateLimitMiddleware",
    # Serves anonymous GETs from the shared cache, inside ConditionalGet so hits get ETags and 304s too.
    "cms.response_cache.ResponseCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
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

REDIS_URL = env.str("REDIS_URL", default="")
# After Redis fails to answer, cache calls skip it for this many seconds (served uncached, no waiting
# on timeouts); then one call tries it again (cms/cache.py).
CACHE_CIRCUIT_COOLDOWN = env.float("CACHE_CIRCUIT_COOLDOWN", default=5.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="cms"),
            "OPTIONS": {
                # A cache outage must degrade to "no cache", never to an error page.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                # ...and cost one timeout per cool-down, not one per cache call.
                "CONNECTION_POOL_CLASS": "cms.cache.CircuitBreakerConnectionPool",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
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

# Wagtail
WAGTAIL_SITE_NAME = "NextBigIt"
# Used to build absolute links in notification e-mails and in the API when no request is at hand.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Staging: robots.txt asks every crawler to stay out ("Disallow: /").
ROBOTS_DISALLOW_ALL = env.bool("ROBOTS_DISALLOW_ALL", default=False)

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
    # Counted in the shared cache (Redis in production), so the limit holds across app servers.
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="600/minute")},
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# Client IPs come from X-Forwarded-For only behind this many trusted proxies (0: use REMOTE_ADDR).
API_TRUSTED_PROXIES = env.int("API_TRUSTED_PROXIES", default=0)

# HTTP caching of public API responses (seconds): browsers keep them max_age, shared caches/CDNs s_maxage.
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=60)
API_CACHE_S_MAXAGE = env.int("API_CACHE_S_MAXAGE", default=300)

# Front ends allowed to call the API from a browser (CORS), e.g. https://www.nextbigit.com
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=["http://localhost:3000", "http://127.0.0.1:3000"])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]

# Shared response cache for anonymous GETs (see cms/response_cache.py); entries are dropped by
# invalidation when content changes, the timeout only bounds memory use.
RESPONSE_CACHE_ENABLED = env.bool("RESPONSE_CACHE_ENABLED", default=True)
RESPONSE_CACHE_TIMEOUT = env.int("RESPONSE_CACHE_TIMEOUT", default=60 * 60 * 24)
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
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.selectable_page_fields",
        "api.schema.document_authentication_errors",
        "api.schema.document_rate_limits",
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
        "cms": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "pages": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "api": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
