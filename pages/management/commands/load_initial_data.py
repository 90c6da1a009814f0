from django.core.management.base import BaseCommand

from pages.seed import load_initial_data


class Command(BaseCommand):
    help = (
        "Create the site, home page, services index and the Flask service page. "
        "Safe to run again: it never overwrites edits."
    )

    def handle(self, *args, **options):
        report = load_initial_data()
        for title in report.created:
            self.stdout.write(self.style.SUCCESS(f"Created: {title}"))
        for title in report.kept:
            self.stdout.write(f"Already there, left as it is: {title}")
