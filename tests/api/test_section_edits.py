"""
One section at a time: add, change (JSON merge patch), move and delete a section by its id, with
section-level ETags, so that editors working on different sections of a page never overwrite each other.
"""

import pytest
import requests
from wagtail.models import PageLogEntry

from pages.models import ServicePage
from tests.factories import UserFactory
from tests.served_site import SERVES_THE_SITE, SLOW_REVISIONS, simultaneously

from .drafts import etag_of, save_draft, stored_sections

pytestmark = pytest.mark.django_db

# Positions of two text sections of the Flask page ("What is Flask?", "Why Flask?").
FIRST, SECOND = 1, 2


@pytest.fixture
def other_editor(seeded_site):
    return UserFactory(username="erin", groups=["Editors"])


def section_url(page, section_id: str) -> str:
    return f"/api/v1/pages/{page.pk}/sections/{section_id}/"


def draft_sections(page) -> list[dict]:
    return stored_sections(ServicePage.objects.get(pk=page.pk))


def read_section(api_client, page, section_id: str, headers):
    response = api_client.get(section_url(page, section_id), {"version": "draft"}, **headers)
    assert response.status_code == 200
    return response


def patch_section(api_client, page, section_id: str, body, headers, etag: str):
    return api_client.patch(section_url(page, section_id), body, format="json", HTTP_IF_MATCH=etag, **headers)


def test_a_merge_patch_changes_one_field_and_keeps_the_rest(api_client, bearer, flask_page, editor):
    headers = bearer(editor)
    before = draft_sections(flask_page)[FIRST]
    etag = read_section(api_client, flask_page, before["id"], headers)["ETag"]

    response = patch_section(
        api_client, flask_page, before["id"], {"value": {"heading": "Flask in brief"}}, headers, etag
    )

    assert response.status_code == 200
    assert response.json()["section"]["value"]["heading"] == "Flask in brief"
    after = draft_sections(flask_page)[FIRST]
    assert after == {**before, "value": {**before["value"], "heading": "Flask in brief"}}
    assert response["ETag"] == read_section(api_client, flask_page, before["id"], headers)["ETag"] != etag
    assert response.json()["revision_id"] == ServicePage.objects.get(pk=flask_page.pk).latest_revision_id


def test_two_editors_change_different_sections_and_neither_change_is_lost(
    api_client, bearer, flask_page, editor, other_editor
):
    sections = draft_sections(flask_page)
    first, second = sections[FIRST]["id"], sections[SECOND]["id"]
    eddie, erin = bearer(editor), bearer(other_editor)
    eddies_etag = read_section(api_client, flask_page, first, eddie)["ETag"]
    erins_etag = read_section(api_client, flask_page, second, erin)["ETag"]

    eddies = patch_section(api_client, flask_page, first, {"value": {"heading": "Eddie's"}}, eddie, eddies_etag)
    erins = patch_section(api_client, flask_page, second, {"value": {"heading": "Erin's"}}, erin, erins_etag)

    assert eddies.status_code == erins.status_code == 200
    after = draft_sections(flask_page)
    assert after[FIRST]["value"]["heading"] == "Eddie's"
    assert after[SECOND]["value"]["heading"] == "Erin's"


def test_two_editors_changing_the_same_section_cannot_both_win(api_client, bearer, flask_page, editor, other_editor):
    section_id = draft_sections(flask_page)[FIRST]["id"]
    eddie, erin = bearer(editor), bearer(other_editor)
    etag = read_section(api_client, flask_page, section_id, eddie)["ETag"]

    first = patch_section(api_client, flask_page, section_id, {"value": {"heading": "Eddie's"}}, eddie, etag)
    second = patch_section(api_client, flask_page, section_id, {"value": {"heading": "Erin's"}}, erin, etag)

    assert first.status_code == 200
    assert second.status_code == 412
    assert second.json()["current_revision_id"] == first.json()["revision_id"]
    assert draft_sections(flask_page)[FIRST]["value"]["heading"] == "Eddie's"


def test_the_pages_current_etag_is_accepted_for_a_section(api_client, bearer, flask_page, editor):
    section_id = draft_sections(flask_page)[FIRST]["id"]

    fresh = patch_section(
        api_client, flask_page, section_id, {"value": {"heading": "A"}}, bearer(editor), etag_of(flask_page)
    )
    stale = patch_section(
        api_client,
        flask_page,
        section_id,
        {"value": {"heading": "B"}},
        bearer(editor),
        f'"revision-{flask_page.latest_revision_id}"',
    )

    assert fresh.status_code == 200 and stale.status_code == 412


