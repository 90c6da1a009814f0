"""Headless preview: tokens, `GET /api/v1/preview/` and the admin's "Preview in front end" link."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from wagtail.admin.ui.menus.pages import get_page_header_buttons

from api.preview import (
    SALT,
    ExpiredPreviewToken,
    InvalidPreviewToken,
    make_preview_token,
    read_preview_token,
)
from pages.editorial import EDITORS
from pages.models import ServicePage

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Flask services (draft)"
DRAFT_HEADING = "What exactly is Flask?"


@pytest.fixture
def draft(flask_page):
    """A saved, unpublished draft of the Flask page with a new title and section heading."""
    flask_page.title = DRAFT_TITLE
    flask_page.sections[1].value["heading"] = DRAFT_HEADING
    return flask_page.save_revision()


@pytest.fixture
def token(flask_page, draft):
    return make_preview_token(flask_page, draft)


def preview(api_client, token, **params):
    return api_client.get("/api/v1/preview/", {"token": token, **params})


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


def replace_signed_part(token: str, payload: str) -> str:
    """`token` with its signed JSON swapped for `payload`'s, keeping the original timestamp and signature."""
    _payload, timestamp, signature = token.rsplit(":", 2)
    return f"{payload.rsplit(':', 2)[0]}:{timestamp}:{signature}"


# Tokens


def test_a_token_reads_back_as_its_page_and_revision(flask_page, draft, token):
    assert read_preview_token(token) == (flask_page.pk, draft.pk)
    assert len(token) < 100


def test_a_token_expires_after_the_configured_lifetime(token, settings):
    settings.PREVIEW_TOKEN_MAX_AGE = 60
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=61)
    with time_machine.travel(later), pytest.raises(ExpiredPreviewToken):
        read_preview_token(token)


@pytest.mark.parametrize(
    "bad_token",
    [
        "",
        "garbage",
        "a:b:c",
        signing.dumps([1, 2]),  # genuine, but signed for another purpose (Django's default salt)
        signing.dumps({"page": 1}, salt=SALT),  # genuine, but not a page and revision
        signing.dumps([1, True], salt=SALT),
    ],
    # Named, not shown: a signed token holds the time it was made, and pytest-xdist's workers must
    # collect the same test ids.
    ids=["empty", "garbage", "three parts", "another salt", "not a page and revision", "a boolean revision"],
)
def test_tokens_not_made_for_preview_are_invalid(bad_token):
    with pytest.raises(InvalidPreviewToken):
        read_preview_token(bad_token)


def test_a_token_is_only_made_for_a_revision_of_its_page(flask_page, draft, seeded_site):
    with pytest.raises(ValueError, match="not a revision of page"):
        make_preview_token(seeded_site.root_page, draft)


# The API


def test_a_valid_token_shows_the_draft_while_the_live_page_is_unchanged(api_client, flask_page, token):
    response = preview(api_client, token)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == flask_page.pk
    assert body["title"] == DRAFT_TITLE
    assert body["sections"][1]["value"]["heading"] == DRAFT_HEADING

    live = api_client.get(f"/api/v1/pages/{flask_page.pk}/").json()
    assert live["title"] == "Flask development services"
    assert DRAFT_HEADING not in str(live)


def test_the_preview_has_exactly_the_shape_of_the_live_detail(api_client, flask_page, token):
    draft = preview(api_client, token).json()
    live = api_client.get(f"/api/v1/pages/{flask_page.pk}/").json()

    assert list(draft) == list(live)
    assert [(section["type"], section["id"], list(section["value"])) for section in draft["sections"]] == [
        (section["type"], section["id"], list(section["value"])) for section in live["sections"]
    ]
    differing = {key for key in live if draft[key] != live[key]}
    assert differing == {"title", "sections"}


def test_the_preview_takes_the_rich_text_format_like_the_detail(api_client, token):
    body = preview(api_client, token, rich_text_format="markdown").json()
    assert not body["sections"][1]["value"]["body"].startswith("<p>")

    assert_problem(preview(api_client, token, rich_text_format="pdf"), 400)


def test_a_token_opens_only_its_own_page(api_client, flask_page, seeded_site, token):
    for extra in ({"path": "/"}, {"id": seeded_site.root_page.pk}, {"page": seeded_site.root_page.pk}):
        response = preview(api_client, token, **extra)
        assert_problem(response, 400)
        assert [error["parameter"] for error in response.json()["errors"]] == list(extra)

    assert preview(api_client, token).json()["id"] == flask_page.pk


def test_a_superseded_revision_still_shows_what_the_token_was_made_for(api_client, flask_page, token):
    flask_page.title = "An even newer draft"
    flask_page.save_revision()

    assert preview(api_client, token).json()["title"] == DRAFT_TITLE


def test_a_published_draft_previews_like_the_live_page(api_client, flask_page, draft, token):
    draft.publish()

    assert preview(api_client, token).json() == api_client.get(f"/api/v1/pages/{flask_page.pk}/").json()


def test_an_expired_token_is_a_401(api_client, token, settings):
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=settings.PREVIEW_TOKEN_MAX_AGE + 1)
    with time_machine.travel(later):
        response = preview(api_client, token)

    assert_problem(response, 401)
    assert "expired" in response.json()["detail"]
    assert response["WWW-Authenticate"]


def test_a_token_within_its_lifetime_is_accepted(api_client, token, settings):
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=settings.PREVIEW_TOKEN_MAX_AGE - 60)
    with time_machine.travel(later):
        assert preview(api_client, token).status_code == 200


