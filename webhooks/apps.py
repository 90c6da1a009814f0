from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        # `events` turns published changes into webhook deliveries: its receivers need the models loaded.
        from . import events

        events.connect()
