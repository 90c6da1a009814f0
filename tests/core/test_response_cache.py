"""
The shared response cache: anonymous GETs are served from it, and every kind of editorial change
is visible on the very next request, while responses that do not depend on the change stay cached.
"""

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.cache import cache
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import PageViewRestriction

from api import throttling
from core import cache_tags
from pages.models import CallToAction, NavigationItem, NavigationMenu, ServicePage, SiteSettings

pytestmark = pytest.mark.django_db


def cached_twice(client, url: str, **headers) -> str:
    """Fetch `url` twice; the second answer must come from the cache. Returns its body."""
    first = client.get(url, **headers)
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    second = client.get(url, **headers)
    assert second["X-Cache"] == "HIT", f"{url} was not served from the cache"
    assert second.content == first.content
    return second.content.decode()


def test_pages_and_api_responses_are_served_from_the_cache(client, flask_page):
    for url in ["/services/flask/", "/services/", "/", "/api/v1/pages/", f"/api/v1/pages/{flask_page.pk}/"]:
        cached_twice(client, url)


def test_responses_name_what_they_depend_on(client, flask_page):
    response = client.get("/services/flask/")
    tags = set(response["Cache-Tag"].split(","))
    assert cache_tags.page_tag(flask_page.path) in tags
    assert cache_tags.page_tag(flask_page.get_parent().path) in tags
    assert {cache_tags.NAVIGATION, cache_tags.SETTINGS} <= tags
    assert client.get("/api/v1/pages/")["Cache-Tag"] == cache_tags.PAGE_TREE


def test_a_publish_is_visible_on_the_next_request(client, flask_page):
    cached_twice(client, "/services/flask/")
    cached_twice(client, f"/api/v1/pages/{flask_page.pk}/")

    flask_page.title = "Flask, freshly published"
    flask_page.save_revision().publish()

    assert "Flask, freshly published" in client.get("/services/flask/").content.decode()
    assert client.get(f"/api/v1/pages/{flask_page.pk}/").json()["title"] == "Flask, freshly published"
    assert "Flask, freshly published" in client.get("/api/v1/pages/").content.decode()


def test_only_what_depends_on_a_change_is_dropped(client, flask_page, service_page_factory):
    other = service_page_factory(parent=flask_page.get_parent(), slug="django", title="Django")
    cached_twice(client, f"/api/v1/pages/{other.pk}/")

    flask_page.title = "Flask, edited"
    flask_page.save_revision().publish()

    assert client.get(f"/api/v1/pages/{other.pk}/")["X-Cache"] == "HIT"
    assert client.get(f"/api/v1/pages/{flask_page.pk}/")["X-Cache"] == "MISS"


def test_an_unpublish_is_visible_on_the_next_request(client, flask_page):
    cached_twice(client, "/services/flask/")
    cached_twice(client, "/api/v1/pages/find/?path=/services/flask/")
    cached_twice(client, "/sitemap.xml")
    cached_twice(client, "/sitemap-pages.xml")

    flask_page.unpublish()

    assert client.get("/services/flask/").status_code == 404
    assert client.get("/api/v1/pages/find/?path=/services/flask/").status_code == 404
    assert client.get("/sitemap.xml")["X-Cache"] == "MISS"
    assert "/services/flask/" not in client.get("/sitemap-pages.xml").content.decode()


def test_a_move_is_visible_on_the_next_request(client, flask_page, service_page_factory, seeded_site):
    index = flask_page.get_parent()
    child = service_page_factory(parent=index, slug="child", title="Child")
    new_index = index.copy(update_attrs={"slug": "offers", "title": "Offers"}, copy_revisions=False, keep_live=True)
    cached_twice(client, f"/api/v1/pages/{child.pk}/")

    ServicePage.objects.get(pk=child.pk).move(new_index, pos="last-child")

    assert client.get(f"/api/v1/pages/{child.pk}/").json()["url_path"] == "/offers/child/"


def test_a_deleted_page_is_gone_on_the_next_request(client, flask_page):
    cached_twice(client, "/services/flask/")
    ServicePage.objects.get(pk=flask_page.pk).delete()
    assert client.get("/services/flask/").status_code == 404


