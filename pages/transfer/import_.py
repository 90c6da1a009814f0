"""
`import_content(document)`: restore an export into an empty database, all or nothing.

"Empty" means just migrated: Wagtail's placeholders (the root page, the "Welcome" page, the default
site, the root collection, settings a first visit created for that site) may be there, and user
accounts, but no pages, images, documents, snippets, redirects or leads. Anything else is refused
before a row is written. The placeholders are replaced by the export's own.

Every row keeps its primary key, so ids inside content (page links in rich text, image and snippet
ids in sections, revision ids) stay right. In one transaction:

1. locales, collections (with their view restrictions), images with their tags and rendition rows,
   documents, pages with their revisions and view restrictions, sites, snippets with
   their revisions, settings with their child rows, redirects and leads;
2. the editorial groups and moderation workflow from code (`pages.editorial`), then each page's
   workflow as exported, by name (workflows themselves come from migrations and code, not the
   file); groups named by view restrictions are created if missing;
3. a foreign-key check, the id sequences moved past the imported ids (PostgreSQL), Wagtail's
   reference index and search index rebuilt;
4. every cached response dropped once the transaction commits.

Any error rolls everything back and is raised as TransferError naming the entry at fault.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    Locale,
    Page,
    PageViewRestriction,
    Revision,
    RevisionMixin,
    Site,
    Workflow,
    WorkflowPage,
)

from core import cache_tags
from core.response_cache import invalidate
from pages.editorial import configure_editorial_workflow

from .document import (
    TransferError,
    check_document,
    list_sections,
    model_label,
    page_model_for,
    record_sections,
    section_model_for,
    snippet_models,
)
from .records import ImportIds, insert, portable, revisions_content_type


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    # Usernames the file names (authors of revisions, owners of pages) with no account here; left empty.
    missing_users: list[str] = field(default_factory=list)
    created_groups: list[str] = field(default_factory=list)
    # Workflows the file attaches to pages that this database does not define; those pages have none now.
    missing_workflows: list[str] = field(default_factory=list)


def _plural(count: int, model) -> str:
    name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    return f"{count} {name}"


def _placeholder_pages():
    """The pages `migrate` creates: the tree root and a childless plain `Page` ("Welcome to your new Wagtail site!")."""
    plain_page = ContentType.objects.get_for_model(Page)
    return Page.objects.filter(Q(depth=1) | Q(depth=2, numchild=0, content_type=plain_page))


def content_in_database() -> list[str]:
    """What the database holds besides placeholders, e.g. ["4 pages", "1 image"]; empty when an import may run."""
    found = []
    pages = Page.objects.exclude(pk__in=_placeholder_pages().values("pk")).count()
    if pages:
        found.append(_plural(pages, Page))
    collections = Collection.objects.filter(depth__gt=1).count()
    if collections:
        found.append(_plural(collections, Collection))
    for model in (get_image_model(), get_document_model(), *snippet_models(), Redirect, *record_sections().values()):
        count = model.objects.count()
        if count:
            found.append(_plural(count, model))
    return found


@contextmanager
def _entry(where: str) -> Iterator[None]:
    """Re-raise any error while importing one entry as a TransferError that says where in the file it is."""
    try:
        yield
    except TransferError as error:
        raise TransferError(f"{where}: {error}") from error
    except KeyError as error:
        raise TransferError(f"{where}: {error} is missing.") from error
    except (TypeError, ValueError, ValidationError, ObjectDoesNotExist, DatabaseError) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise TransferError(f"{where}: {type(error).__name__}: {message}") from error


class Importer:
    def __init__(self, document: dict):
        self.document = document
        self.report = ImportReport()
        self.written: set = set()
        self.replaced_page_paths: list[str] = []
        self.ids: ImportIds | None = None
        # View restrictions and the names of their groups, given their groups once the editorial ones exist.
        self.restriction_groups: list[tuple] = []

    def record(self, model, entry: dict) -> dict:
        return portable(model, {**entry["fields"], "pk": entry["id"]}, self.ids)

    def insert(self, model, entry: dict):
        return insert(model, self.record(model, entry), self.written)

    def remove_placeholders(self) -> list[tuple[int, int]]:
        """Delete the sites, pages and collections `migrate` made; returns the root collection's group permissions."""
        root_permissions = list(
            GroupCollectionPermission.objects.filter(collection__depth=1).values_list("group_id", "permission_id")
        )
        self.replaced_page_paths = list(Page.objects.values_list("path", flat=True))
        Site.objects.all().delete()  # settings rows of these sites go with them
        for page in Page.objects.filter(depth=2):
            page.delete()
        Page.objects.filter(depth=1).delete()
        Collection.objects.all().delete()
        return root_permissions

    def locales(self) -> dict[str, int]:
        locale_ids = {}
        for index, entry in enumerate(self.document["locales"]):
            with _entry(f"locales[{index}]"):
                locale, _ = Locale.objects.get_or_create(language_code=entry["language_code"])
                locale_ids[locale.language_code] = locale.pk
        return locale_ids

    def view_restrictions(self, model, entries: list, where: str) -> None:
        for index, entry in enumerate(entries):
            with _entry(f"{where}.view_restrictions[{index}]"):
                restriction = self.insert(model, entry)
                self.restriction_groups.append((restriction, entry.get("groups", [])))

    def give_restrictions_their_groups(self) -> None:
        """Groups by name; a group no longer defined is created (empty), so the restriction still means the same."""
        for restriction, names in self.restriction_groups:
            groups = []
            for name in names:
                group, created = Group.objects.get_or_create(name=name)
                if created:
                    self.report.created_groups.append(name)
                groups.append(group)
            restriction.groups.set(groups)

    def revisions(self, obj, entries: list, where: str) -> None:
        model = type(obj)
        for index, entry in enumerate(entries):
            with _entry(f"{where}.revisions[{index}]"):
                record = {
                    "pk": entry["id"],
                    "content_type": model_label(model),
                    "base_content_type": model_label(revisions_content_type(model).model_class()),
                    "object_id": str(obj.pk),
                    "created_at": entry["created_at"],
                    "user": entry["user"],
                    "approved_go_live_at": entry.get("approved_go_live_at"),
                    "object_str": entry.get("object_str", ""),
                    "content": portable(model, entry["content"], self.ids),
                }
                insert(Revision, portable(Revision, record, self.ids), self.written)

    def collections(self, root_permissions: list[tuple[int, int]]) -> None:
        for index, entry in enumerate(self.document["collections"]):
            where = f"collections[{index}]"
            with _entry(where):
                self.insert(Collection, entry)
            self.view_restrictions(CollectionViewRestriction, entry.get("view_restrictions", []), where)
        root = Collection.objects.filter(depth=1).first()
        if root is not None:
            GroupCollectionPermission.objects.bulk_create(
                [
                    GroupCollectionPermission(group_id=group_id, permission_id=permission_id, collection=root)
                    for group_id, permission_id in root_permissions
                ],
                ignore_conflicts=True,
            )

    def media(self, section: str, model) -> None:
        """Images or documents: their rows, tags and (images) rendition rows; the files stay in the media store."""
        for index, entry in enumerate(self.document[section]):
            with _entry(f"{section}[{index}]"):
                item = self.insert(model, entry)
                item.tags.set(entry.get("tags", []))
                for rendition in entry.get("renditions", []):
                    self.insert(model.get_rendition_model(), rendition)

    def pages(self) -> None:
        # Tree order does not matter: a page's place is its `path`, written as it was.
        for index, entry in enumerate(self.document["pages"]):
            where = f"pages[{index}] (id {entry['id']})"
            model = page_model_for(entry["type"], where)
            with _entry(where):
                page = self.insert(model, entry)
                if page.content_type.model_class() is not model:
                    raise TransferError(f"its content type is not {entry['type']}.")
            self.revisions(page, entry.get("revisions", []), where)
            self.view_restrictions(PageViewRestriction, entry.get("view_restrictions", []), where)

    def workflows(self) -> None:
        """Attach the workflows the export names to its pages (after the code-defined ones exist)."""
        for entry in self.document["pages"]:
            name = entry.get("workflow")
            if not name:
                continue
            workflow = Workflow.objects.filter(name=name).first()
            if workflow is None:
                self.report.missing_workflows.append(name)
            else:
                WorkflowPage.objects.update_or_create(page_id=entry["id"], defaults={"workflow": workflow})

    def rows(self, model, entries: list, where: str) -> None:
        for index, entry in enumerate(entries):
            with _entry(f"{where}[{index}]"):
                obj = self.insert(model, entry)
            if issubclass(model, RevisionMixin):
                self.revisions(obj, entry.get("revisions", []), f"{where}[{index}]")

    def run(self) -> ImportReport:
        root_permissions = self.remove_placeholders()
        self.ids = ImportIds(self.locales())
        self.collections(root_permissions)
        self.media("images", get_image_model())
        self.media("documents", get_document_model())
        self.pages()
        self.rows(Site, self.document["sites"], "sites")
        for section in ("snippets", "settings"):
            for label, entries in self.document[section].items():
                self.rows(section_model_for(section, label, f"{section}.{label}"), entries, f"{section}.{label}")
        self.rows(Redirect, self.document["redirects"], "redirects")
        for section, model in record_sections().items():
            self.rows(model, self.document[section], section)
        configure_editorial_workflow(apps)
        self.workflows()
        self.give_restrictions_their_groups()
        self.finish()
        self.report.counts = {section: len(self.document[section]) for section in list_sections()}
        for section in ("snippets", "settings"):
            self.report.counts.update({label: len(entries) for label, entries in self.document[section].items()})
        self.report.missing_users = sorted(self.ids.missing_users)
        return self.report

    def finish(self) -> None:
        try:
            connection.check_constraints()
        except DatabaseError as error:
            raise TransferError(f"The file refers to rows it does not contain: {error}") from error
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self.written)):
                cursor.execute(statement)
        call_command("rebuild_references_index", verbosity=0)
        call_command("update_index", verbosity=0)
        invalidate(*self.cache_tags())

    def cache_tags(self) -> list[str]:
        """Every tag a cached response of the old or the new content can carry (see `core.cache_tags`)."""
        paths = self.replaced_page_paths + list(Page.objects.values_list("path", flat=True))
        tags = [
            cache_tags.PAGE_TREE,
            cache_tags.NAVIGATION,
            cache_tags.SETTINGS,
            cache_tags.IMAGES,
            cache_tags.SNIPPETS,
        ]
        tags += [cache_tags.page_tag(path) for path in paths]
        tags += [cache_tags.image_tag(pk) for pk in get_image_model().objects.values_list("pk", flat=True)]
        for model in snippet_models():
            # Named as `pages.invalidation.snippet_changed` names them.
            tags += [cache_tags.snippet_tag(model, pk) for pk in model.objects.values_list("pk", flat=True)]
        return tags


def import_content(document) -> ImportReport:
    """Restore `document` (a parsed export) into this empty database, or raise TransferError and change nothing."""
    check_document(document)
    with transaction.atomic():
        existing = content_in_database()
        if existing:
            raise TransferError(
                f"This database already has content ({', '.join(existing)}). An import only goes into an empty, "
                "freshly migrated database: create a new one, run `manage.py migrate`, then import."
            )
        return Importer(document).run()
