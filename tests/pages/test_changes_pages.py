"""
The change feed (`pages.changes`) for pages: each real change is one event, and both subscribers see it —
the response cache stops serving what the change affects, and subscribed webhooks get their delivery.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from pages.changes import ChangeKind
from pages.models import ServicePage

from .feed import assert_not_served_from_cache, cached_twice, deliveries, events, kinds

pytestmark = pytest.mark.django_db


def test_a_publish_is_one_event_seen_by_the_cache_and_the_webhooks(client, feed, webhook, flask_page):
    cached_twice(client, "/services/flask/")
    cached_twice(client, "/api/v1/pages/")

    flask_page.title = "Flask, freshly published"
    revision = flask_page.save_revision()
    revision.publish()

    assert kinds(feed) == [ChangeKind.PAGE_PUBLISHED]
    assert feed[0].revision_id == revision.pk
    assert "Flask, freshly published" in assert_not_served_from_cache(client, "/services/flask/").content.decode()
    assert "Flask, freshly published" in assert_not_served_from_cache(client, "/api/v1/pages/").content.decode()
    [delivery] = deliveries()
    assert delivery.event == "page.published"
    assert delivery.payload["page"]["revision_id"] == revision.pk
    assert "previous_path" not in delivery.payload["page"]


def test_saving_a_draft_or_scheduling_is_no_event(client, feed, webhook, flask_page, service_page_factory):
    cached_twice(client, "/services/flask/")

    flask_page.title = "Flask, drafted"
    flask_page.save_revision()
    later = service_page_factory(parent=flask_page.get_parent(), slug="later", live=False)
    later.go_live_at = timezone.now() + timedelta(days=1)
    later.save_revision().publish()

    assert kinds(feed) == []
    assert client.get("/services/flask/")["X-Cache"] == "HIT"
    assert events() == []


def test_a_publish_that_changes_the_slug_is_a_rename_and_says_the_previous_path(client, feed, webhook, flask_page):
    cached_twice(client, "/api/v1/pages/find/?path=/services/flask/")

    flask_page.slug = "flask-development"
    flask_page.save_revision().publish()

    assert kinds(feed) == [ChangeKind.PAGE_RENAMED, ChangeKind.PAGE_PUBLISHED]
    assert feed[0].url_path_before == feed[1].url_path_before == "/home/services/flask/"
    assert assert_not_served_from_cache(client, "/api/v1/pages/find/?path=/services/flask/").status_code == 404
    assert client.get("/services/flask-development/").status_code == 200
    [delivery] = deliveries()
    assert delivery.event == "page.published"
    assert (delivery.payload["page"]["path"], delivery.payload["page"]["previous_path"]) == (
        "/services/flask-development/",
        "/services/flask/",
    )


def test_a_rename_reaches_the_pages_below_it(client, feed, flask_page):
    services = flask_page.get_parent().specific
    cached_twice(client, f"/api/v1/pages/{flask_page.pk}/")

    services.slug = "offers"
    services.save_revision().publish()

    assert ChangeKind.PAGE_RENAMED in kinds(feed)
    detail = assert_not_served_from_cache(client, f"/api/v1/pages/{flask_page.pk}/")
    assert detail.json()["url_path"] == "/offers/flask/"


def test_an_unpublish_is_one_event_seen_by_the_cache_and_the_webhooks(client, feed, webhook, flask_page):
    cached_twice(client, "/services/flask/")
    cached_twice(client, "/sitemap.xml")

    flask_page.unpublish()

    assert kinds(feed) == [ChangeKind.PAGE_UNPUBLISHED]
    assert assert_not_served_from_cache(client, "/services/flask/").status_code == 404
    assert "/services/flask/" not in assert_not_served_from_cache(client, "/sitemap.xml").content.decode()
    assert events() == ["page.unpublished"]


def test_expiry_carried_out_by_publish_scheduled_is_an_event_seen_by_both(client, feed, webhook, flask_page):
    cached_twice(client, f"/api/v1/pages/{flask_page.pk}/")
    # The expiry date passed without the response cache knowing (set behind Wagtail's back): only the
    # event of `publish_scheduled` carrying it out can drop the stored answer now.
    Page.objects.filter(pk=flask_page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/api/v1/pages/{flask_page.pk}/")["X-Cache"] == "HIT"

    call_command("publish_scheduled", verbosity=0)

    assert kinds(feed) == [ChangeKind.PAGE_EXPIRED]
    assert assert_not_served_from_cache(client, f"/api/v1/pages/{flask_page.pk}/").status_code == 404
    assert events() == ["page.unpublished"]


def test_a_scheduled_go_live_carried_out_is_a_publish(client, feed, webhook, flask_page, service_page_factory):
    later = service_page_factory(parent=flask_page.get_parent(), slug="later", live=False)
    later.go_live_at = timezone.now() + timedelta(hours=1)
    later.save_revision().publish()
    cached_twice(client, "/api/v1/pages/")

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        call_command("publish_scheduled", verbosity=0)

    assert kinds(feed) == [ChangeKind.PAGE_PUBLISHED]
    assert "/services/later/" in assert_not_served_from_cache(client, "/api/v1/pages/").content.decode()
    assert events() == ["page.published"]


def test_a_deletion_is_seen_by_both(client, feed, webhook, flask_page):
    cached_twice(client, "/services/flask/")

    ServicePage.objects.get(pk=flask_page.pk).delete()

    assert kinds(feed) == [ChangeKind.PAGE_UNPUBLISHED, ChangeKind.PAGE_DELETED]
    assert feed[1].deleted
    assert assert_not_served_from_cache(client, "/services/flask/").status_code == 404
    assert events() == ["page.unpublished", "page.deleted"]


def test_a_move_is_seen_by_both(client, feed, webhook, flask_page, service_page_factory):
    index = flask_page.get_parent()
    child = service_page_factory(parent=index, slug="child", title="Child")
    offers = index.copy(update_attrs={"slug": "offers", "title": "Offers"}, copy_revisions=False, keep_live=True)
    cached_twice(client, f"/api/v1/pages/{child.pk}/")
    feed.clear()

    ServicePage.objects.get(pk=child.pk).move(offers, pos="last-child")

    assert kinds(feed) == [ChangeKind.PAGE_MOVED]
    assert feed[0].url_path_before == "/home/services/child/"
    detail = assert_not_served_from_cache(client, f"/api/v1/pages/{child.pk}/")
    assert detail.json()["url_path"] == "/offers/child/"
    [delivery] = deliveries("page.moved")
    assert (delivery.payload["page"]["path"], delivery.payload["page"]["previous_path"]) == (
        "/offers/child/",
        "/services/child/",
    )


def test_making_a_page_private_drops_its_cached_copy_and_sends_the_privacy_webhook(client, feed, webhook, flask_page):
    cached_twice(client, "/services/flask/")
    cached_twice(client, f"/api/v1/pages/{flask_page.pk}/")

    PageViewRestriction.objects.create(
        page=flask_page, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame"
    )

    assert kinds(feed) == [ChangeKind.PAGE_PRIVACY_CHANGED]
    page = assert_not_served_from_cache(client, "/services/flask/")
    assert "open-sesame" not in page.content.decode() and 'name="password"' in page.content.decode()
    assert assert_not_served_from_cache(client, f"/api/v1/pages/{flask_page.pk}/").status_code == 404
    [delivery] = deliveries()
    assert delivery.event == "page.privacy_changed"
    assert delivery.payload["page"]["path"] == "/services/flask/"
    assert delivery.payload["privacy"] == {"restricted": True, "restriction_type": "password"}
    assert "open-sesame" not in json.dumps(delivery.payload)


def test_a_restriction_on_a_section_covers_the_pages_below_it(client, feed, webhook, flask_page):
    services = flask_page.get_parent()
    cached_twice(client, f"/api/v1/pages/{flask_page.pk}/")

    restriction = PageViewRestriction.objects.create(page=services, restriction_type=PageViewRestriction.LOGIN)

    assert assert_not_served_from_cache(client, f"/api/v1/pages/{flask_page.pk}/").status_code == 404
    [delivery] = deliveries()
    assert delivery.payload["page"]["id"] == services.pk
    assert delivery.payload["privacy"] == {"restricted": True, "restriction_type": "login"}

    restriction.delete()

    assert kinds(feed) == [ChangeKind.PAGE_PRIVACY_CHANGED] * 2
    assert assert_not_served_from_cache(client, f"/api/v1/pages/{flask_page.pk}/").status_code == 200
    assert deliveries()[-1].payload["privacy"] == {"restricted": False, "restriction_type": None}


def test_a_restriction_deleted_with_its_page_is_no_privacy_event(feed, webhook, flask_page):
    PageViewRestriction.objects.create(page=flask_page, restriction_type=PageViewRestriction.LOGIN)
    feed.clear()

    ServicePage.objects.get(pk=flask_page.pk).delete()

    assert ChangeKind.PAGE_PRIVACY_CHANGED not in kinds(feed)
    assert events().count("page.privacy_changed") == 1  # making it private, before
