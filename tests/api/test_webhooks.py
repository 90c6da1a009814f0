"""Webhooks through the management API: register, read, change, delete, the delivery log, redeliver, permissions."""

import base64
import uuid

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from tests.factories import UserFactory, WebhookFactory
from tests.webhooks.receiver import publish, verify
from webhooks.models import Webhook, WebhookDelivery
from webhooks.signing import secret_key

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


@pytest.fixture
def admin_headers(bearer, seeded_site):
    return bearer(UserFactory(username="webhook-admin", is_superuser=True))


def user_with(*codenames: str):
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="webhooks", codename__in=codenames))
    return user


NEW_WEBHOOK = {
    "name": "Next.js front end",
    "url": "https://www.example.com/api/revalidate",
    "events": ["page.published"],
}


def test_registering_a_webhook_shows_its_secret_once(api_client, admin_headers):
    response = api_client.post("/api/v1/webhooks/", NEW_WEBHOOK, format="json", **admin_headers)

    assert response.status_code == 201
    created = response.json()
    webhook = Webhook.objects.get()
    assert created["secret"] == webhook.secret and len(secret_key(webhook.secret)) == 32
    assert response["Location"] == f"http://testserver/api/v1/webhooks/{webhook.pk}/"
    assert response["Cache-Control"] == "private, no-store"
    assert {key: created[key] for key in NEW_WEBHOOK} == NEW_WEBHOOK
    assert created["is_active"] is True
    assert webhook.created_by.username == "webhook-admin"
    detail = api_client.get(response["Location"], **admin_headers).json()
    listing = api_client.get("/api/v1/webhooks/", **admin_headers).json()
    assert "secret" not in detail and "secret" not in listing["results"][0]
    assert webhook.secret not in str(detail) + str(listing)


def test_the_creation_is_in_the_webhooks_history_with_the_token(api_client, admin_headers):
    api_client.post("/api/v1/webhooks/", NEW_WEBHOOK, format="json", **admin_headers)

    entry = ModelLogEntry.objects.get(action="api.webhook.create")
    assert entry.object_id == str(Webhook.objects.get().pk)
    assert entry.user.username == "webhook-admin"
    assert entry.data["api"]["token"] == "Test token"


def test_a_secret_of_ones_own_signs_the_deliveries(api_client, admin_headers, receiver, flask_page, committed):
    secret = "whsec_" + base64.b64encode(b"my own secret, shared with the receiver").decode()
    body = {**NEW_WEBHOOK, "url": receiver.url, "secret": secret}
    assert api_client.post("/api/v1/webhooks/", body, format="json", **admin_headers).status_code == 201

    with committed():
        publish(flask_page)

    [request] = receiver.requests
    assert verify(secret, request)


@pytest.mark.parametrize(
    "body, pointer",
    [
        ({**NEW_WEBHOOK, "url": "ftp://files.example.com/hook"}, "/url"),
        ({**NEW_WEBHOOK, "url": "not a url"}, "/url"),
        ({**NEW_WEBHOOK, "events": ["page.saved"]}, "/events/0"),
        ({**NEW_WEBHOOK, "events": []}, "/events"),
        ({**NEW_WEBHOOK, "events": ["page.published", "page.published"]}, "/events"),
        ({**NEW_WEBHOOK, "secret": "too-short"}, "/secret"),
        ({**NEW_WEBHOOK, "secret": "a-plain-secret-of-the-old-kind-0123456789"}, "/secret"),
        ({**NEW_WEBHOOK, "secret": "whsec_not base64!"}, "/secret"),
        ({**NEW_WEBHOOK, "secret": "whsec_" + base64.b64encode(bytes(65)).decode()}, "/secret"),
        ({**NEW_WEBHOOK, "event": "page.published"}, "/event"),
        ({key: value for key, value in NEW_WEBHOOK.items() if key != "name"}, "/name"),
        (["not", "an", "object"], ""),
    ],
)
def test_an_invalid_body_is_a_400_problem_naming_the_field(api_client, admin_headers, body, pointer):
    response = api_client.post("/api/v1/webhooks/", body, format="json", **admin_headers)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert pointer in [error["pointer"] for error in response.json()["errors"]]
    assert not Webhook.objects.exists()


