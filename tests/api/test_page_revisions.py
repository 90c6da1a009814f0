"""Management API: a page's revisions listed, read, compared and reverted, with a token and the user's permissions."""

import json
import uuid

import pytest
from wagtail.models import PageLogEntry

from pages.models import HomePage, ServicePage
from tests.factories import ServicePageFactory, UserFactory

from .drafts import etag_of, save_draft, stored_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_page(flask_page):
    """Another service page beside the Flask one, with a draft of its own."""
    page = ServicePageFactory(parent=flask_page.get_parent(), slug="django", title="Django development services")
    save_draft(page, title="Django, a draft")
    return ServicePage.objects.get(pk=page.pk)


def revisions_url(page, suffix: str = "") -> str:
    return f"/api/v1/pages/{page.pk}/revisions/{suffix}"


def test_the_history_lists_revisions_newest_first(api_client, bearer, flask_page, editor):
    first = flask_page.get_latest_revision()
    second = save_draft(flask_page, user=editor, title="Flask, done right")

    response = api_client.get(revisions_url(flask_page), **bearer(editor))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(item["id"], item["title"], item["user"]) for item in body["results"]] == [
        (second.pk, "Flask, done right", "eddie"),
        (first.pk, "Flask development services", None),
    ]
    assert [(item["is_latest"], item["is_live"]) for item in body["results"]] == [(True, False), (False, True)]
    assert response["ETag"] == f'"revision-{second.pk}"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_history_is_paginated(api_client, bearer, flask_page, editor):
    for number in range(3):
        save_draft(flask_page, title=f"Draft {number}")

    first = api_client.get(revisions_url(flask_page, "?limit=2"), **bearer(editor)).json()
    rest = api_client.get(first["next"].replace("http://testserver", ""), **bearer(editor)).json()

    assert first["count"] == 4
    assert [item["title"] for item in first["results"] + rest["results"]] == [
        "Draft 2",
        "Draft 1",
        "Draft 0",
        "Flask development services",
    ]


def test_revisions_need_a_token(api_client, flask_page):
    response = api_client.get(revisions_url(flask_page))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_user_who_may_not_edit_the_page_is_told_it_does_not_exist(api_client, bearer, flask_page):
    outsider = UserFactory(username="outsider")

    for url in (revisions_url(flask_page), revisions_url(flask_page, f"{flask_page.latest_revision_id}/")):
        response = api_client.get(url, **bearer(outsider))
        assert response.status_code == 404


def test_one_revision_has_its_content_in_the_input_format(api_client, bearer, flask_page, editor):
    old = flask_page.get_latest_revision()
    save_draft(flask_page, title="Something else", summary="Changed since.")

    response = api_client.get(revisions_url(flask_page, f"{old.pk}/"), **bearer(editor))

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["type"], body["is_latest"], body["is_live"]) == (old.pk, "pages.ServicePage", False, True)
    content = body["content"]
    assert (content["title"], content["slug"]) == ("Flask development services", "flask")
    assert content["summary"] == ServicePage.objects.get(pk=flask_page.pk).summary
    assert content["technology_name"] == "Flask"
    assert content["sections"] == json.loads(old.content["sections"])
    assert response["ETag"] == etag_of(flask_page)


def test_a_revision_of_another_page_or_none_at_all_is_a_404(api_client, bearer, flask_page, editor, other_page):
    for revision_id in (other_page.get_latest_revision().pk, 999999):
        response = api_client.get(revisions_url(flask_page, f"{revision_id}/"), **bearer(editor))
        assert response.status_code == 404


def test_a_revision_id_that_is_not_a_number_is_a_400(api_client, bearer, flask_page, editor):
    response = api_client.get(revisions_url(flask_page, "latest/"), **bearer(editor))

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "revision_id", "detail": "A revision id is a positive whole number."}
    ]


