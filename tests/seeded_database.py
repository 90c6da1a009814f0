"""
The seeded site, committed once per test session instead of built again in every test that uses it.

`load_initial_data` takes about a third of a second, and more than half the tests use its content
through the `seeded_site` fixture. So the content is committed to the test database once, and each
test's transaction rolls back to it; every test still starts from the database it always had:

- a database test that uses `seeded_site` starts from the seeded site, as `load_initial_data`
  leaves it;
- any other database test starts from the freshly migrated database (Wagtail's placeholder
  "Welcome" page as the site's root), so the `home_page` fixture and the tests that build their own
  tree with factories, or run `load_initial_data` themselves, work as before;
- a transactional test (`transaction=True`, a live server) starts from the migrated database as
  well, restored by its `serialized_rollback`, and seeds for itself; it flushes every table at the
  end, which `prepare` takes into account before the next test.

`prepare(item)` (conftest's `pytest_runtest_setup`) brings the database to the state the next test
needs before the test's transaction opens: the seed is committed, or the migrated database is
restored (flush, then the contents serialized right after migrating). conftest also orders the
tests so that, within pytest-django's order (database tests, then transactional ones), those that
need no seeded site come first: a whole run then seeds once and restores once. Any other order
(a chosen list of tests, another xdist distribution) gives the same results, at the cost of a
restore and a seed at each switch.

The seed writes no files: its pages have no images, so the media directory needs no restoring.
"""

import enum

import pytest
from django.core.management import call_command
from django.db import connection
from pytest_django.fixtures import validate_django_db

from pages.seed import load_initial_data

SEEDED_FIXTURE = "seeded_site"


class State(enum.Enum):
    MIGRATED = "migrated"  # as pytest-django created it; what each test's rollback returns to
    SEEDED = "seeded"  # the migrated database plus a committed `load_initial_data`
    FLUSHED = "flushed"  # emptied by a transactional test's teardown (or about to be)


def database_use(item: pytest.Item) -> str | None:
    """How `item` uses the database: "transactional", "rollback" (a transaction rolled back), or None."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    if transaction or reset_sequences or "transactional_db" in names or "live_server" in names:
        return "transactional"
    if marker is not None or "db" in names:
        return "rollback"
    return None


def needs_seed(item: pytest.Item) -> bool:
    return SEEDED_FIXTURE in getattr(item, "fixturenames", ())


class SeededDatabase:
    """Which of the states above the test database is in, and the moves between them."""

    def __init__(self) -> None:
        self.state = State.MIGRATED
        self._blocker = None
        self._migrated_contents: str | None = None

    def attach(self, django_db_blocker) -> None:
        """Called once the test database exists, still freshly migrated: keep what restoring it needs."""
        self._blocker = django_db_blocker
        with django_db_blocker.unblock():
            self._migrated_contents = connection.creation.serialize_db_to_string()

    @property
    def holds_seed(self) -> bool:
        """Whether the seeded site is already in the database for the test being set up."""
        return self.state is State.SEEDED

    def prepare(self, item: pytest.Item) -> None:
        """Bring the database to the state `item` starts from; runs before any of its fixtures."""
        use = database_use(item)
        if use is None or self._blocker is None:
            # No database, or none yet: pytest-django is about to create it, migrated.
            return
        wanted = State.SEEDED if use == "rollback" and needs_seed(item) else State.MIGRATED
        if use == "transactional" and self.state is State.FLUSHED:
            wanted = State.FLUSHED  # its serialized_rollback restores the migrated database by itself
        if self.state is not wanted:
            with self._blocker.unblock():
                if self.state is not State.MIGRATED:
                    self._restore_migrated()
                if wanted is State.SEEDED:
                    load_initial_data()
        self.state = State.FLUSHED if use == "transactional" else wanted

    def _restore_migrated(self) -> None:
        # As Django's TransactionTestCase does for serialized_rollback: empty every table without the
        # post_migrate signal (which would recreate content types and permissions) and without resetting
        # the sequences (new rows must not take the ids of the restored ones), then load the rows.
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(self._migrated_contents)
