import os

import pytest
from django.conf import settings
from django.db import connection
from wagtail.models import Page, Site

from pages.seed import load_initial_data

from .caches import empty_all_caches
from .factories import HomePageFactory, ServiceIndexPageFactory, ServicePageFactory
from .seeded_database import SeededDatabase, database_use, needs_seed
from .served_site import SERVES_THE_SITE, seeded_sqlite_template, site_on_the_test_database, sqlite_site
from .webhooks.receiver import Receiver

# The seeded site is committed once per session (tests/seeded_database.py explains how and why).
SEEDED_DATABASE = SeededDatabase()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Database tests that need no seeded site before those that do, so a run seeds once.

    pytest-django's own reordering (database tests, then transactional ones, then the rest) runs after
    this one and keeps this order within each of its groups. Transactional tests keep their order: each
    starts from the migrated database whatever ran before it.
    """
    items.sort(key=lambda item: database_use(item) == "rollback" and needs_seed(item))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Seed the database, or restore it as migrated, before the test's fixtures open its transaction."""
    SEEDED_DATABASE.prepare(item)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """
    pytest-django's test database, and what restoring it as migrated needs.

    pytest-django makes no test database when no collected test uses one (`pytest tests/cms/test_entry_points.py`):
    the connection then points at the development database, which must be left alone.
    """
    if any(database_use(item) is not None for item in request.session.items):
        SEEDED_DATABASE.attach(django_db_blocker)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected API output in tests/api/expected/ instead of comparing with it",
    )


@pytest.fixture(scope="session", autouse=True)
def _require_ci_services(django_db_setup, django_db_blocker):
    """In the PostgreSQL + Redis CI pass, prove the suite really runs on them instead of silently falling back."""
    if not os.environ.get("CI_REQUIRE_SERVICES"):
        return
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", f"expected PostgreSQL, running on {connection.vendor}"
    from django_redis import get_redis_connection

    for alias in ("default", "state"):
        backend = settings.CACHES[alias]["BACKEND"]
        assert backend == "django_redis.cache.RedisCache", f"expected the Redis cache for {alias!r}, got {backend}"
        get_redis_connection(alias).ping()


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches, content and state alike; on Redis only this run's keys are removed."""
    empty_all_caches()
    yield


@pytest.fixture
def seeded_site(db):
    """The real content: site, home, services index and the Flask page, as `load_initial_data` builds them.

    Committed once for the session before the test's transaction opens (see SEEDED_DATABASE); built in
    the test by a transactional test, and by a test that runs before the test database exists.
    """
    if not SEEDED_DATABASE.holds_seed:
        load_initial_data()
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def flask_page(seeded_site):
    from pages.models import ServicePage

    return ServicePage.objects.get(slug="flask")


@pytest.fixture
def home_page(db):
    """A minimal tree built with factories: the default site's root is a HomePage."""
    root = Page.get_first_root_node()
    site = Site.objects.get(is_default_site=True)
    placeholder = site.root_page
    home = HomePageFactory(parent=root, slug="home-page")
    site.root_page = home
    site.save()
    if placeholder.specific_class is Page:
        placeholder.delete()
    return home


@pytest.fixture
def services_index(home_page):
    return ServiceIndexPageFactory(parent=home_page)


@pytest.fixture
def service_page(services_index):
    return ServicePageFactory(
        parent=services_index,
        slug="django",
        title="Django development services",
        sections__0__intro__lead="Django, done right.",
        sections__1__text__heading="Why Django",
        sections__2__feature_list__items__0__title="Batteries included",
        sections__3__call_to_action__heading="Hire Django developers",
    )


@pytest.fixture
def services_index_of():
    """The services index a service page lives under."""
    return lambda page: page.get_parent().specific


@pytest.fixture
def service_page_factory(db):
    return ServicePageFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for the commit (queueing webhook deliveries) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 (`tests/webhooks/receiver.py`), listening for the test."""
    with Receiver() as running:
        yield running


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory):
    """The seeded SQLite database servers copy (tests/served_site.py), built once per run for every xdist worker."""
    basetemp = tmp_path_factory.getbasetemp()
    return seeded_sqlite_template(basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp)


@pytest.fixture
def serve(request, transactional_db, tmp_path):
    """
    `with serve(app="cms.wsgi", **environment) as site:` serves the seeded site with real gunicorn processes
    (a `ServedSite`), on the run's database: a SQLite file on the SQLite pass, the test database on
    PostgreSQL. So a test that uses it runs on both; it must be marked `SERVES_THE_SITE`.
    """
    marker = request.node.get_closest_marker("django_db")
    assert marker is not None and marker.kwargs == SERVES_THE_SITE.kwargs, "mark the test SERVES_THE_SITE"
    if connection.vendor == "sqlite":
        template = request.getfixturevalue("seeded_sqlite")
        return lambda app="cms.wsgi", **settings: sqlite_site(template, tmp_path, app, **settings)
    return lambda app="cms.wsgi", **settings: site_on_the_test_database(tmp_path, app, **settings)


@pytest.fixture
def served_site(serve):
    """The seeded site served by gunicorn on the run's database (see `serve`)."""
    with serve() as site:
        yield site