def test_a_section_write_needs_if_match(api_client, bearer, flask_page, editor):
    section_id = draft_sections(flask_page)[FIRST]["id"]

    response = api_client.patch(section_url(flask_page, section_id), {"value": {}}, format="json", **bearer(editor))

    assert response.status_code == 428


def test_null_in_a_merge_patch_resets_a_field_to_its_default(api_client, bearer, flask_page, editor):
    index, feature_list = next(
        (index, section)
        for index, section in enumerate(draft_sections(flask_page))
        if section["type"] == "feature_list"
    )
    assert feature_list["value"]["intro"]

    response = patch_section(
        api_client, flask_page, feature_list["id"], {"value": {"intro": None}}, bearer(editor), etag_of(flask_page)
    )

    assert response.status_code == 200
    after = draft_sections(flask_page)[index]["value"]
    assert after["intro"] == ""
    assert after["items"] == feature_list["value"]["items"]


def test_an_invalid_change_points_into_the_request_body(api_client, bearer, flask_page, editor):
    section_id = draft_sections(flask_page)[FIRST]["id"]
    body = {"value": {"heading": "x" * 121, "colour": "red"}, "position": -1}

    response = patch_section(api_client, flask_page, section_id, body, bearer(editor), etag_of(flask_page))

    assert response.status_code == 400
    assert sorted(error["pointer"] for error in response.json()["errors"]) == ["/position"]
    response = patch_section(
        api_client, flask_page, section_id, {"value": body["value"]}, bearer(editor), etag_of(flask_page)
    )
    assert sorted(error["pointer"] for error in response.json()["errors"]) == ["/value/colour", "/value/heading"]


def test_removed_markup_is_reported_at_its_pointer(api_client, bearer, flask_page, editor):
    section_id = draft_sections(flask_page)[FIRST]["id"]
    body = {"value": {"body": "<p>Small <script>alert(1)</script>and fast.</p>"}}

    response = patch_section(api_client, flask_page, section_id, body, bearer(editor), etag_of(flask_page))

    assert response.status_code == 200
    assert [warning["pointer"] for warning in response.json()["warnings"]] == ["/value/body"]
    assert "<script" not in draft_sections(flask_page)[FIRST]["value"]["body"]


def test_a_section_moves_to_a_position(api_client, bearer, flask_page, editor):
    before = [section["id"] for section in draft_sections(flask_page)]

    response = patch_section(
        api_client, flask_page, before[SECOND], {"position": 0}, bearer(editor), etag_of(flask_page)
    )

    assert response.status_code == 200
    assert [section["id"] for section in draft_sections(flask_page)] == [
        before[SECOND],
        *before[:SECOND],
        *before[SECOND + 1 :],
    ]
    assert PageLogEntry.objects.filter(page=flask_page, action="api.section.move").exists()
    too_far = patch_section(
        api_client, flask_page, before[0], {"position": len(before)}, bearer(editor), etag_of(flask_page)
    )
    assert too_far.status_code == 400
    assert [error["pointer"] for error in too_far.json()["errors"]] == ["/position"]


def test_a_section_is_added_at_a_position(api_client, bearer, flask_page, editor):
    before = [section["id"] for section in draft_sections(flask_page)]
    body = {
        "type": "faq",
        "value": {"heading": "Questions", "items": [{"question": "Why?", "answer": "<p>Because.</p>"}]},
        "position": 1,
    }

    response = api_client.post(
        f"/api/v1/pages/{flask_page.pk}/sections/", body, format="json", HTTP_IF_MATCH="*", **bearer(editor)
    )

    assert response.status_code == 201
    new_id = response.json()["section"]["id"]
    assert [section["id"] for section in draft_sections(flask_page)] == [before[0], new_id, *before[1:]]
    assert response["Location"] == f"http://testserver{section_url(flask_page, new_id)}"
    assert response["ETag"] == read_section(api_client, flask_page, new_id, bearer(editor))["ETag"]


def test_a_section_the_page_may_not_have_twice_is_refused(api_client, bearer, flask_page, editor):
    intro = next(section for section in draft_sections(flask_page) if section["type"] == "intro")
    body = {"type": "intro", "value": intro["value"]}

    response = api_client.post(
        f"/api/v1/pages/{flask_page.pk}/sections/", body, format="json", HTTP_IF_MATCH="*", **bearer(editor)
    )

    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == [""]
    assert len(draft_sections(flask_page)) == len(stored_sections(flask_page))


