import pytest

from pages.changes import content_changed
from tests.factories import WebhookFactory


@pytest.fixture
def feed(seeded_site):
    """The `ContentChange`s the change feed sends once the seeded site exists, in order."""
    received = []

    def receive(sender, change, **kwargs):
        received.append(change)

    content_changed.connect(receive, weak=False, dispatch_uid="tests-feed")
    yield received
    content_changed.disconnect(dispatch_uid="tests-feed")


@pytest.fixture
def webhook(seeded_site):
    """An active webhook subscribed to every event. Its deliveries are only written: nothing commits in these tests."""
    return WebhookFactory()
