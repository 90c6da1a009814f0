import time

from django.core.management.base import BaseCommand, CommandError

from pages.demo import generate_demo_pages
from pages.models import ServiceIndexPage


class Command(BaseCommand):
    help = "Create N published demo service pages with varied sections under the services index (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, required=True, help="How many service pages to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable content.")

    def handle(self, *args, pages: int, seed: int, **options):
        if pages < 1:
            raise CommandError("--pages must be at least 1.")
        index = ServiceIndexPage.objects.first()
        if index is None:
            raise CommandError("No services index yet: run `manage.py load_initial_data` first.")
        started = time.monotonic()
        created = generate_demo_pages(index, pages, seed=seed)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Created {len(created)} demo service pages in {elapsed:.1f}s."))