@pytest.fixture
def reworked_flask(flask_page, editor):
    """
    Two revisions of the Flask page: the seeded one, and one where a new text section opens the page, the
    "What is Flask?" text is gone, the two feature lists swapped places, the first list's second item was
    renamed, and the title changed.
    """
    before = stored_sections(flask_page)
    intro, text, advantages, disadvantages, call_to_action = before
    after = json.loads(json.dumps(before))
    new_section = {"type": "text", "id": str(uuid.uuid4()), "value": {"heading": "Why us", "body": "<p>Because.</p>"}}
    renamed = next(section for section in after if section["id"] == advantages["id"])
    second_item = renamed["value"]["items"][1]
    # A list item is stored as its value, or wrapped as {"type": "item", "value": …, "id": …}.
    second_item = second_item["value"] if second_item.get("type") == "item" else second_item
    old_item_title = second_item["title"]
    second_item["title"] = "Lean and fast"
    reordered = [new_section, after[0], after[3], renamed, after[4]]
    first = flask_page.get_latest_revision()
    second = save_draft(flask_page, user=editor, title="Flask, done right", sections=reordered)
    return {
        "from": first,
        "to": second,
        "new": new_section,
        "removed": text,
        "renamed": advantages,
        "moved": disadvantages,
        "old_item_title": old_item_title,
        "unchanged": (intro, call_to_action),
    }


def test_compare_tells_what_changed_section_by_section(api_client, bearer, flask_page, editor, reworked_flask):
    revisions = reworked_flask
    query = f"?from={revisions['from'].pk}&to={revisions['to'].pk}"

    response = api_client.get(revisions_url(flask_page, f"compare/{query}"), **bearer(editor))

    assert response.status_code == 200
    body = response.json()
    assert (body["from"]["id"], body["to"]["id"]) == (revisions["from"].pk, revisions["to"].pk)
    assert body["fields"] == [{"name": "title", "before": "Flask development services", "after": "Flask, done right"}]
    assert body["sections"] == {
        "added": [{"id": revisions["new"]["id"], "type": "text", "position": 0}],
        "removed": [{"id": revisions["removed"]["id"], "type": "text", "position": 1}],
        "moved": [{"id": revisions["moved"]["id"], "type": "feature_list", "from": 3, "to": 2}],
        "changed": [
            {
                "id": revisions["renamed"]["id"],
                "type": "feature_list",
                "position": 3,
                "changes": [
                    {"pointer": "/items/1/title", "before": revisions["old_item_title"], "after": "Lean and fast"}
                ],
            }
        ],
    }


def test_compare_defaults_to_the_latest_revision(api_client, bearer, flask_page, editor, reworked_flask):
    explicit = api_client.get(
        revisions_url(flask_page, f"compare/?from={reworked_flask['from'].pk}&to={reworked_flask['to'].pk}"),
        **bearer(editor),
    ).json()

    implicit = api_client.get(
        revisions_url(flask_page, f"compare/?from={reworked_flask['from'].pk}"), **bearer(editor)
    ).json()

    assert implicit == explicit


def test_comparing_a_revision_with_itself_finds_nothing(api_client, bearer, flask_page, editor):
    latest = flask_page.latest_revision_id

    body = api_client.get(revisions_url(flask_page, f"compare/?from={latest}"), **bearer(editor)).json()

    assert body["fields"] == []
    assert body["sections"] == {"added": [], "removed": [], "moved": [], "changed": []}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("", "from"),
        ("?from=abc", "from"),
        ("?from=0", "from"),
        ("?from=999999", "from"),
        ("?from={latest}&to=999999", "to"),
        ("?from={latest}&since=1", "since"),
    ],
)
def test_compare_refuses_bad_parameters(api_client, bearer, flask_page, editor, query, parameter):
    url = revisions_url(flask_page, "compare/" + query.format(latest=flask_page.latest_revision_id))

    response = api_client.get(url, **bearer(editor))

    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == [parameter]


def test_compare_refuses_a_revision_of_another_page(api_client, bearer, flask_page, editor, other_page):
    foreign = other_page.get_latest_revision()

    response = api_client.get(revisions_url(flask_page, f"compare/?from={foreign.pk}"), **bearer(editor))

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "from"


