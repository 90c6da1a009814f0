from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Content API"

    def ready(self):
        # Registers the drf-spectacular extensions that type StreamField sections in OpenAPI.
        from . import schema  # noqa: F401
