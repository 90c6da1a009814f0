"""
The change feed (`pages.changes`) for everything but pages — snippets, settings, the menu, images, documents,
collection privacy — found by type, not from a list: each real change is one event that both the response
cache and the webhooks see.
"""

import pytest
import wagtail_factories
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Collection, CollectionViewRestriction, ReferenceIndex
from wagtail.snippets import models as snippet_registry

from pages.changes import ChangeKind
from pages.models import CallToAction, NavigationItem, NavigationMenu, SiteSettings, SocialLink

from .feed import assert_not_served_from_cache, cached_twice, deliveries, events, kinds

pytestmark = pytest.mark.django_db


def listed_ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def team_collection(db):
    return Collection.get_first_root_node().add_child(name="Team")


@pytest.fixture
def image(team_collection):
    return wagtail_factories.ImageFactory(collection=team_collection, title="Team", file__width=1600, file__height=900)


@pytest.fixture
def document(team_collection):
    return wagtail_factories.DocumentFactory(collection=team_collection, title="Brochure")


def test_a_snippet_change_is_seen_by_both(client, feed, webhook):
    call_to_action = CallToAction.objects.get(name="Hire our developers")
    detail = f"/api/v1/snippets/calls-to-action/{call_to_action.pk}/"
    cached_twice(client, detail)

    with transaction.atomic():
        call_to_action.heading = "A brand new pitch"
        call_to_action.save()
        call_to_action.save_revision()  # the admin's save: a bookkeeping save follows, and is no event

    assert kinds(feed) == [ChangeKind.SNIPPET_CHANGED]
    assert (feed[0].model, feed[0].object_id) == (CallToAction, call_to_action.pk)
    assert "A brand new pitch" in assert_not_served_from_cache(client, detail).content.decode()
    [delivery] = deliveries()
    assert delivery.event == "snippet.changed"
    assert delivery.payload["snippet"]["id"] == call_to_action.pk


def test_a_model_registered_as_a_snippet_is_covered_with_no_edit_to_the_feed(client, feed, webhook, monkeypatch):
    """Wagtail's redirects are no snippet here, and the feed names no snippet model: registering one is enough."""
    monkeypatch.setattr(snippet_registry, "SNIPPET_MODELS", [*snippet_registry.get_snippet_models(), Redirect])
    cached_twice(client, "/api/v1/snippets/calls-to-action/")

    redirect = Redirect.objects.create(old_path="/old-offers", redirect_link="https://example.com/")

    assert kinds(feed) == [ChangeKind.SNIPPET_CHANGED]
    assert_not_served_from_cache(client, "/api/v1/snippets/calls-to-action/")  # it depends on every snippet
    [delivery] = deliveries()
    assert (delivery.event, delivery.payload["snippet"]["type"]) == ("snippet.changed", "wagtailredirects.Redirect")
    assert delivery.payload["snippet"]["id"] == redirect.pk


def test_a_model_that_is_no_snippet_is_no_event(feed, webhook):
    Redirect.objects.create(old_path="/old-offers", redirect_link="https://example.com/")

    assert kinds(feed) == []
    assert events() == []


def test_settings_saved_with_their_inline_items_are_seen_by_both(client, feed, webhook, seeded_site):
    cached_twice(client, "/api/v1/settings/")
    cached_twice(client, "/services/")
    settings = SiteSettings.for_site(seeded_site)

    with transaction.atomic():
        settings.footer_text = "Now with a new footer."
        settings.save()
        SocialLink.objects.create(settings=settings, service="github", url="https://github.com/nextbigit")

    assert kinds(feed) == [ChangeKind.SETTINGS_CHANGED] * 2
    assert (feed[1].model, feed[1].object_id, feed[1].instance) == (SiteSettings, settings.pk, None)
    assert assert_not_served_from_cache(client, "/api/v1/settings/").json()["footer_text"] == "Now with a new footer."
    assert "Now with a new footer." in assert_not_served_from_cache(client, "/services/").content.decode()
    assert events() == ["settings.changed"]  # the inline item's change is absorbed by the pending one


def test_a_navigation_change_is_seen_by_both(client, feed, webhook, seeded_site):
    cached_twice(client, "/api/v1/navigation/")
    cached_twice(client, "/api/v1/settings/")

    NavigationItem.objects.create(
        menu=NavigationMenu.for_site(seeded_site), sort_order=9, label="Blog", link_url="/blog/"
    )

    assert kinds(feed) == [ChangeKind.NAVIGATION_CHANGED]
    assert assert_not_served_from_cache(client, "/api/v1/navigation/").json()["items"][-1]["label"] == "Blog"
    assert client.get("/api/v1/settings/")["X-Cache"] == "HIT"  # the menu is not the company details
    [delivery] = deliveries()
    assert (delivery.event, delivery.payload["settings"]["type"]) == ("settings.changed", "pages.NavigationMenu")