def flip_last_character(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def flip_first_character(token: str) -> str:
    return ("A" if token[0] != "A" else "B") + token[1:]


@pytest.mark.parametrize("tamper", [flip_last_character, flip_first_character, lambda token: token[:-3]])
def test_a_tampered_token_is_a_403(api_client, token, tamper):
    assert_problem(preview(api_client, tamper(token)), 403)


def test_a_token_with_another_pages_payload_is_a_403(api_client, flask_page, seeded_site, token):
    home = seeded_site.root_page
    other = make_preview_token(home, home.get_latest_revision())
    assert_problem(preview(api_client, replace_signed_part(token, other)), 403)

    forged = signing.dumps([home.pk, home.get_latest_revision().pk], salt="another salt", compress=True)
    assert_problem(preview(api_client, replace_signed_part(token, forged)), 403)


@pytest.mark.parametrize(
    "garbage",
    ["garbage", "a:b:c", "::", "é" * 20, signing.dumps([1, 1])],
    ids=["word", "three parts", "colons", "accents", "another salt"],
)
def test_garbage_is_a_403(api_client, seeded_site, garbage):
    assert_problem(preview(api_client, garbage), 403)


@pytest.mark.parametrize("query", ["", "?token=", "?rich_text_format=html"])
def test_a_missing_token_is_a_400_naming_it(api_client, seeded_site, query):
    response = api_client.get(f"/api/v1/preview/{query}")

    assert_problem(response, 400)
    assert "token" in [error["parameter"] for error in response.json()["errors"]]


def test_a_deleted_page_is_a_404(api_client, flask_page, token):
    flask_page.delete()

    assert_problem(preview(api_client, token), 404)


def test_a_purged_revision_is_a_404(api_client, flask_page, draft, token):
    flask_page.title = "Newer"
    flask_page.save_revision()
    draft.delete()

    assert_problem(preview(api_client, token), 404)


def test_previews_are_never_cached_or_indexed(api_client, token):
    response = preview(api_client, token)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_the_endpoint_is_documented(openapi_document):
    operation = openapi_document.spec["paths"]["/api/v1/preview/"]["get"]

    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert {parameter["name"] for parameter in operation["parameters"]} == {"token", "rich_text_format"}
    detail = openapi_document.spec["paths"]["/api/v1/pages/{id}/"]["get"]["responses"]["200"]
    schema_of = lambda response: response["content"]["application/json"]["schema"]  # noqa: E731
    assert schema_of(operation["responses"]["200"]) == schema_of(detail)


# The admin


@pytest.fixture
def superuser_client(client, seeded_site):
    user = get_user_model().objects.create_superuser("preview-admin", "admin@example.com", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.fixture
def editor(seeded_site):
    """A member of the Editors group: may edit service pages, but not the home page."""
    user = get_user_model().objects.create_user("preview-editor", "editor@example.com", "a-long-test-password")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def admin_preview_url(page) -> str:
    return f"/admin/preview-in-front-end/{page.pk}/"


def test_the_edit_view_has_the_preview_in_front_end_link(superuser_client, flask_page):
    html = superuser_client.get(f"/admin/pages/{flask_page.pk}/edit/").content.decode()

    assert "Preview in front end" in html
    assert f'href="{admin_preview_url(flask_page)}"' in html
    assert 'target="_blank"' in html


def test_the_admin_link_redirects_to_the_front_end_with_a_token_the_api_accepts(
    superuser_client, api_client, flask_page, draft, settings
):
    settings.FRONTEND_PREVIEW_URL = "https://front.example.com/api/preview?secret=abc"

    response = superuser_client.get(admin_preview_url(flask_page))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://front.example.com/api/preview"
    query = parse_qs(location.query)
    assert query["secret"] == ["abc"]
    assert query["path"] == ["/services/flask/"]
    assert read_preview_token(query["token"][0]) == (flask_page.pk, draft.pk)

    body = preview(api_client, query["token"][0]).json()
    assert body["title"] == DRAFT_TITLE


def test_the_admin_link_names_the_revision_latest_at_click_time(superuser_client, flask_page, draft):
    flask_page.slug = "flask-new"
    newer = flask_page.save_revision()

    query = parse_qs(urlsplit(superuser_client.get(admin_preview_url(flask_page))["Location"]).query)

    assert read_preview_token(query["token"][0]) == (flask_page.pk, newer.pk)
    assert query["path"] == ["/services/flask-new/"]


def test_editors_get_the_link_for_pages_they_can_edit_only(client, editor, flask_page, seeded_site):
    home = seeded_site.root_page
    labels = {
        page.slug: [button.label for button in get_page_header_buttons(page, editor, None, "edit")]
        for page in (flask_page, home)
    }
    assert "Preview in front end" in labels["flask"]
    assert "Preview in front end" not in labels[home.slug]

    client.force_login(editor)
    assert client.get(admin_preview_url(flask_page)).status_code == 302

    refused = client.get(admin_preview_url(home))
    assert refused.status_code == 302
    assert refused["Location"] == "/admin/"


def test_users_without_admin_access_are_sent_to_log_in(client, flask_page):
    anonymous = client.get(admin_preview_url(flask_page))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")

    user = get_user_model().objects.create_user("no-admin", "user@example.com", "a-long-test-password")
    client.force_login(user)
    assert client.get(admin_preview_url(flask_page))["Location"].startswith("/admin/login/")


def test_a_page_without_a_saved_revision_cannot_be_previewed(superuser_client, flask_page, services_index_of):
    bare = ServicePage(title="Made in code", slug="made-in-code", summary="No revision yet.", sections=[])
    services_index_of(flask_page).add_child(instance=bare)
    assert bare.get_latest_revision() is None
    assert "Preview in front end" not in superuser_client.get(f"/admin/pages/{bare.pk}/edit/").content.decode()

    response = superuser_client.get(admin_preview_url(bare))

    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{bare.pk}/edit/"
