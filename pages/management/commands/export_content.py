import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pages.transfer import ExportEncoder, export_content


class Command(BaseCommand):
    help = (
        "Write all content (pages with their live and latest revisions, snippets, settings, navigation, "
        "leads, image and document metadata) to FILE as JSON, for `import_content`. "
        "Image and document files are not included: back up the media store as well."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the export, e.g. backups/content-2025-06-01.json.")
        parser.add_argument(
            "--all-revisions",
            action="store_true",
            help="Every revision of every page and snippet, not only the live and latest ones.",
        )

    def handle(self, *args, file: str, all_revisions: bool, **options):
        target = Path(file)
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} is not a directory.")
        document = export_content(all_revisions=all_revisions)
        # Written beside the target and renamed into place, so a failed export never leaves half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(document, stream, cls=ExportEncoder, ensure_ascii=False, indent=1)
                stream.write("\n")
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        revisions = sum(len(page["revisions"]) for page in document["pages"])
        counts = ", ".join(f"{section}: {len(document[section])}" for section in ("images", "documents", "leads"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported pages: {len(document['pages'])} ({revisions} revisions), {counts} to {target}."
            )
        )
        self.stdout.write("Image and document files are not in the export: back up the media store with it.")