def test_revert_makes_an_old_revision_the_draft_byte_for_byte(api_client, bearer, flask_page, editor, reworked_flask):
    old = reworked_flask["from"]
    token_headers = bearer(editor)

    response = api_client.post(
        revisions_url(flask_page, f"{old.pk}/revert/"), HTTP_IF_MATCH=etag_of(flask_page), **token_headers
    )

    assert response.status_code == 200
    page = ServicePage.objects.get(pk=flask_page.pk)
    reverted = page.get_latest_revision()
    assert reverted.pk not in (old.pk, reworked_flask["to"].pk)
    assert reverted.content["sections"] == old.content["sections"]
    assert reverted.user == editor
    assert response["ETag"] == f'"revision-{reverted.pk}"'
    assert response.json()["page"]["title"] == "Flask development services"
    assert response.json()["revision_id"] == reverted.pk
    assert "no-store" in response["Cache-Control"]
    entry = PageLogEntry.objects.get(page=page, action="api.revert")
    assert entry.data["revision"]["id"] == old.pk
    assert entry.data["api"]["token"] == "Test token"
    assert entry.user == editor


def test_revert_leaves_the_live_page_alone(api_client, bearer, flask_page, editor, reworked_flask):
    api_client.post(
        revisions_url(flask_page, f"{reworked_flask['from'].pk}/revert/"),
        HTTP_IF_MATCH=etag_of(flask_page),
        **bearer(editor),
    )

    live = api_client.get(f"/api/v1/pages/{flask_page.pk}/").json()
    assert live["title"] == "Flask development services"
    assert ServicePage.objects.get(pk=flask_page.pk).has_unpublished_changes


def test_revert_needs_the_current_etag(api_client, bearer, flask_page, editor, reworked_flask):
    url = revisions_url(flask_page, f"{reworked_flask['from'].pk}/revert/")
    stale = f'"revision-{reworked_flask["from"].pk}"'

    missing = api_client.post(url, **bearer(editor))
    outdated = api_client.post(url, HTTP_IF_MATCH=stale, **bearer(editor))

    assert missing.status_code == 428
    assert outdated.status_code == 412
    assert outdated.json()["current_revision_id"] == reworked_flask["to"].pk
    assert ServicePage.objects.get(pk=flask_page.pk).latest_revision_id == reworked_flask["to"].pk
    assert not PageLogEntry.objects.filter(action="api.revert").exists()


def test_revert_refuses_a_body(api_client, bearer, flask_page, editor):
    response = api_client.post(
        revisions_url(flask_page, f"{flask_page.latest_revision_id}/revert/"),
        {"publish": True},
        format="json",
        HTTP_IF_MATCH=etag_of(flask_page),
        **bearer(editor),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"pointer": "/publish", "detail": "Unknown field."}]


def test_revert_to_content_that_is_no_longer_valid_is_a_409_naming_the_field(api_client, bearer, flask_page, editor):
    old = flask_page.get_latest_revision()
    save_draft(flask_page, slug="flask-development").publish()
    ServicePageFactory(parent=flask_page.get_parent(), slug="flask", title="Another Flask page")

    response = api_client.post(
        revisions_url(flask_page, f"{old.pk}/revert/"), HTTP_IF_MATCH=etag_of(flask_page), **bearer(editor)
    )

    assert response.status_code == 409
    assert [error["pointer"] for error in response.json()["errors"]] == ["/slug"]
    assert ServicePage.objects.get(pk=flask_page.pk).get_latest_revision().content["slug"] == "flask-development"


def test_pages_of_other_types_have_revisions_too(api_client, bearer, seeded_site):
    admin = UserFactory(username="root", is_superuser=True)
    home = HomePage.objects.get()
    first = save_draft(home, intro="We build web applications.")
    save_draft(home, intro="We build lean web applications.")

    detail = api_client.get(revisions_url(home, f"{first.pk}/"), **bearer(admin)).json()
    comparison = api_client.get(revisions_url(home, f"compare/?from={first.pk}"), **bearer(admin)).json()

    assert (detail["type"], detail["content"]["intro"]) == ("pages.HomePage", "We build web applications.")
    assert comparison["fields"] == [
        {"name": "intro", "before": "We build web applications.", "after": "We build lean web applications."}
    ]
    assert comparison["sections"] is None
