"""
Production: PostgreSQL + Redis + gunicorn, several app servers behind a TLS-terminating proxy.

Refuses to start without SECRET_KEY or with DEBUG on. Every value comes from the environment.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, DATABASES, env

# DEBUG shows tracebacks and settings to anyone who hits an error: never in production.
if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("DEBUG must not be on in production: unset it or use cms.settings.dev.")
DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# Keep database connections open between requests (health-checked in base).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

# The TLS proxy in front sets X-Forwarded-Proto; trust it to know the request was HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Switch off only for loopback load tests that speak plain HTTP to gunicorn.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Cookies only over HTTPS (SECURE_COOKIES=false only with SECURE_SSL_REDIRECT=false, as above);
# the session cookie is never readable from JavaScript.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
# Origins, besides the site's own, allowed to POST forms (https://admin.example.com behind another host).
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Hashed, pre-compressed static files; whitenoise serves them with far-future cache headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several app servers need one media store: S3 or any S3-compatible service (MinIO, R2, …)
# when a bucket is configured; credentials come from the usual AWS_* environment variables.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_DEFAULT_ACL = None  # the bucket's own policy decides; never make uploads public by accident
    AWS_S3_FILE_OVERWRITE = False
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    # Browsers load images from the bucket, its CDN domain or endpoint; the Content-Security-Policy allows
    # where media URLs point (MEDIA_ORIGINS overrides the guess, e.g. for a virtual-hosted endpoint).
    if AWS_S3_CUSTOM_DOMAIN:
        bucket_origins = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        bucket_origins = [AWS_S3_ENDPOINT_URL]
    else:
        bucket_origins = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if AWS_S3_REGION_NAME:
            bucket_origins.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com")
    MEDIA_ORIGINS = env.list("MEDIA_ORIGINS", default=bucket_origins)
    CONTENT_SECURITY_POLICY = {
        **CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "img-src": [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"], *MEDIA_ORIGINS],
        },
    }

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
