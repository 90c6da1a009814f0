"""`export_content()`: everything editors and visitors made, as one JSON-ready document (format: `pages.transfer`)."""

from collections import defaultdict

import wagtail
from django.db import connection, transaction
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Revision,
    RevisionMixin,
    Site,
    WorkflowPage,
)

from .document import FORMAT, VERSION, model_label, record_sections, setting_models, snippet_models
from .records import USER, ExportNames, portable, record_of, revisions_content_type


class Exporter:
    def __init__(self, all_revisions: bool):
        self.all_revisions = all_revisions
        self.names = ExportNames()

    def fields(self, obj) -> dict:
        """The record of `obj` (see `records`) with references by name; its id goes beside it."""
        fields = portable(type(obj), record_of(obj), self.names)
        del fields["pk"]
        return fields

    def entry(self, obj, **extra) -> dict:
        return {"id": obj.pk, "fields": self.fields(obj), **extra}

    def revision_entry(self, revision: Revision, model) -> dict:
        return {
            "id": revision.pk,
            "created_at": revision.created_at,
            "user": self.names(USER, revision.user_id) if revision.user_id else None,
            "approved_go_live_at": revision.approved_go_live_at,
            "object_str": revision.object_str,
            "content": portable(model, revision.content, self.names),
        }

    def revisions_by_object(self, model, objects: list) -> dict[str, list[Revision]]:
        """The revisions of `objects` (of `model` or its subclasses) by object id: all, or the live and latest ones."""
        revisions = Revision.objects.filter(base_content_type=revisions_content_type(model))
        if not self.all_revisions:
            wanted = {
                getattr(obj, name, None) for obj in objects for name in ("live_revision_id", "latest_revision_id")
            }
            revisions = revisions.filter(pk__in=wanted - {None})
        by_object = defaultdict(list)
        for revision in revisions.order_by("created_at", "pk"):
            by_object[revision.object_id].append(revision)
        return by_object

    def with_revisions(self, model, objects: list) -> list[dict]:
        revisions = self.revisions_by_object(model, objects)
        return [
            self.entry(
                obj, revisions=[self.revision_entry(revision, type(obj)) for revision in revisions.get(str(obj.pk), [])]
            )
            for obj in objects
        ]

    def restriction_entries(self, model, owner: str) -> dict[int, list[dict]]:
        """View restrictions (`model`) by the id of the `owner` (page or collection) they protect, groups by name."""
        by_owner = defaultdict(list)
        for restriction in model.objects.prefetch_related("groups").order_by("pk"):
            groups = sorted(group.name for group in restriction.groups.all())
            by_owner[getattr(restriction, f"{owner}_id")].append(self.entry(restriction, groups=groups))
        return by_owner

    def pages(self) -> list[dict]:
        pages = list(Page.objects.order_by("path").specific())
        revisions = self.revisions_by_object(Page, pages)
        restrictions = self.restriction_entries(PageViewRestriction, "page")
        workflows = dict(WorkflowPage.objects.values_list("page_id", "workflow__name"))
        ids_by_path = {page.path: page.pk for page in pages}
        entries = []
        for page in pages:
            fields = self.fields(page)
            # Comments are editors' working notes, tied to their accounts; they are not exported.
            fields.pop(COMMENTS_RELATION_NAME, None)
            entries.append(
                {
                    "id": page.pk,
                    "type": model_label(type(page)),
                    "parent": ids_by_path.get(page.path[: -Page.steplen]),
                    "url_path": page.url_path,
                    "fields": fields,
                    "view_restrictions": restrictions.get(page.pk, []),
                    # The moderation workflow attached here (it applies below too), by name.
                    "workflow": workflows.get(page.pk),
                    "revisions": [
                        self.revision_entry(revision, type(page)) for revision in revisions.get(str(page.pk), [])
                    ],
                }
            )
        return entries

    def collections(self) -> list[dict]:
        restrictions = self.restriction_entries(CollectionViewRestriction, "collection")
        return [
            self.entry(collection, view_restrictions=restrictions.get(collection.pk, []))
            for collection in Collection.objects.order_by("path")
        ]

    def images(self) -> list[dict]:
        images = get_image_model().objects.order_by("pk").prefetch_related("tags", "renditions")
        return [
            self.entry(
                image,
                tags=sorted(tag.name for tag in image.tags.all()),
                # Rendition files are in the media store with the originals; keeping their rows keeps their URLs.
                renditions=[self.entry(rendition) for rendition in sorted(image.renditions.all(), key=lambda r: r.pk)],
            )
            for image in images
        ]

    def documents(self) -> list[dict]:
        documents = get_document_model().objects.order_by("pk").prefetch_related("tags")
        return [self.entry(document, tags=sorted(tag.name for tag in document.tags.all())) for document in documents]

    def rows(self, model) -> list[dict]:
        return [self.entry(obj) for obj in model.objects.order_by("pk")]

    def document(self) -> dict:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now(),
            "source": {"wagtail": wagtail.__version__, "database": connection.vendor},
            "revisions": "all" if self.all_revisions else "live and latest",
            "locales": [
                {"id": pk, "language_code": code} for pk, code in Locale.objects.values_list("pk", "language_code")
            ],
            "collections": self.collections(),
            "images": self.images(),
            "documents": self.documents(),
            "pages": self.pages(),
            "sites": self.rows(Site),
            "redirects": self.rows(Redirect),
            **{section: self.rows(model) for section, model in record_sections().items()},
            "snippets": {
                model_label(model): self.with_revisions(model, list(model.objects.order_by("pk")))
                if issubclass(model, RevisionMixin)
                else self.rows(model)
                for model in snippet_models()
            },
            "settings": {model_label(model): self.rows(model) for model in setting_models()},
        }
        # Accounts are not exported: these are the ones to create before an import to keep authorship.
        document["users"] = sorted(self.names.referenced_users)
        return document


def export_content(all_revisions: bool = False) -> dict:
    """The site's content as a JSON-ready document; pages and snippets carry their live and latest revisions, or all."""
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                # Every query reads the same snapshot, so edits saved while the export runs cannot leave
                # it half old, half new (say, a page pointing at a revision the export did not read).
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return Exporter(all_revisions).document()
