from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    label = "bench"
    verbose_name = "Benchmark"

    def ready(self):
        """
        Make sure Wagtail's v2 and v3 APIs expose the fields our API returns for a service page.

        Both read the model's `api_fields` (v2 per request, v3 once, when `wagtail.api.v3.registry`
        is first imported, i.e. when bench/urls.py is loaded, after every app's ready()). The
        model declares them as plain names, which both APIs accept; should a field go missing
        from `api_fields`, it is added here, in the benchmark only, so the peers are never
        measured serving less than we do.
        """
        # Imported here, as Django requires: models are ready only once every app is loaded.
        from wagtail.api import APIField

        from pages.models import ServicePage

        declared = {field.name for field in APIField.get_fields_for_model(ServicePage)}
        missing = [APIField(name) for name in ("summary", "listing_image", "sections") if name not in declared]
        if missing:
            ServicePage.api_fields = [*getattr(ServicePage, "api_fields", ()), *missing]