def test_a_secret_of_the_old_plain_kind_is_refused_with_the_format_to_use(api_client, admin_headers):
    body = {**NEW_WEBHOOK, "secret": "a-plain-secret-of-the-old-kind-0123456789"}

    response = api_client.post("/api/v1/webhooks/", body, format="json", **admin_headers)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["pointer"] == "/secret"
    assert "Standard Webhooks format: whsec_ followed by the base64 encoding of 24 to 64" in error["detail"]


NEW_SECRET = "whsec_rlPKwFlBl13APSLww7TJS8fTGCs8eopVuY62Gzs6fUo="


def test_changing_a_webhook(api_client, admin_headers):
    webhook = WebhookFactory(name="Front end")
    old_secret = webhook.secret

    response = api_client.patch(
        f"/api/v1/webhooks/{webhook.pk}/",
        {"events": ["page.unpublished", "page.deleted"], "secret": NEW_SECRET},
        format="json",
        **admin_headers,
    )

    assert response.status_code == 200
    assert response.json()["events"] == ["page.unpublished", "page.deleted"]
    assert "secret" not in response.json()
    webhook.refresh_from_db()
    assert webhook.secret == NEW_SECRET != old_secret
    assert webhook.name == "Front end"
    entry = ModelLogEntry.objects.get(action="api.webhook.edit")
    assert entry.data["fields"] == ["events", "secret"]
    assert NEW_SECRET not in str(entry.data)


def test_an_invalid_change_changes_nothing(api_client, admin_headers):
    webhook = WebhookFactory(name="Kept")

    response = api_client.patch(
        f"/api/v1/webhooks/{webhook.pk}/",
        {"name": "Changed", "url": "javascript:alert(1)"},
        format="json",
        **admin_headers,
    )

    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == ["/url"]
    webhook.refresh_from_db()
    assert webhook.name == "Kept"


def test_reactivating_a_webhook_sends_what_waited(api_client, admin_headers, receiver, flask_page, committed):
    webhook = WebhookFactory(url=receiver.url)
    receiver.fail_next(1)
    with committed():
        publish(flask_page)
    WebhookDelivery.objects.update(next_attempt_at=WebhookDelivery.objects.get().created_at)  # due now
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False)

    with committed():
        response = api_client.patch(
            f"/api/v1/webhooks/{webhook.pk}/", {"is_active": True}, format="json", **admin_headers
        )

    assert response.status_code == 200
    assert len(receiver.requests) == 2
    assert WebhookDelivery.objects.get().status == Status.SUCCEEDED


def test_deleting_a_webhook_deletes_its_deliveries(api_client, admin_headers, flask_page):
    webhook = WebhookFactory()
    publish(flask_page)
    assert WebhookDelivery.objects.filter(webhook=webhook).exists()

    response = api_client.delete(f"/api/v1/webhooks/{webhook.pk}/", **admin_headers)

    assert response.status_code == 204
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()
    assert ModelLogEntry.objects.filter(action="api.webhook.delete", object_id=str(webhook.pk)).exists()


def test_the_delivery_log_newest_first_filtered_by_status_and_event(
    api_client, admin_headers, receiver, flask_page, committed
):
    webhook = WebhookFactory(url=receiver.url)
    WebhookFactory(url=receiver.url)  # another webhook: its deliveries are in its own log
    receiver.fail_next(1)
    with committed():
        publish(flask_page)
        flask_page.unpublish()
    url = f"/api/v1/webhooks/{webhook.pk}/deliveries/"

    everything = api_client.get(url, **admin_headers).json()
    published = api_client.get(f"{url}?event=page.published", **admin_headers).json()
    pending = api_client.get(f"{url}?status=pending", **admin_headers).json()
    succeeded = api_client.get(f"{url}?status=succeeded", **admin_headers).json()

    # The publish failed once; the unpublish waits behind it (same page).
    assert [delivery["event"] for delivery in everything["results"]] == ["page.unpublished", "page.published"]
    [failed_once] = published["results"]
    assert (failed_once["status"], failed_once["attempts"], failed_once["last_response_code"]) == ("pending", 1, 500)
    assert failed_once["last_error"] == "HTTP 500 Internal Server Error"
    assert failed_once["payload"]["page"]["id"] == flask_page.pk
    assert (pending["count"], succeeded["count"]) == (2, 0)


