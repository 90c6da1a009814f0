import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from wagtail.models import Page

from pages.importers import ArticleImportError
from pages.importers.service_page import ImportResult, import_service_page, is_markdown_file


class Command(BaseCommand):
    help = (
        "Turn a plain-text or Markdown article into a draft service page under the services index: "
        "headings become text sections, 'Advantages/Disadvantages of …' feature lists, a closing "
        "paragraph asking to hire a call to action. Prints the draft's edit URL and the headings "
        "the article lost, which the editor fills in. Nothing is published."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The article (.txt or .md, UTF-8 preferred); '-' reads standard input.")
        parser.add_argument("--title", help="The page title (default: a Markdown article's '# Title').")
        parser.add_argument("--slug", help="The page's URL slug (default: the title, slugified).")
        parser.add_argument("--summary", help="The listing summary (default: the article's first sentence).")
        parser.add_argument("--parent-id", type=int, help="Page id of the services index (default: the site's).")
        parser.add_argument("--user", help="Username to record as the page's owner and revision author.")

    def handle(self, *args, file: str, title, slug, summary, parent_id, user, **options):
        data = self.read(file, options.get("stdin", sys.stdin))
        try:
            result = import_service_page(
                data,
                title=title,
                slug=slug,
                summary=summary,
                parent=self.parent(parent_id),
                user=self.user(user),
                is_markdown=is_markdown_file(file),
            )
        except ArticleImportError as error:
            source = "Standard input" if file == "-" else file
            raise CommandError(f"{source}: {error} Nothing was created.") from error
        self.report(result)

    @staticmethod
    def read(file: str, stdin) -> bytes:
        if file == "-":
            return stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        try:
            return Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error

    @staticmethod
    def parent(parent_id: int | None) -> Page | None:
        if parent_id is None:
            return None
        try:
            return Page.objects.get(pk=parent_id).specific
        except Page.DoesNotExist:
            raise CommandError(f"There is no page with id {parent_id}.") from None

    @staticmethod
    def user(username: str | None):
        if username is None:
            return None
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user named {username!r}.") from None

    def report(self, result: ImportResult) -> None:
        page = result.page
        edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=[page.pk])
        self.stdout.write(self.style.SUCCESS(f"Created draft page {page.pk}: {page.title} (not published)."))
        self.stdout.write(f"Edit it at {edit_url}")
        self.stdout.write("Sections:")
        for number, section in enumerate(page.sections, start=1):
            self.stdout.write(f"  {number}. {describe_section(section)}")
        if result.missing_headings:
            self.stdout.write(self.style.WARNING(f"Headings the article lost ({len(result.missing_headings)}):"))
            for gap in result.missing_headings:
                self.stdout.write(f"  {gap.describe()}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Check: {warning}"))


def describe_section(section) -> str:
    """'Feature list (disadvantages): Disadvantages of Flask, 3 items' — one line per section."""
    label = section.block.label
    value = section.value
    if section.block_type == "feature_list":
        return f"{label} ({value['kind']}): {value['heading']}, {len(value['items'])} items"
    heading = value.get("heading") if hasattr(value, "get") else None
    return f"{label}: {heading}" if heading else label
