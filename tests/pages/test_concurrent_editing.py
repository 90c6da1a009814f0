"""
No editor's save is lost: every save keeps a revision, and when two editors work on the same page
the second is told about the first's save, and both versions stay in the page's history.

Two logged-in editors drive Wagtail's real page editor: they open it (GET), save it (POST the
form with the `loaded_revision_*` fields the editor carries), autosave (the same POST asking for
JSON) and ping the editing session as the editor's JavaScript does every few seconds.
"""

import copy
import json
import re
import sqlite3
from dataclasses import dataclass

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Revision

from pages.editorial import EDITORS
from pages.models import ServicePage
from tests.served_site import SERVES_THE_SITE, SLOW_REVISIONS, ServedSite, simultaneously, sqlite_site

from .admin_forms import editor_form_data, editor_sections, service_page_form_data

pytestmark = pytest.mark.django_db

# Positions of the Flask page's sections that the editors change.
WHAT_IS_FLASK, WHY_FLASK = 1, 2


def logged_in(username: str, group: str | None = EDITORS, superuser: bool = False) -> Client:
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.com", "a-long-test-password")
    else:
        user = User.objects.create_user(username, f"{username}@example.com", "a-long-test-password")
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def _hidden_input(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"the editor has no {name} field"
    return match.group(1)


@dataclass
class OpenEditor:
    """One editor's open page editor: what it loaded, and the requests its form and scripts make."""

    client: Client
    page: ServicePage
    loaded_revision_id: str
    loaded_revision_created_at: str
    ping_url: str

    @classmethod
    def open(cls, client: Client, page: ServicePage, revert_to: Revision | None = None) -> "OpenEditor":
        """The editor with the page's latest version, or with an earlier revision to revert to."""
        if revert_to is None:
            url, loaded = f"/admin/pages/{page.pk}/edit/", ServicePage.objects.get(pk=page.pk).latest_revision
        else:
            url, loaded = f"/admin/pages/{page.pk}/revisions/{revert_to.pk}/revert/", revert_to
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        return cls(
            client=client,
            page=loaded.as_object(),
            loaded_revision_id=_hidden_input(html, "loaded_revision_id"),
            loaded_revision_created_at=_hidden_input(html, "loaded_revision_created_at"),
            ping_url=re.search(r'data-w-swap-src-value="([^"]*/editing-sessions/ping/[^"]*)"', html).group(1),
        )

    def form(self, section: int, heading: str, **extra) -> dict:
        """The editor's form as loaded, with the heading of one section changed."""
        sections = editor_sections(self.page)
        sections[section][1]["heading"] = heading
        return {
            **service_page_form_data(self.page, sections=sections),
            "loaded_revision_id": self.loaded_revision_id,
            "loaded_revision_created_at": self.loaded_revision_created_at,
            **extra,
        }

    def save(self, section: int, heading: str, **extra):
        """'Save draft' (or another action in `extra`), as the form posts it."""
        return self.client.post(f"/admin/pages/{self.page.pk}/edit/", self.form(section, heading, **extra))

    def autosave(self, section: int, heading: str):
        return self.client.post(
            f"/admin/pages/{self.page.pk}/edit/", self.form(section, heading), HTTP_ACCEPT="application/json"
        )

    def ping(self) -> dict:
        response = self.client.post(
            self.ping_url,
            {
                "is_editing": "1",
                "revision_id": self.loaded_revision_id,
                "revision_created_at": self.loaded_revision_created_at,
            },
        )
        assert response.status_code == 200
        return response.json()


def heading(revision: Revision, section: int) -> str:
    return json.loads(revision.content["sections"])[section]["value"]["heading"]


def test_every_save_from_the_editor_keeps_a_revision(flask_page):
    editor = OpenEditor.open(logged_in("root", superuser=True), flask_page)
    revisions_before = flask_page.revisions.count()

    editor.save(WHAT_IS_FLASK, "First draft")
    editor = OpenEditor.open(editor.client, flask_page)
    editor.save(WHAT_IS_FLASK, "Second draft")
    editor = OpenEditor.open(editor.client, flask_page)
    editor.save(WHAT_IS_FLASK, "Published version", **{"action-publish": "1"})

    new_revisions = list(flask_page.revisions.order_by("created_at", "pk"))[revisions_before:]
    assert [heading(revision, WHAT_IS_FLASK) for revision in new_revisions] == [
        "First draft",
        "Second draft",
        "Published version",
    ]
    earliest = editor.client.get(f"/admin/pages/{flask_page.pk}/revisions/{new_revisions[0].pk}/view/")
    assert "First draft" in earliest.content.decode()


def test_an_editor_is_told_when_someone_saves_the_page_they_have_open(seeded_site, flask_page):
    anna = OpenEditor.open(logged_in("anna"), flask_page)
    ben = OpenEditor.open(logged_in("ben"), flask_page)

    assert anna.save(WHAT_IS_FLASK, "Flask in one paragraph").status_code == 302
    annas_revision = ServicePage.objects.get(pk=flask_page.pk).latest_revision
    notice = ben.ping()

    assert notice["other_sessions"][0]["user"] == "anna"
    assert notice["other_sessions"][0]["revision_id"] == annas_revision.pk
    assert "anna saved a new version" in notice["html"]
    assert "Proceeding will overwrite the changes made by anna" in notice["html"]
    # Ben's editor autosaves in the background; it must not write over Anna's newer version.
    refused = ben.autosave(WHY_FLASK, "Why we like Flask")
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "invalid_revision"
    assert ServicePage.objects.get(pk=flask_page.pk).latest_revision == annas_revision


def test_two_editors_saving_the_same_page_both_keep_their_revision(seeded_site, flask_page):
    anna = OpenEditor.open(logged_in("anna"), flask_page)
    ben = OpenEditor.open(logged_in("ben"), flask_page)

    anna.save(WHAT_IS_FLASK, "Flask in one paragraph")
    annas_revision = ServicePage.objects.get(pk=flask_page.pk).latest_revision
    # Ben confirms Wagtail's "save anyway?" dialog: his form is posted as it stands.
    assert ben.save(WHY_FLASK, "Why we like Flask").status_code == 302
    bens_revision = ServicePage.objects.get(pk=flask_page.pk).latest_revision

    assert bens_revision != annas_revision
    assert (annas_revision.user.username, bens_revision.user.username) == ("anna", "ben")
    assert heading(annas_revision, WHAT_IS_FLASK) == "Flask in one paragraph"
    assert heading(bens_revision, WHY_FLASK) == "Why we like Flask"
    # A save is of the whole page: Ben's version has the section as he loaded it, not Anna's edit...
    assert heading(bens_revision, WHAT_IS_FLASK) == "What is Flask?"
    # ...and Anna's version stays in the history, where any editor can see it and bring it back.
    history = anna.client.get(f"/admin/pages/{flask_page.pk}/history/").content.decode()
    assert "anna" in history and "ben" in history
    annas_version = ben.client.get(f"/admin/pages/{flask_page.pk}/revisions/{annas_revision.pk}/view/")
    assert "Flask in one paragraph" in annas_version.content.decode()

    anna = OpenEditor.open(anna.client, flask_page, revert_to=annas_revision)
    assert anna.save(WHAT_IS_FLASK, "Flask in one paragraph", revision=annas_revision.pk).status_code == 302

    reverted = ServicePage.objects.get(pk=flask_page.pk).latest_revision
    assert reverted.content["sections"] == annas_revision.content["sections"]


@dataclass
class ServedEditor:
    """The page editor open in a browser on a served site: its form posts go to a real server process."""

    site: ServedSite
    session: requests.Session
    loaded_revision_id: str
    loaded_revision_created_at: str

    @property
    def url(self) -> str:
        return f"{self.site.url}/admin/pages/{self.site.flask_id}/edit/"

    @classmethod
    def open(cls, site: ServedSite) -> "ServedEditor":
        """The Flask page's editor, open in a browser session of its own (a tab, or another editor's browser)."""
        session = site.admin_session()
        response = session.get(f"{site.url}/admin/pages/{site.flask_id}/edit/", timeout=30)
        assert response.status_code == 200
        loaded = {
            name: _hidden_input(response.text, name) for name in ("loaded_revision_id", "loaded_revision_created_at")
        }
        return cls(site=site, session=session, **loaded)

    def save(self, section: int, heading: str, *, autosave: bool = False) -> requests.Response:
        """'Save draft' with the heading of one section changed, or the same form autosaved in the background."""
        sections = copy.deepcopy(self.site.flask_form["sections"])
        sections[section][1]["heading"] = heading
        data = {
            **editor_form_data(self.site.flask_form["fields"], sections),
            "loaded_revision_id": self.loaded_revision_id,
            "loaded_revision_created_at": self.loaded_revision_created_at,
            "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
        }
        headers = {"Referer": self.url, **({"Accept": "application/json"} if autosave else {})}
        return self.session.post(self.url, data=data, headers=headers, allow_redirects=False, timeout=60)


def served_revisions(site: ServedSite) -> list[dict]:
    """The Flask page's revisions, newest first, each with its content, through the management API."""
    url = f"{site.url}/api/v1/pages/{site.flask_id}/revisions/"
    listed = requests.get(url, headers=site.auth, timeout=30).json()["results"]
    return [requests.get(f"{url}{item['id']}/", headers=site.auth, timeout=30).json() for item in listed]


@pytest.fixture
def slow_site(serve):
    """The seeded site served by gunicorn on the run's database, each revision save pausing inside its transaction."""
    with serve(SLOW_REVISIONS) as site:
        yield site


@SERVES_THE_SITE
@pytest.mark.parametrize("autosave", [True, False], ids=["an autosave", "another save draft"])
def test_a_save_draft_overlapping_another_save_is_never_a_server_error(slow_site, autosave):
    """
    Two server processes save the same page at once: both saves are kept as revisions, or the autosave is
    told that it would overwrite a newer version. Never a 500, and never a save answered as done but lost.
    """
    anna, ben = ServedEditor.open(slow_site), ServedEditor.open(slow_site)
    loaded = [slow_site.flask_form["sections"][section][1]["heading"] for section in (WHAT_IS_FLASK, WHY_FLASK)]
    revisions_before = len(served_revisions(slow_site))

    annas, bens = simultaneously(
        [
            lambda: anna.save(WHAT_IS_FLASK, "Flask in one paragraph"),
            lambda: ben.save(WHY_FLASK, "Why we like Flask", autosave=autosave),
        ]
    )

    assert annas.status_code == 302, annas.text[:500]
    if autosave:
        assert bens.status_code in (200, 400), bens.text[:500]
        bens_saved = bens.status_code == 200
        assert bens.json()["success"] if bens_saved else bens.json()["error_code"] == "invalid_revision"
    else:
        assert bens.status_code == 302, bens.text[:500]
        bens_saved = True
    revisions = served_revisions(slow_site)
    new_revisions = revisions[: len(revisions) - revisions_before]
    saved_headings = [
        (sections[WHAT_IS_FLASK]["value"]["heading"], sections[WHY_FLASK]["value"]["heading"])
        for sections in (revision["content"]["sections"] for revision in new_revisions)
    ]
    assert ("Flask in one paragraph", loaded[1]) in saved_headings
    assert ((loaded[0], "Why we like Flask") in saved_headings) is bens_saved
    assert len(new_revisions) == 1 + bens_saved


@pytest.fixture
def impatient_debug_site(seeded_sqlite, tmp_path):
    """`make run`'s development settings (DEBUG on) on a SQLite file, where a writer gives up after half a second."""
    environment = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "SECRET_KEY": settings.SECRET_KEY,  # the seeded admin's API token was made with the test settings' key
        "SQLITE_BUSY_TIMEOUT": "0.5",
    }
    with sqlite_site(seeded_sqlite, tmp_path, **environment) as site:
        yield site


@pytest.mark.parametrize("autosave", [False, True], ids=["save draft", "autosave"])
def test_a_save_the_database_is_too_busy_for_asks_to_try_again(impatient_debug_site, autosave):
    """Another writer holds SQLite past the busy timeout: a 503 to retry, not a 500 with a traceback."""
    editor = ServedEditor.open(impatient_debug_site)
    other_writer = sqlite3.connect(impatient_debug_site.database, isolation_level=None)
    try:
        other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long import or another save would
        response = editor.save(WHAT_IS_FLASK, "Not now", autosave=autosave)
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()

    assert response.status_code == 503, response.text[:300]
    assert response.headers["Retry-After"].isdigit()
    assert "Traceback" not in response.text
    assert editor.save(WHAT_IS_FLASK, "Now", autosave=autosave).status_code == (200 if autosave else 302)
