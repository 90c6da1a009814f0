"""
Optimistic concurrency for writes: ETags of revisions and sections, `If-Match`, 412, 423 and 428.

A page's ETag for management clients is its latest revision: `"revision-<id>"`. Every write must
send `If-Match` with the ETag it read; the check and the write happen while the page's row is
locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises writers), so two clients that read
the same revision cannot both write: the second gets 412 with the current revision id, re-reads
and reapplies. A write without `If-Match` is refused with 428, so an update is never lost by a
client that forgot to ask.

A section has an ETag of its own, `"section-<hash of its stored JSON>"`. A write to one section
may name either that ETag or the page's: two clients changing different sections of the same page
both succeed, each starting from the latest revision inside the lock, while two changing the same
section cannot both win.

A page locked in the admin (by another user, by its moderation workflow or by a scheduled publish)
cannot be written by anyone the lock applies to: 423 Locked, with Wagtail's own explanation.
"""

import hashlib
import html
import json
import re
from contextlib import contextmanager

from django.db import transaction
from django.utils.html import strip_tags
from rest_framework.exceptions import APIException, NotFound
from wagtail.models import Page

from .problems import PreconditionFailed, PreconditionRequired

_ENTITY_TAG = re.compile(r'(?:W/)?"([^"]*)"')
# 128 bits of the digest: enough to tell any two versions of a section apart, short enough to read.
_SECTION_DIGEST_LENGTH = 32


class PageLocked(APIException):
    """423: the page is locked in the admin for this user (a lock, its moderation workflow or a scheduled publish)."""

    status_code = 423
    default_detail = "The page is locked: it cannot be changed until it is unlocked."
    default_code = "locked"


def revision_etag(revision_id: int | None) -> str:
    return f'"revision-{revision_id or 0}"'


def section_etag(section: dict) -> str:
    """
    The ETag of one section, `{"type", "id", "value"}` in its stored form: a hash of its canonical JSON,
    so that it changes exactly when the section does, whatever else changes on the page.
    """
    canonical = json.dumps(
        {key: section.get(key) for key in ("type", "id", "value")},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:_SECTION_DIGEST_LENGTH]
    return f'"section-{digest}"'


def set_revision_etag(response, page: Page):
    """Give `response` the ETag of `page`'s latest revision (read after any write in this request)."""
    response["ETag"] = revision_etag(page.latest_revision_id)
    return response


def _sent_entity_tags(request) -> set[str]:
    """The entity tags in `If-Match` (`{"*"}` for a wildcard); 428 when the header is missing."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        return {"*"}
    return {f'"{tag}"' for tag in _ENTITY_TAG.findall(header)}


def check_if_match(request, page: Page) -> None:
    """428 without `If-Match`; 412 unless it names `page`'s latest revision (or is `*`)."""
    sent = _sent_entity_tags(request)
    if "*" not in sent and revision_etag(page.latest_revision_id) not in sent:
        raise PreconditionFailed(page.latest_revision_id)


def check_section_if_match(request, page: Page, section: dict) -> None:
    """
    428 without `If-Match`; 412 unless it names `section` as it is now (its ETag), `page`'s latest
    revision, or is `*`. `section` must come from the page's latest revision, read under the lock.
    """
    sent = _sent_entity_tags(request)
    if "*" in sent or revision_etag(page.latest_revision_id) in sent or section_etag(section) in sent:
        return
    raise PreconditionFailed(
        page.latest_revision_id,
        detail="The section has changed since you read it. Read it again and reapply your change.",
    )


def ensure_unlocked(request, page: Page) -> None:
    """423 when `page` is locked for the request's user, with Wagtail's explanation as plain text."""
    lock = page.get_lock()
    if lock is None or not lock.for_user(request.user):
        return
    message = lock.get_message(request.user) or lock.get_description(request.user)
    raise PageLocked(html.unescape(strip_tags(str(message))) if message else None)


@contextmanager
def page_for_write(request, page_id: int, *, check_page_etag: bool = True):
    """
    In a transaction, lock page `page_id`, check `If-Match` against its latest revision, and
    yield it as its specific type. Everything the caller writes commits together or not at all.

    With `check_page_etag=False` the caller checks `If-Match` itself once it has read what the
    request changes, e.g. with `check_section_if_match` against one section of the latest revision.
    """
    with transaction.atomic():
        locked = Page.objects.select_for_update().filter(pk=page_id).first()
        if locked is None:
            raise NotFound("No page has this id.")
        if check_page_etag:
            check_if_match(request, locked)
        yield locked.specific