def test_a_section_is_deleted(api_client, bearer, flask_page, editor):
    sections = draft_sections(flask_page)
    section_id = sections[FIRST]["id"]
    etag = read_section(api_client, flask_page, section_id, bearer(editor))["ETag"]

    response = api_client.delete(section_url(flask_page, section_id), HTTP_IF_MATCH=etag, **bearer(editor))

    assert response.status_code == 204
    assert [section["id"] for section in draft_sections(flask_page)] == [
        section["id"] for section in sections if section["id"] != section_id
    ]
    again = api_client.delete(section_url(flask_page, section_id), HTTP_IF_MATCH=etag, **bearer(editor))
    assert again.status_code == 404


def test_a_section_changed_since_it_was_read_is_not_deleted(api_client, bearer, flask_page, editor):
    sections = draft_sections(flask_page)
    section_id = sections[FIRST]["id"]
    etag = read_section(api_client, flask_page, section_id, bearer(editor))["ETag"]
    sections[FIRST]["value"]["heading"] = "Changed meanwhile"
    save_draft(flask_page, sections=sections)

    response = api_client.delete(section_url(flask_page, section_id), HTTP_IF_MATCH=etag, **bearer(editor))

    assert response.status_code == 412
    assert any(section["id"] == section_id for section in draft_sections(flask_page))


def test_section_writes_are_in_the_page_history_with_the_token(api_client, bearer, flask_page, editor):
    section = draft_sections(flask_page)[FIRST]

    response = patch_section(api_client, flask_page, section["id"], {"value": {"heading": "New"}}, bearer(editor), "*")

    entry = PageLogEntry.objects.get(page=flask_page, action="api.section.update")
    assert entry.user == editor
    assert entry.data["section"] == f"text {section['id']}"
    assert entry.data["api"]["token"] == "Test token"
    assert entry.revision_id == response.json()["revision_id"]
    assert "through the API (token “Test token”)" in entry.message


def test_a_user_who_may_not_edit_cannot_touch_a_section(api_client, bearer, flask_page):
    section_id = draft_sections(flask_page)[FIRST]["id"]
    outsider = bearer(UserFactory())

    changed = patch_section(api_client, flask_page, section_id, {"value": {"heading": "x"}}, outsider, "*")
    deleted = api_client.delete(section_url(flask_page, section_id), HTTP_IF_MATCH="*", **outsider)
    anonymous = api_client.delete(section_url(flask_page, section_id), HTTP_IF_MATCH="*")

    assert changed.status_code == deleted.status_code == 403
    assert anonymous.status_code == 401


@pytest.fixture
def slow_site(serve):
    """The seeded site served by gunicorn on the run's database, each revision save pausing inside its transaction."""
    with serve(SLOW_REVISIONS) as site:
        yield site


def served_draft_sections(site) -> list[dict]:
    url = f"{site.url}/api/v1/pages/{site.flask_id}/"
    response = requests.get(url, {"version": "draft"}, headers=site.auth, timeout=30)
    assert response.status_code == 200
    return response.json()["sections"]


@SERVES_THE_SITE
@pytest.mark.parametrize("same_section", [False, True], ids=["different sections", "the same section"])
def test_simultaneous_section_writes_lose_nothing(slow_site, same_section):
    """Two clients' PATCHes overlap for real: separate server processes, each with its own database connection."""
    sections = served_draft_sections(slow_site)
    ids = [sections[FIRST]["id"], sections[FIRST if same_section else SECOND]["id"]]
    urls = [f"{slow_site.url}/api/v1/pages/{slow_site.flask_id}/sections/{section_id}/" for section_id in ids]
    etags = [
        requests.get(url, {"version": "draft"}, headers=slow_site.auth, timeout=30).headers["ETag"] for url in urls
    ]

    def writer(url, etag, heading):
        headers = {**slow_site.auth, "If-Match": etag}
        return lambda: requests.patch(url, json={"value": {"heading": heading}}, headers=headers, timeout=60)

    responses = simultaneously(
        [writer(url, etag, heading) for url, etag, heading in zip(urls, etags, ["Eddie's", "Erin's"], strict=True)]
    )

    statuses = [response.status_code for response in responses]
    after = served_draft_sections(slow_site)
    if same_section:
        assert sorted(statuses) == [200, 412], [response.text[:300] for response in responses]
        assert after[FIRST]["value"]["heading"] == ("Eddie's" if statuses[0] == 200 else "Erin's")
    else:
        assert statuses == [200, 200], [response.text[:300] for response in responses]
        assert (after[FIRST]["value"]["heading"], after[SECOND]["value"]["heading"]) == ("Eddie's", "Erin's")
