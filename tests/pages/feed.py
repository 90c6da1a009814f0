"""Helpers for the change feed's tests: what the response cache serves, what the webhooks were given."""

from webhooks.models import WebhookDelivery


def cached_twice(client, url: str) -> str:
    """Fetch `url` twice; the second answer must come from the cache. Returns its body."""
    first = client.get(url)
    assert first.status_code == 200 and first["X-Cache"] == "MISS", f"{url}: {first.status_code}"
    second = client.get(url)
    assert second["X-Cache"] == "HIT", f"{url} was not served from the cache"
    return second.content.decode()


def assert_not_served_from_cache(client, url: str):
    """The next answer for `url` is made afresh: the change reached the response cache."""
    response = client.get(url)
    assert response.get("X-Cache") != "HIT", f"{url} was still served from the cache"
    return response


def kinds(feed) -> list[str]:
    return [change.kind for change in feed]


def deliveries(event: str | None = None) -> list[WebhookDelivery]:
    """The deliveries written so far (oldest first), of `event` if given."""
    found = WebhookDelivery.objects.order_by("id")
    if event is not None:
        found = found.filter(event=event)
    return list(found)


def events() -> list[str]:
    return [delivery.event for delivery in deliveries()]
