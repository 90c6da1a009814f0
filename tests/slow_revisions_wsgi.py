"""
The site's WSGI application with every revision save slowed down, for tests of overlapping writes.

A write reads the page's latest revision, changes it and saves a new one. Here each save first pauses
inside its transaction: a second write that did not wait for the first (no row lock on PostgreSQL, no
IMMEDIATE transaction on SQLite) would read the same revision meanwhile and one change would be lost,
or the database would refuse one of the two. Served by gunicorn: `serve(SLOW_REVISIONS)`.
"""

import time

from cms.wsgi import application  # first: it sets Django up, which importing the models needs

PAUSE_SECONDS = 0.3


def _pause_before_every_revision_save() -> None:
    from wagtail.models import Page

    save_revision = Page.save_revision

    def slow_save_revision(self, *args, **kwargs):
        time.sleep(PAUSE_SECONDS)
        return save_revision(self, *args, **kwargs)

    Page.save_revision = slow_save_revision


_pause_before_every_revision_save()

__all__ = ["application"]
