"""
Thousands of published demo service pages in a few seconds, for tests that need a big site.

`pages.demo.generate_demo_pages` publishes each page as an editor would: 50 to 70 ms a page,
most of it search and reference indexing, so 2,000 pages take about two minutes.
`bulk_create_demo_pages` gives pages the same content (`pages.demo.demo_sections`) and the same
rows a publish leaves behind (a tree position, URL path, a revision that is both the latest and
the live one, publication dates), but writes them the way a fixture is loaded: base rows in bulk,
each page's own row with `save_base(raw=True)`. Like a fixture load it skips the search and
reference indexes, which no read measured here uses. Callers check the tree with `find_problems()`.
"""

import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Revision

from pages.demo import TECHNOLOGIES, demo_sections
from pages.models import ServiceIndexPage, ServicePage


def _service_page(index: ServiceIndexPage, position: int, rng: random.Random, stream_block) -> ServicePage:
    technology = TECHNOLOGIES[position % len(TECHNOLOGIES)]
    title = f"{technology} development services #{position}"
    slug = f"{slugify(technology)}-bulk-{position}"
    raw = [{"type": block_type, "value": value} for block_type, value in demo_sections(rng, technology)]
    return ServicePage(
        title=title,
        draft_title=title,
        slug=slug,
        summary=f"{technology} specialists who ship.",
        technology_name=technology,
        search_description=f"Hire {technology} developers from NextBigIt.",
        sections=stream_block.to_python(raw),
        path=Page._get_path(index.path, index.depth + 1, position),
        depth=index.depth + 1,
        numchild=0,
        url_path=f"{index.url_path}{slug}/",
        locale_id=index.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
        has_unpublished_changes=False,
    )


@transaction.atomic
def bulk_create_demo_pages(index: ServiceIndexPage, count: int, seed: int = 1) -> list[ServicePage]:
    """Create and publish `count` demo service pages as the last children of `index`."""
    rng = random.Random(seed)
    stream_block = ServicePage._meta.get_field("sections").stream_block
    last_child = index.get_last_child()
    first = last_child._get_lastpos_in_path() + 1 if last_child is not None else 1
    now = timezone.now()
    page_type = ContentType.objects.get_for_model(ServicePage)
    base_page_type = ContentType.objects.get_for_model(Page)
    pages = [_service_page(index, position, rng, stream_block) for position in range(first, first + count)]

    base_fields = [field.attname for field in Page._meta.concrete_fields if field.attname != "id"]
    for page in pages:
        page.content_type = page_type
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
    base_rows = Page.objects.bulk_create(Page(**{name: getattr(page, name) for name in base_fields}) for page in pages)
    for page, base_row in zip(pages, base_rows, strict=True):
        page.id = page.page_ptr_id = base_row.id
        page.save_base(raw=True, force_insert=True)

    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=page_type,
            base_content_type=base_page_type,
            object_id=str(page.pk),
            created_at=now,
            object_str=str(page),
            content=page.serializable_data(),
        )
        for page in pages
    )
    for base_row, revision in zip(base_rows, revisions, strict=True):
        base_row.latest_revision = base_row.live_revision = revision
    Page.objects.bulk_update(base_rows, ["latest_revision", "live_revision"])
    Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + count)
    index.refresh_from_db()
    return pages
