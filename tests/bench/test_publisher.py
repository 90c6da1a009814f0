"""The soak test's publisher (`manage.py bench_publisher`): edits read from stdin, published as an editor would."""

import io
import json

import pytest
from django.core.management import call_command

from bench.management.commands.bench_publisher import Command as PublisherCommand
from pages.models import ServicePage


# Committed for real: the publisher reports when each publish was committed, as it is in autocommit.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_edit_read_is_published_and_answered_with_its_times(flask_page, monkeypatch):
    edits = [
        {"page": flask_page.pk, "key": "flask", "counter": 1, "title": "Flask [soak 1]", "summary": "First [soak 1]"},
        {"page": flask_page.pk, "key": "flask", "counter": 2, "title": "Flask [soak 2]", "summary": "Second [soak 2]"},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(json.dumps(edit) + "\n" for edit in edits)))
    out = io.StringIO()

    call_command(PublisherCommand(), stdout=out)

    ready, *answers = [json.loads(line) for line in out.getvalue().splitlines()]
    live = ServicePage.objects.get(pk=flask_page.pk)
    assert ready == {"ready": True}
    assert [answer["counter"] for answer in answers] == [1, 2]
    assert all(a["publish_started"] <= a["publish_committed"] <= a["publish_returned"] for a in answers)
    assert (live.title, live.summary, live.live, live.has_unpublished_changes) == (
        "Flask [soak 2]",
        "Second [soak 2]",
        True,
        False,
    )
