import json
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_save

from pages.models import ServicePage


def publish_edit(page_id: int, title: str, summary: str | None = None) -> dict[str, float]:
    """
    Save a revision of a service page with a new title (and summary) and publish it, as an editor would.

    Returns wall-clock times, comparable with a runner's on the same machine: `publish_started`,
    `publish_committed` (the page's new title committed: from then on the database serves the
    change and only the caches stand between it and visitors) and `publish_returned`.
    """
    marks: dict[str, float] = {}

    def on_save(sender, instance, **kwargs):
        if instance.pk == page_id and instance.title == title:
            transaction.on_commit(lambda: marks.setdefault("publish_committed", time.time()))

    service_page = ServicePage.objects.get(pk=page_id)
    service_page.title = title
    if summary is not None:
        service_page.summary = summary
    marks["publish_started"] = time.time()
    revision = service_page.save_revision()
    # Only now: save_revision() saves the page too, but only to point it at the new revision.
    post_save.connect(on_save, sender=ServicePage, weak=False, dispatch_uid="bench-publish-commit")
    try:
        revision.publish()
    finally:
        post_save.disconnect(sender=ServicePage, dispatch_uid="bench-publish-commit")
    marks["publish_returned"] = time.time()
    return marks


class Command(BaseCommand):
    help = "Publish a new title for one service page, as an editor would, and print when it was committed."

    def add_arguments(self, parser):
        parser.add_argument("--page", type=int, required=True)
        parser.add_argument("--title", required=True)

    def handle(self, *args, page: int, title: str, **options):
        self.stdout.write(json.dumps(publish_edit(page, title)))