def test_a_new_view_restriction_hides_the_page_on_the_next_request(client, flask_page):
    cached_twice(client, f"/api/v1/pages/{flask_page.pk}/")
    PageViewRestriction.objects.create(page=flask_page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/api/v1/pages/{flask_page.pk}/").status_code == 404


def test_a_snippet_change_reaches_the_pages_that_use_it(client, flask_page):
    shared = CallToAction.objects.get(name="Hire our developers")
    flask_page.sections.append(("shared_call_to_action", shared))
    flask_page.save_revision().publish()
    cached_twice(client, "/services/flask/")
    cached_twice(client, f"/api/v1/pages/{flask_page.pk}/")

    shared.heading = "A brand new pitch"
    shared.save()

    assert "A brand new pitch" in client.get("/services/flask/").content.decode()
    assert "A brand new pitch" in client.get(f"/api/v1/pages/{flask_page.pk}/").content.decode()


def test_an_image_change_reaches_the_pages_that_use_it(client, flask_page):
    image = wagtail_factories.ImageFactory(title="Team", file__width=1600, file__height=900)
    image_block = flask_page.sections.stream_block.child_blocks["image"]
    raw = {"image": {"image": image.pk, "decorative": False, "alt_text": ""}, "caption": "", "attribution": ""}
    flask_page.sections.append(("image", image_block.to_python(raw)))
    flask_page.save_revision().publish()
    before = cached_twice(client, f"/api/v1/pages/{flask_page.pk}/")
    assert '"focal_point": null' not in before and '"focal_point":null' in before

    image.set_focal_point(None)
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 400, 300, 100, 100
    image.save()

    after = client.get(f"/api/v1/pages/{flask_page.pk}/").json()
    assert after["sections"][-1]["value"]["image"]["focal_point"] == {"x": 400, "y": 300, "width": 100, "height": 100}


def test_a_settings_change_is_visible_on_the_next_request(client, seeded_site):
    cached_twice(client, "/services/")
    cached_twice(client, "/api/v1/settings/")

    settings = SiteSettings.for_site(seeded_site)
    settings.footer_text = "Now with a new footer."
    settings.save()

    assert "Now with a new footer." in client.get("/services/").content.decode()
    assert client.get("/api/v1/settings/").json()["footer_text"] == "Now with a new footer."


def test_a_navigation_change_is_visible_on_the_next_request(client, flask_page, seeded_site):
    cached_twice(client, "/services/flask/")
    cached_twice(client, "/api/v1/navigation/")

    NavigationItem.objects.create(
        menu=NavigationMenu.for_site(seeded_site), sort_order=9, label="Blog", link_url="/blog/"
    )

    assert ">Blog</a>" in client.get("/services/flask/").content.decode()
    assert client.get("/api/v1/navigation/").json()["items"][-1]["label"] == "Blog"


def test_logged_in_editors_bypass_the_cache(client, flask_page):
    cached_twice(client, "/services/flask/")
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "a-long-test-password"))

    response = client.get("/services/flask/")

    assert "X-Cache" not in response


def test_forms_with_a_csrf_token_are_never_cached(client, seeded_site):
    first = client.get("/contact/")
    second = client.get("/contact/")
    assert first.status_code == 200 and second["X-Cache"] == "MISS"


def test_errors_are_not_cached(client, seeded_site):
    assert client.get("/services/nope/").status_code == 404
    assert client.get("/services/nope/").get("X-Cache") != "HIT"


def test_cached_api_answers_still_count_against_the_rate_limit(client, seeded_site, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    statuses = [client.get("/api/v1/navigation/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_refused_cached_answer_is_counted_once(client, seeded_site, settings, monkeypatch):
    """The cache lets a request over the limit through to the view for its 429; the view must not count it again."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    counted = []
    real_hit = throttling._hit
    monkeypatch.setattr(throttling, "_hit", lambda *args: counted.append(args) or real_hit(*args))

    statuses = [client.get("/api/v1/navigation/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert len(counted) == 3


def stored_responses() -> int:
    """How many responses the cache holds (local memory or Redis)."""
    if hasattr(cache, "keys"):
        return len(cache.keys("response:*"))
    return sum(":response:" in key for key in cache._cache)


def test_query_strings_pages_do_not_read_share_the_canonical_entry(client, seeded_site):
    cached_twice(client, "/services/")
    stored = stored_responses()

    junk = [client.get("/services/", {"junk": number, "utm_source": "mail"}) for number in range(20)]

    assert {response["X-Cache"] for response in junk} == {"HIT"}
    assert stored_responses() == stored


def test_query_strings_pages_read_have_entries_of_their_own(client, seeded_site):
    first_page = cached_twice(client, "/services/")
    assert client.get("/services/", {"page": "1", "junk": "x"})["X-Cache"] == "MISS"
    page_one = client.get("/services/?page=1")
    assert page_one["X-Cache"] == "HIT" and page_one.content.decode() == first_page
    assert client.get("/services/", {"page": "2"}).status_code == 404


def test_api_parameters_in_any_order_share_an_entry(client, seeded_site):
    cached_twice(client, "/api/v1/pages/?limit=5&offset=0")

    assert client.get("/api/v1/pages/?offset=0&limit=5")["X-Cache"] == "HIT"
    assert client.get("/api/v1/pages/?limit=5&offset=0&junk=1").status_code == 400


def test_a_304_is_answered_from_the_cache_too(client, seeded_site):
    etag = client.get("/api/v1/navigation/")["ETag"]
    response = client.get("/api/v1/navigation/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


class RecordingBackend(BaseBackend):
    """A stand-in CDN for `wagtail.contrib.frontend_cache`: remembers what it was asked to purge."""

    purged: list[str] = []

    def purge(self, url):
        self.purged.append(url)

    def purge_batch(self, urls):
        self.purged.extend(urls)


def test_a_snippet_change_purges_the_pages_that_use_it_from_the_cdn(
    flask_page, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {"default": {"BACKEND": "tests.core.test_response_cache.RecordingBackend"}}
    shared = CallToAction.objects.get(name="Hire our developers")
    flask_page.sections.append(("shared_call_to_action", shared))
    flask_page.save_revision().publish()
    RecordingBackend.purged.clear()

    shared.text = "Edited once, purged everywhere."
    with django_capture_on_commit_callbacks(execute=True):
        shared.save()

    assert any(url.endswith("/services/flask/") for url in RecordingBackend.purged)
