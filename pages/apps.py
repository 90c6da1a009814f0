from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        # Imported here, as Django requires: the signal handlers import the models, which are ready only now.
        from . import invalidation

        invalidation.connect()