def test_an_image_change_is_seen_by_both(client, feed, webhook, image):
    detail = f"/api/v1/images/{image.pk}/"
    cached_twice(client, detail)
    feed.clear()

    image.title = "The team, in 2026"
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 400, 300, 100, 100
    image.save()

    assert kinds(feed) == [ChangeKind.IMAGE_CHANGED]
    assert assert_not_served_from_cache(client, detail).json()["focal_point"] == {
        "x": 400,
        "y": 300,
        "width": 100,
        "height": 100,
    }
    [delivery] = deliveries()
    assert delivery.event == "image.changed"
    assert delivery.payload["image"] == {
        "id": image.pk,
        "api_url": f"http://testserver/api/v1/images/{image.pk}/",
        "deleted": False,
    }


def test_an_images_lazily_computed_hash_is_no_event(feed, webhook, image):
    feed.clear()
    sent = events()

    image.file_hash = ""
    image.get_file_hash()  # saves update_fields=["file_hash"]

    assert kinds(feed) == []
    assert events() == sent


def test_a_deleted_image_is_seen_by_both(client, feed, webhook, image):
    image_id = image.pk
    cached_twice(client, "/api/v1/images/")

    image.delete()

    assert ChangeKind.IMAGE_CHANGED in kinds(feed)
    assert image_id not in listed_ids(assert_not_served_from_cache(client, "/api/v1/images/"))
    assert deliveries("image.changed")[-1].payload["image"]["deleted"] is True


def test_a_document_change_is_seen_by_both(client, feed, webhook, document, flask_page):
    """No page renders document links today: the cache drops only what references the document, nothing else."""
    cached_twice(client, "/services/")
    cached_twice(client, "/services/flask/")
    ReferenceIndex.objects.create(
        content_type=flask_page.content_type,
        base_content_type=ReferenceIndex._get_base_content_type(flask_page),
        object_id=str(flask_page.pk),
        to_content_type=ReferenceIndex._get_base_content_type(document),
        to_object_id=str(document.pk),
        model_path="sections",
        content_path="sections.0",
        content_path_hash=ReferenceIndex._get_content_path_hash("sections.0"),
    )
    feed.clear()

    document.title = "Brochure, 2026 edition"
    document.save()

    assert kinds(feed) == [ChangeKind.DOCUMENT_CHANGED]
    assert_not_served_from_cache(client, "/services/flask/")  # the page that references it
    assert client.get("/services/")["X-Cache"] == "HIT"
    [delivery] = deliveries()
    assert delivery.event == "document.changed"
    assert delivery.payload["document"] == {
        "id": document.pk,
        "url": f"http://testserver/documents/{document.pk}/{document.filename}",
        "deleted": False,
    }


def test_collection_privacy_is_seen_by_both_as_changes_of_its_images_and_documents(
    client, feed, webhook, image, document, team_collection
):
    inner = team_collection.add_child(name="Portraits")
    portrait = wagtail_factories.ImageFactory(collection=inner, file__width=800, file__height=800)
    cached_twice(client, f"/api/v1/images/{image.pk}/")
    cached_twice(client, f"/api/v1/images/{portrait.pk}/")
    feed.clear()

    restriction = CollectionViewRestriction.objects.create(
        collection=team_collection, restriction_type=CollectionViewRestriction.LOGIN
    )

    assert kinds(feed) == [ChangeKind.COLLECTION_PRIVACY_CHANGED]
    assert assert_not_served_from_cache(client, f"/api/v1/images/{image.pk}/").status_code == 404
    assert assert_not_served_from_cache(client, f"/api/v1/images/{portrait.pk}/").status_code == 404
    assert sorted(delivery.payload["image"]["id"] for delivery in deliveries("image.changed")) == sorted(
        [image.pk, portrait.pk]
    )
    assert [delivery.payload["document"]["id"] for delivery in deliveries("document.changed")] == [document.pk]

    restriction.delete()

    assert kinds(feed) == [ChangeKind.COLLECTION_PRIVACY_CHANGED] * 2
    assert assert_not_served_from_cache(client, f"/api/v1/images/{image.pk}/").status_code == 200


def test_a_new_image_reaches_the_image_listing(client, feed, webhook, image, team_collection):
    cached_twice(client, "/api/v1/images/")

    added = wagtail_factories.ImageFactory(collection=team_collection, file__width=640, file__height=480)

    assert kinds(feed)[-1] == ChangeKind.IMAGE_CHANGED
    assert added.pk in listed_ids(assert_not_served_from_cache(client, "/api/v1/images/"))
    assert deliveries("image.changed")[-1].payload["image"]["id"] == added.pk
