import json
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_save

from pages.models import ServicePage


class Command(BaseCommand):
    help = "Publish a new title for one service page, as an editor would, and print when it was committed."

    def add_arguments(self, parser):
        parser.add_argument("--page", type=int, required=True)
        parser.add_argument("--title", required=True)

    def handle(self, *args, page: int, title: str, **options):
        # Wall-clock times, comparable with the runner's on the same machine.
        marks: dict[str, float] = {}

        def on_save(sender, instance, **kwargs):
            # The publish saves the page with its new title: from the moment that is committed,
            # the database serves the change and only the caches stand between it and visitors.
            if instance.pk == page and instance.title == title:
                transaction.on_commit(lambda: marks.setdefault("publish_committed", time.time()))

        service_page = ServicePage.objects.get(pk=page)
        service_page.title = title
        marks["publish_started"] = time.time()
        revision = service_page.save_revision()
        # Only now: save_revision() saves the page too, but only to point it at the new revision.
        post_save.connect(on_save, sender=ServicePage, weak=False, dispatch_uid="bench-publish-commit")
        revision.publish()
        marks["publish_returned"] = time.time()
        self.stdout.write(json.dumps(marks))
