"""
Optimistic concurrency for writes: ETags of revisions, `If-Match`, 412 and 428.

A page's ETag for management clients is its latest revision: `"revision-<id>"`. Every write must
send `If-Match` with the ETag it read; the check and the write happen while the page's row is
locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises writers), so two clients that read
the same revision cannot both write: the second gets 412 with the current revision id, re-reads
and reapplies. A write without `If-Match` is refused with 428, so an update is never lost by a
client that forgot to ask.
"""

import re
from contextlib import contextmanager

from django.db import transaction
from rest_framework.exceptions import NotFound
from wagtail.models import Page

from .problems import PreconditionFailed, PreconditionRequired

_ENTITY_TAG = re.compile(r'(?:W/)?"([^"]*)"')


def revision_etag(revision_id: int | None) -> str:
    return f'"revision-{revision_id or 0}"'


def set_revision_etag(response, page: Page):
    """Give `response` the ETag of `page`'s latest revision (read after any write in this request)."""
    response["ETag"] = revision_etag(page.latest_revision_id)
    return response


def check_if_match(request, page: Page) -> None:
    """428 without `If-Match`; 412 unless it names `page`'s latest revision (or is `*`)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        return
    current = revision_etag(page.latest_revision_id)
    sent = {f'"{tag}"' for tag in _ENTITY_TAG.findall(header)}
    if current not in sent:
        raise PreconditionFailed(page.latest_revision_id)


@contextmanager
def page_for_write(request, page_id: int):
    """
    In a transaction, lock page `page_id`, check `If-Match` against its latest revision, and
    yield it as its specific type. Everything the caller writes commits together or not at all.
    """
    with transaction.atomic():
        locked = Page.objects.select_for_update().filter(pk=page_id).first()
        if locked is None:
            raise NotFound("No page has this id.")
        check_if_match(request, locked)
        yield locked.specific