def test_an_unknown_filter_value_is_a_400(api_client, admin_headers):
    webhook = WebhookFactory()

    response = api_client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/?status=lost", **admin_headers)

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "status"


def test_redelivering_sends_the_same_delivery_again(api_client, admin_headers, receiver, flask_page, committed):
    webhook = WebhookFactory(url=receiver.url)
    with committed():
        publish(flask_page)
    delivery = WebhookDelivery.objects.get()

    with committed():
        response = api_client.post(
            f"/api/v1/webhooks/{webhook.pk}/deliveries/{delivery.uuid}/redeliver/", **admin_headers
        )

    assert response.status_code == 202
    assert response.json()["id"] == str(delivery.uuid)
    assert [request.headers["webhook-id"] for request in receiver.requests] == [str(delivery.uuid)] * 2
    entry = ModelLogEntry.objects.get(action="api.webhook.redeliver")
    assert entry.data["delivery_id"] == str(delivery.uuid)


def test_a_delivery_being_sent_cannot_be_redelivered(api_client, admin_headers, flask_page):
    webhook = WebhookFactory()
    publish(flask_page)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.update(status=Status.DELIVERING)

    response = api_client.post(f"/api/v1/webhooks/{webhook.pk}/deliveries/{delivery.uuid}/redeliver/", **admin_headers)

    assert response.status_code == 409


def test_redelivering_needs_a_delivery_of_that_webhook(api_client, admin_headers, flask_page):
    webhook, other = WebhookFactory(), WebhookFactory()
    publish(flask_page)
    others_delivery = WebhookDelivery.objects.get(webhook=other)
    base = f"/api/v1/webhooks/{webhook.pk}/deliveries"

    assert api_client.post(f"{base}/{others_delivery.uuid}/redeliver/", **admin_headers).status_code == 404
    assert api_client.post(f"{base}/{uuid.uuid4()}/redeliver/", **admin_headers).status_code == 404
    assert api_client.post(f"{base}/not-a-uuid/redeliver/", **admin_headers).status_code == 400


def test_unknown_and_malformed_webhook_ids(api_client, admin_headers):
    assert api_client.get("/api/v1/webhooks/999/", **admin_headers).status_code == 404
    assert api_client.get("/api/v1/webhooks/abc/", **admin_headers).status_code == 400


def test_without_a_token_it_is_401(api_client, seeded_site):
    assert api_client.get("/api/v1/webhooks/").status_code == 401
    assert api_client.post("/api/v1/webhooks/", NEW_WEBHOOK, format="json").status_code == 401


def test_an_editors_token_cannot_see_or_register_webhooks(api_client, bearer, seeded_site):
    headers = bearer(UserFactory(groups=["Editors", "Moderators"]))

    assert api_client.get("/api/v1/webhooks/", **headers).status_code == 403
    assert api_client.post("/api/v1/webhooks/", NEW_WEBHOOK, format="json", **headers).status_code == 403
    assert not Webhook.objects.exists()


def test_each_write_needs_its_own_permission(api_client, bearer, seeded_site, flask_page):
    webhook = WebhookFactory()
    publish(flask_page)
    delivery = WebhookDelivery.objects.get()
    viewer = bearer(user_with("view_webhook"))
    changer = bearer(user_with("change_webhook"))

    assert api_client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/", **viewer).status_code == 200
    assert api_client.post("/api/v1/webhooks/", NEW_WEBHOOK, format="json", **viewer).status_code == 403
    assert (
        api_client.patch(f"/api/v1/webhooks/{webhook.pk}/", {"name": "x"}, format="json", **viewer).status_code == 403
    )
    redeliver = f"/api/v1/webhooks/{webhook.pk}/deliveries/{delivery.uuid}/redeliver/"
    assert api_client.post(redeliver, **viewer).status_code == 403
    assert (
        api_client.patch(f"/api/v1/webhooks/{webhook.pk}/", {"name": "x"}, format="json", **changer).status_code == 200
    )
    assert api_client.delete(f"/api/v1/webhooks/{webhook.pk}/", **changer).status_code == 403
    assert Webhook.objects.filter(pk=webhook.pk).exists()
