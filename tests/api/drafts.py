"""Revisions made as the admin makes them, for tests of the management API's history and workflow."""

import copy

from wagtail.models import Page, Revision

from api.concurrency import revision_etag


def stored_sections(page: Page) -> list[dict]:
    """A copy of the latest draft's sections as Wagtail stores them: `[{"type", "value", "id"}, …]`."""
    return copy.deepcopy(list(page.get_latest_revision_as_object().sections.raw_data))


def save_draft(page: Page, *, user=None, **fields) -> Revision:
    """Save a new latest revision of `page` with `fields` changed (`sections` as stored JSON), as the admin's Save."""
    draft = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(draft, name, value)
    return draft.save_revision(user=user)


def etag_of(page: Page) -> str:
    """The ETag a client holds after reading `page`: its latest revision."""
    return revision_etag(Page.objects.get(pk=page.pk).latest_revision_id)
