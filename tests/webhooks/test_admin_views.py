"""Webhooks in the Wagtail admin (Settings → Webhooks): register, the delivery log, redeliver, who may."""

import base64

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from wagtail.models import ModelLogEntry

from tests.factories import UserFactory, WebhookFactory
from tests.webhooks.receiver import publish
from webhooks.models import Webhook, WebhookDelivery
from webhooks.signing import secret_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, seeded_site):
    client.force_login(UserFactory(username="site-admin", is_superuser=True, is_staff=True))
    return client


def client_for(*codenames: str) -> Client:
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="webhooks", codename__in=codenames),
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def delivered(receiver, flask_page, committed):
    """A webhook pointing at the receiver, and the delivery of the Flask page's publication to it."""
    webhook = WebhookFactory(url=receiver.url, name="Front end")
    with committed():
        publish(flask_page)
    return WebhookDelivery.objects.get(webhook=webhook)


def test_registering_a_webhook_generates_its_secret(superuser_client):
    response = superuser_client.post(
        "/admin/webhooks/new/",
        {
            "name": "Next.js front end",
            "url": "https://www.example.com/api/revalidate",
            "secret": "",
            "events": ["page.published", "page.unpublished"],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert webhook.events == ["page.published", "page.unpublished"]
    assert webhook.secret.startswith("whsec_") and len(secret_key(webhook.secret)) == 32
    assert webhook.created_by.username == "site-admin"
    # People who manage webhooks can read the secret back, to configure the receiver with it.
    assert webhook.secret in superuser_client.get(f"/admin/webhooks/edit/{webhook.pk}/").content.decode()


@pytest.mark.parametrize(
    "field, value",
    [
        ("url", "ftp://files.example.com/hook"),
        ("events", []),
        ("secret", "short"),
        ("secret", "a-plain-secret-of-the-old-kind-0123456789"),
        ("secret", "whsec_" + base64.b64encode(b"sixteen bytes!!!").decode()),
    ],
)
def test_an_invalid_webhook_is_a_form_error(superuser_client, field, value):
    data = {"name": "Front end", "url": "https://www.example.com/hook", "events": ["page.published"], field: value}

    response = superuser_client.post("/admin/webhooks/new/", data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Webhook.objects.exists()


def test_the_listing_shows_events_and_the_last_delivery(superuser_client, delivered):
    html = superuser_client.get("/admin/webhooks/").content.decode()

    assert "Front end" in html
    assert "Page published" in html
    assert "Succeeded" in html
    assert "Delivery log" in html


def test_the_delivery_log_lists_and_filters_deliveries(superuser_client, delivered):
    everything = superuser_client.get("/admin/webhooks/deliveries/")
    failed = superuser_client.get("/admin/webhooks/deliveries/?status=failed")

    assert everything.status_code == 200
    assert list(everything.context["object_list"]) == [delivered]
    assert "/services/flask/" in everything.content.decode()
    assert list(failed.context["object_list"]) == []


def test_one_delivery_shows_its_payload(superuser_client, delivered):
    html = superuser_client.get(f"/admin/webhooks/deliveries/{delivered.pk}/").content.decode()

    assert str(delivered.uuid) in html
    assert "&quot;event&quot;: &quot;page.published&quot;" in html
    assert f"/admin/webhooks/deliveries/{delivered.pk}/redeliver/" in html


def test_redelivering_from_the_admin(superuser_client, delivered, receiver, committed):
    url = f"/admin/webhooks/deliveries/{delivered.pk}/redeliver/"
    assert "Yes, redeliver" in superuser_client.get(url).content.decode()

    with committed():
        response = superuser_client.post(url)

    assert response.status_code == 302
    assert [request.headers["webhook-id"] for request in receiver.requests] == [str(delivered.uuid)] * 2
    entry = ModelLogEntry.objects.get(action="webhooks.redeliver")
    assert (entry.object_id, entry.user.username) == (str(delivered.webhook_id), "site-admin")


def test_redelivering_needs_the_csrf_token(delivered, receiver):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(f"/admin/webhooks/deliveries/{delivered.pk}/redeliver/")

    assert response.status_code == 403
    assert len(receiver.requests) == 1


def test_people_without_webhook_permissions_cannot_get_in(delivered):
    editor = Client()
    editor.force_login(UserFactory(groups=["Editors", "Moderators"]))

    for url in ["/admin/webhooks/", "/admin/webhooks/deliveries/", f"/admin/webhooks/deliveries/{delivered.pk}/"]:
        response = editor.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url


def test_a_viewer_sees_the_log_but_cannot_redeliver(delivered, receiver):
    viewer = client_for("view_webhook")

    assert viewer.get("/admin/webhooks/deliveries/").status_code == 200
    response = viewer.post(f"/admin/webhooks/deliveries/{delivered.pk}/redeliver/")

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert len(receiver.requests) == 1
