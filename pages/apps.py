from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        # Imported here, as Django requires: the feed and its subscriber import the models, which are ready only now.
        from . import changes, invalidation

        changes.connect()
        invalidation.connect()
