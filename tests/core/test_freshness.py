"""
Freshness anchored in the database: a stored response is served only while the database says none of
its tags changed since it was made, whatever happened to the cache meanwhile.
"""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from core import cache_tags, freshness
from core.models import TagVersion
from core.response_cache import ResponseCacheMiddleware, invalidate
from tests.core.test_failing_services import UNREACHABLE_REDIS

pytestmark = pytest.mark.django_db

TAG = "page:00010001"


def tagged_view(body: str = "rendered", *tags: str, during=None):
    """A view answering `body`, depending on `tags` (TAG by default); `during()` runs while it renders."""

    def view(request):
        cache_tags.add(*(tags or (TAG,)))
        if during is not None:
            during()
        return HttpResponse(body)

    return view


def get(middleware, path: str = "/services/flask/"):
    return middleware(RequestFactory().get(path))


def test_a_change_makes_the_entries_that_depend_on_it_misses():
    middleware = ResponseCacheMiddleware(tagged_view())
    assert get(middleware)["X-Cache"] == "MISS"
    assert get(middleware)["X-Cache"] == "HIT"

    invalidate(TAG)

    assert get(middleware)["X-Cache"] == "MISS"
    assert get(middleware)["X-Cache"] == "HIT"


def test_a_change_to_other_tags_leaves_the_entry_served():
    middleware = ResponseCacheMiddleware(tagged_view())
    get(middleware)
    for _ in range(5):
        invalidate("page:00010002", cache_tags.SNIPPETS)
    assert get(middleware)["X-Cache"] == "HIT"


def test_a_change_rolled_back_changes_nothing():
    middleware = ResponseCacheMiddleware(tagged_view())
    get(middleware)

    with pytest.raises(RuntimeError), transaction.atomic():
        invalidate(TAG)
        raise RuntimeError("the editor's save failed")

    assert get(middleware)["X-Cache"] == "HIT"


def test_a_response_made_while_its_content_changed_is_never_served_after_the_change():
    """The render read the old content; the change lands before the render is stored."""
    racing = ResponseCacheMiddleware(tagged_view("old content", during=lambda: invalidate(TAG)))
    assert get(racing)["X-Cache"] == "MISS"

    afterwards = ResponseCacheMiddleware(tagged_view("new content"))
    response = get(afterwards)
    assert (response["X-Cache"], response.content) == ("MISS", b"new content")
    assert get(afterwards)["X-Cache"] == "HIT"


def test_a_change_made_while_the_cache_is_unreachable_is_not_lost(settings):
    """Nothing about a change is sent to the cache, so an outage there cannot drop it."""
    middleware = ResponseCacheMiddleware(tagged_view("before"))
    get(middleware)
    local_caches = settings.CACHES

    settings.CACHES = UNREACHABLE_REDIS
    invalidate(TAG)
    settings.CACHES = local_caches

    response = ResponseCacheMiddleware(tagged_view("after"))(RequestFactory().get("/services/flask/"))
    assert (response["X-Cache"], response.content) == ("MISS", b"after")


def test_the_clock_survives_a_database_emptied_of_it():
    TagVersion.objects.all().delete()
    assert freshness.clock() == 0
    assert freshness.record_change(TAG) == 1
    assert freshness.changed_since(0, [TAG]) and not freshness.changed_since(1, [TAG])


def test_a_hit_costs_one_query_and_one_cache_read(django_assert_num_queries, monkeypatch):
    middleware = ResponseCacheMiddleware(tagged_view("page", TAG, cache_tags.NAVIGATION, cache_tags.SETTINGS))
    get(middleware)
    reads = []
    original_get = cache.get
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: reads.append(args) or original_get(*args, **kwargs))
    monkeypatch.setattr(cache, "get_many", lambda *args, **kwargs: pytest.fail("a hit reads one key"))

    with django_assert_num_queries(1):
        assert get(middleware)["X-Cache"] == "HIT"
    assert len(reads) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_misses_of_one_url_render_once(settings):
    settings.RESPONSE_CACHE_SINGLE_FLIGHT_WAIT = 5
    renders = []
    rendering = threading.Event()
    release = threading.Event()

    def slow_render():
        renders.append(threading.get_ident())
        rendering.set()
        release.wait(5)

    middleware = ResponseCacheMiddleware(tagged_view("rendered once", during=slow_render))
    answers = []

    def visit():
        try:
            answers.append(get(middleware))
        finally:
            connection.close()

    first = threading.Thread(target=visit)
    first.start()
    assert rendering.wait(5)
    waiting = [threading.Thread(target=visit) for _ in range(4)]
    for thread in waiting:
        thread.start()
    release.set()
    for thread in [first, *waiting]:
        thread.join(10)

    assert len(renders) == 1
    assert sorted(answer["X-Cache"] for answer in answers) == ["HIT"] * 4 + ["MISS"]
    assert {answer.content for answer in answers} == {b"rendered once"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_waiters_render_for_themselves_when_the_render_stores_nothing(settings):
    settings.RESPONSE_CACHE_SINGLE_FLIGHT_WAIT = 5
    started = threading.Event()
    release = threading.Event()
    calls = []

    def not_found(request):
        calls.append(1)
        started.set()
        release.wait(5)
        return HttpResponse("missing", status=404)

    middleware = ResponseCacheMiddleware(not_found)
    answers = []

    def visit():
        try:
            answers.append(get(middleware).status_code)
        finally:
            connection.close()

    first = threading.Thread(target=visit)
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=visit)
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert answers == [404, 404] and len(calls) == 2


def test_a_url_whose_answer_may_not_be_shared_goes_straight_to_its_view(django_assert_num_queries):
    """No tags, so nothing to store: after the first answer, no clock reading and no lock either."""
    middleware = ResponseCacheMiddleware(lambda request: HttpResponse("made from code"))
    assert get(middleware, "/floor/")["X-Cache"] == "MISS"

    with django_assert_num_queries(0):
        response = get(middleware, "/floor/")
    assert (response["X-Cache"], response.content) == ("MISS", b"made from code")


def test_a_refused_first_answer_is_not_remembered(django_assert_num_queries):
    answers = iter([HttpResponse("slow down", status=429), HttpResponse("the page")])

    def view(request):
        cache_tags.add(TAG)
        return next(answers)

    middleware = ResponseCacheMiddleware(view)
    assert get(middleware).status_code == 429
    assert get(middleware)["X-Cache"] == "MISS"
    assert get(middleware)["X-Cache"] == "HIT"
