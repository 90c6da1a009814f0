from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Content API"

    def ready(self):
        # Imported here, as Django requires (they import models, ready only now).
        # `schema` registers the drf-spectacular extensions that type StreamField sections in OpenAPI;
        # `audit` marks audit log entries written during management API requests (a pre_save receiver).
        from . import audit, schema  # noqa: F401
