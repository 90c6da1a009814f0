import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pages.transfer import TransferError, import_content


class Command(BaseCommand):
    help = (
        "Restore an `export_content` file into an empty, freshly migrated database, all or nothing. "
        "Restore the media store (image and document files) separately."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by `manage.py export_content`.")

    def handle(self, *args, file: str, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON ({error}); nothing was imported.") from error
        try:
            report = import_content(document)
        except TransferError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from error
        counts = ", ".join(f"{name}: {count}" for name, count in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported {counts}."))
        if report.missing_users:
            self.stdout.write(
                self.style.WARNING(
                    "No account for " + ", ".join(report.missing_users) + ": their revisions and pages have no "
                    "author now. Create the accounts before importing to keep authorship."
                )
            )
        if report.missing_workflows:
            self.stdout.write(
                self.style.WARNING(
                    "These workflows are not defined here, so the pages they moderated have none: "
                    + ", ".join(sorted(set(report.missing_workflows)))
                )
            )
        if report.created_groups:
            self.stdout.write(
                "Created groups named by view restrictions (add their members): " + ", ".join(report.created_groups)
            )
