import json
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.signals import page_published

from pages.models import ServicePage


class Command(BaseCommand):
    help = "Publish a new title for one service page, as an editor would, and print when it was committed."

    def add_arguments(self, parser):
        parser.add_argument("--page", type=int, required=True)
        parser.add_argument("--title", required=True)

    def handle(self, *args, page: int, title: str, **options):
        # Wall-clock times, comparable with the runner's on the same machine.
        marks: dict[str, float] = {}

        def on_published(sender, instance, **kwargs):
            # Registered after the cache invalidation's own on_commit callback (connected when the
            # app loaded), so this runs once the change is committed and the cache told about it.
            if instance.pk == page:
                transaction.on_commit(lambda: marks.setdefault("publish_committed", time.time()))

        page_published.connect(on_published, weak=False, dispatch_uid="bench-publish-timing")
        service_page = ServicePage.objects.get(pk=page)
        service_page.title = title
        marks["publish_started"] = time.time()
        revision = service_page.save_revision()
        revision.publish()
        marks["publish_returned"] = time.time()
        marks.setdefault("publish_committed", marks["publish_returned"])
        self.stdout.write(json.dumps(marks))
