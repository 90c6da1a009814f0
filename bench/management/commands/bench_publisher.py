import json
import sys

from django.core.management.base import BaseCommand

from .bench_publish import publish_edit


class Command(BaseCommand):
    help = (
        "Publish the edits read from stdin, one JSON object a line ({page, title, summary}), answering each "
        "with the same object plus its publish times; stops at the end of input. A long-lived publisher for "
        "bench/soak.py, so that Django starts once rather than for every publish."
    )

    def handle(self, *args, **options):
        self.answer({"ready": True})
        for line in sys.stdin:
            if line.strip():
                edit = json.loads(line)
                self.answer({**edit, **publish_edit(edit["page"], edit["title"], edit.get("summary"))})

    def answer(self, message: dict) -> None:
        self.stdout.write(json.dumps(message))
        self.stdout.flush()
