import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.harness import FLASK_PATH
from pages.models import ServicePage


def _database_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0].split(" on ")[0]


class Command(BaseCommand):
    help = "Print, as JSON, the settings and content the benchmark runner needs (ids, cache, database)."

    def handle(self, *args, **options):
        flask = ServicePage.objects.live().filter(url_path__endswith=FLASK_PATH).first()
        if flask is None:
            raise CommandError(f"No live service page at {FLASK_PATH}: run load_initial_data first.")
        # A second page to edit and read besides Flask: the last generated one, far down the services index.
        other = ServicePage.objects.live().exclude(pk=flask.pk).order_by("path").last()
        other_url_parts = other.get_url_parts() if other else None  # None when no site serves it
        cache = settings.CACHES["default"]
        info = {
            "flask_page_id": flask.pk,
            "flask_title": flask.title,
            "flask_summary": flask.summary,
            "other_page_id": other.pk if other else None,
            "other_page_path": other_url_parts[2] if other_url_parts else None,
            "other_title": other.title if other else None,
            "other_summary": other.summary if other else None,
            "service_pages": ServicePage.objects.live().count(),
            # Absent while the shared response cache is not in the code base yet.
            "response_cache_enabled": getattr(settings, "RESPONSE_CACHE_ENABLED", "absent"),
            "response_cache_middleware": any("response_cache" in name for name in settings.MIDDLEWARE),
            "cache_backend": cache["BACKEND"],
            "database_vendor": connection.vendor,
            "database_version": _database_version(),
            "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
            "api_anon_rate": settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("anon"),
            "debug": settings.DEBUG,
            "static_root": str(settings.STATIC_ROOT),
            "staticfiles_storage": settings.STORAGES["staticfiles"]["BACKEND"],
        }
        self.stdout.write(json.dumps(info))
