"""`export_content` and `import_content`: a restore gives back the same site byte for byte, or changes nothing."""

import json
import re
from io import StringIO

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, PageViewRestriction, Revision
from wagtail.rich_text import RichText

from leads.models import ContactPage, Lead
from pages.editorial import EDITORS, MODERATORS, WORKFLOW_NAME
from pages.models import CallToAction, ServiceIndexPage, ServicePage, SiteSettings, SocialLink
from pages.seed import load_initial_data
from pages.transfer import FORMAT, VERSION
from tests.factories import ServicePageFactory

API_PATHS = [
    "/api/v1/pages/",
    "/api/v1/pages/?type=pages.ServicePage&fields=title,summary,sections",
    "/api/v1/pages/?search=negotiate",
    "/api/v1/pages/find/?path=/services/flask/",
    "/api/v1/pages/find/?path=/services/django/&renditions=width-400",
    "/api/v1/navigation/",
    "/api/v1/settings/",
    "/api/v1/images/",
    "/api/v1/snippets/calls-to-action/",
]
SITE_PATHS = ["/", "/services/", "/services/flask/", "/services/django/", "/services/partners/", "/contact/"]
# Answered with a redirect: the redirect's own old path, and the page for Moderators only (to the login).
REDIRECTING_PATHS = ["/old-flask/", "/services/internal/"]

# Per-request random values in rendered HTML; everything else must match byte for byte.
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


class RolledBack(Exception):
    """Raised to undo what a block did, leaving the freshly migrated test database."""


def build_site():
    """The seeded site plus what a restore must keep: an image, a draft, a restricted page, a snippet in use, a lead."""
    load_initial_data()
    editor = get_user_model().objects.create_user("eddie", "eddie@example.com", "a-long-test-password")
    flask = ServicePage.objects.get(slug="flask")
    index = ServiceIndexPage.objects.get()
    team = Collection.get_first_root_node().add_child(name="Team photos")
    image = wagtail_factories.ImageFactory(
        title="Our team at work",
        description="Four developers around a whiteboard",
        collection=team,
        file__width=1600,
        file__height=900,
        focal_point_x=800,
        focal_point_y=300,
        focal_point_width=200,
        focal_point_height=100,
        uploaded_by_user=editor,
    )
    image.tags.add("team", "office")
    call_to_action = CallToAction.objects.get(name="Hire our developers")

    django = ServicePageFactory(
        parent=index,
        slug="django",
        title="Django development services",
        owner=editor,
        listing_image=image,
        sections__0__hero__image__image=image,
        sections__0__hero__image__alt_text="Our developers",
        sections__1__text__heading="Why Django",
        sections__1__text__body=RichText(f'<p>As fast as <a linktype="page" id="{flask.pk}">our Flask work</a>.</p>'),
    )
    django.sections.append(("shared_call_to_action", call_to_action))
    django.save_revision(user=editor).publish()
    django.sections[1].value["heading"] = "Why Django, in one draft"
    django.title = "Django services (draft title)"
    django.save_revision(user=editor)

    partners = ServicePageFactory(parent=index, slug="partners", title="Partner programme")
    partners.save_revision().publish()
    PageViewRestriction.objects.create(page=partners, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    private = ServicePageFactory(parent=index, slug="internal", title="Internal notes")
    private.save_revision().publish()
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get(name=MODERATORS), Group.objects.create(name="Partners"))

    settings = SiteSettings.objects.get()
    settings.footer_text = "Made in Berlin"
    settings.save()
    SocialLink.objects.create(settings=settings, sort_order=5, service="mastodon", url="https://mastodon.social/@nbi")
    Lead.objects.create(
        name="Ada", email="ada@example.com", budget="10k-25k", message="Help with Flask", consent=True, service=flask
    )
    Redirect.objects.create(old_path="/old-flask", redirect_page=flask)
    return django


def snapshot(client) -> dict:
    """Every API response and rendered page a visitor could see."""
    responses = {}
    for path in API_PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        responses[path] = response.content
    for page in json.loads(responses["/api/v1/pages/"])["results"]:
        detail = client.get(page["detail_url"])
        assert detail.status_code == 200, page["detail_url"]
        responses[page["detail_url"]] = detail.content
    for path in SITE_PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        responses[path] = CSRF_TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', response.content)
    image_id = get_image_model().objects.get().pk
    responses["image"] = client.get(f"/api/v1/images/{image_id}/").content
    for path in REDIRECTING_PATHS:
        redirect = client.get(path)
        responses[path] = (redirect.status_code, redirect["Location"])
    return responses


def comparable_revision(revision: Revision) -> dict:
    """A revision with the ids that differ between two databases (content type, locale, users) given by name."""
    content = revision.content
    User = get_user_model()
    return {
        "id": revision.pk,
        "created_at": revision.created_at,
        "user": revision.user.username if revision.user else None,
        "content": {
            **content,
            "content_type": ContentType.objects.get_for_id(content["content_type"]).natural_key(),
            "locale": Locale.objects.get(pk=content["locale"]).language_code,
            "owner": User.objects.get(pk=content["owner"]).username if content["owner"] else None,
        },
    }


def leads() -> list[dict]:
    return list(Lead.objects.values())


def export_to(path) -> dict:
    call_command("export_content", str(path), stdout=StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def import_from(path) -> str:
    out = StringIO()
    call_command("import_content", str(path), stdout=out)
    return out.getvalue()


def export_of_a_site_since_rolled_back(path) -> dict:
    """The export of `build_site()`'s content, written to `path`; the database is left as freshly migrated."""
    try:
        with transaction.atomic():
            build_site()
            document = export_to(path)
            raise RolledBack
    except RolledBack:
        return document


@pytest.fixture
def no_response_cache(settings):
    """Responses rendered from the database every time, so comparisons prove the restore and not the cache."""
    settings.RESPONSE_CACHE_ENABLED = False


@pytest.fixture
def content_type_cache_kept():
    """Give back the content-type cache the test found, to match the database the next test restores.

    The test's flush makes Django create every content type again, under new ids, and fills the cache with
    those. The next transactional test restores the migrated rows, and Wagtail asks for a content type
    while it does (`Task.__init__`): a cache without the migrated id makes Django create that row first,
    and then the restored row clashes with it (IntegrityError on django_content_type).
    """
    cached = {alias: dict(entries) for alias, entries in ContentType.objects._cache.items()}
    yield
    ContentType.objects.clear_cache()
    ContentType.objects._cache.update(cached)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_export_then_import_into_an_empty_database_serves_the_same_site(
    tmp_path, client, no_response_cache, content_type_cache_kept
):
    draft_page = ServicePage.objects.get(pk=build_site().pk)
    before = snapshot(client)
    draft_before = comparable_revision(draft_page.get_latest_revision())
    live_before = comparable_revision(draft_page.live_revision)
    leads_before = leads()
    tags_before = sorted(get_image_model().objects.get().tags.names())

    export = export_to(tmp_path / "content.json")
    call_command("flush", interactive=False)
    assert not Page.objects.exists() and not Group.objects.exists()
    # Accounts are not in the export: recreating one before the import keeps its authorship.
    get_user_model().objects.create_user("eddie", "eddie@example.com", "a-long-test-password")
    output = import_from(tmp_path / "content.json")

    assert (export["format"], export["version"]) == (FORMAT, VERSION)
    assert export["users"] == ["eddie"]
    assert "Imported" in output and "No account" not in output
    # Wagtail's default workflow comes from a migration, which the flush undid; the import says so.
    assert "not defined here, so the pages they moderated have none: Moderators approval" in output
    assert snapshot(client) == before
    restored = ServicePage.objects.get(pk=draft_page.pk)
    assert comparable_revision(restored.get_latest_revision()) == draft_before
    assert comparable_revision(restored.live_revision) == live_before
    assert restored.get_latest_revision().content["sections"] == draft_before["content"]["sections"]
    assert restored.owner.username == "eddie" and restored.has_unpublished_changes
    assert leads() == leads_before
    assert sorted(get_image_model().objects.get().tags.names()) == tags_before
    restricted_to = PageViewRestriction.objects.get(page__slug="internal").groups.order_by("name")
    assert list(restricted_to.values_list("name", flat=True)) == [MODERATORS, "Partners"]
    # Groups are not exported: one only a restriction names is made again, empty, and the import says so.
    assert "Created groups named by view restrictions (add their members): Partners" in output
    # The moderation rules come back from code: groups, workflow, and its place on the services index.
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITORS, MODERATORS}
    assert restored.get_workflow().name == WORKFLOW_NAME

    # Editing goes on: new rows get ids after the imported ones (sequences moved on PostgreSQL).
    newcomer = ServicePageFactory(parent=ServiceIndexPage.objects.get(), slug="fastapi", title="FastAPI")
    newcomer.save_revision().publish()
    assert newcomer.pk > max(entry["id"] for entry in export["pages"])
    lead = Lead.objects.create(name="Bo", email="bo@example.com", message="Hi", consent=True)
    assert lead.pk > max(entry["id"] for entry in export["leads"])


def test_import_replaces_the_placeholders_of_a_freshly_migrated_database(tmp_path, client, db):
    path = tmp_path / "content.json"
    default_workflow = Page.get_first_root_node().get_workflow()
    try:
        with transaction.atomic():
            build_site()
            flask_html = client.get("/services/flask/").content
            export_to(path)
            raise RolledBack
    except RolledBack:
        pass
    assert client.get("/api/v1/pages/").json()["results"][0]["title"] == "Welcome to your new Wagtail site!"

    output = import_from(path)

    # The placeholder's listing was in the response cache; the import dropped it.
    titles = [page["title"] for page in client.get("/api/v1/pages/").json()["results"]]
    assert "Welcome to your new Wagtail site!" not in titles
    assert "Flask development services" in titles
    assert client.get("/services/flask/").content == flask_html
    assert "No account for eddie" in output
    assert ServicePage.objects.get(slug="django").owner is None
    # Workflows stay where they were: Wagtail's default on the tree, ours on the services index.
    assert Page.get_first_root_node().get_workflow() == default_workflow
    assert ServicePage.objects.get(slug="flask").get_workflow().name == WORKFLOW_NAME


def test_an_export_made_before_the_contact_page_moved_to_leads_still_imports(tmp_path, client, db):
    """Backups from before `leads` existed name the contact page `pages.contactpage`; they restore as before."""
    path = tmp_path / "content.json"
    document = export_of_a_site_since_rolled_back(path)
    for entry in document["pages"]:
        if entry["type"] == "leads.contactpage":
            entry["type"] = "pages.contactpage"
    path.write_text(json.dumps(document), encoding="utf-8")

    import_from(path)

    assert ContactPage.objects.get().title == "Contact us"
    response = client.get("/contact/")
    assert response.status_code == 200
    assert "Tell us about your project." in response.text


def test_import_refuses_a_database_that_has_content(tmp_path, seeded_site):
    path = tmp_path / "content.json"
    export_to(path)
    pages_before = Page.objects.count()

    with pytest.raises(CommandError, match=r"already has content \(4 pages, 1 call to action\)"):
        import_from(path)

    assert Page.objects.count() == pages_before


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"format": "nextbigit-cms-export", "version": 1, "pages": [', "is not valid JSON"),
        ('{"pages": []}', "is not a content export"),
        ('{"format": "nextbigit-cms-export", "version": 2}', "version 2 is not supported; this site reads version 1"),
        ('{"format": "nextbigit-cms-export", "version": 1, "locales": []}', "`collections` is missing"),
    ],
)
def test_a_damaged_or_unknown_file_is_refused(tmp_path, db, text, error):
    path = tmp_path / "content.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError, match=re.escape(error)):
        import_from(path)


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        (lambda document: document["leads"][0]["fields"].update(created_at="last Tuesday"), "leads[0]: Validation"),
        (lambda document: document["leads"][0]["fields"].update(service=999_999), "refers to rows it does not contain"),
        (lambda document: document["pages"][-1]["fields"].pop("title"), "leads.contactpage without title"),
    ],
    ids=["bad value", "dangling reference", "missing field"],
)
def test_an_entry_that_fails_halfway_leaves_the_database_as_it_was(tmp_path, client, db, damage, error):
    path = tmp_path / "content.json"
    document = export_of_a_site_since_rolled_back(path)
    damage(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    pages_before = list(Page.objects.values_list("pk", "title"))

    with pytest.raises(CommandError, match=re.escape(error)) as refused:
        import_from(path)

    assert "Nothing was imported" in str(refused.value)
    assert list(Page.objects.values_list("pk", "title")) == pages_before
    assert not get_image_model().objects.exists() and not CallToAction.objects.exists()
    assert client.get("/").status_code == 200


def test_an_export_holds_image_metadata_but_not_the_file(tmp_path, db):
    image = wagtail_factories.ImageFactory(title="Whiteboard", file__width=640, file__height=480)

    exported = export_to(tmp_path / "content.json")["images"][0]

    assert exported["id"] == image.pk
    assert exported["fields"]["file"] == image.file.name
    assert (exported["fields"]["width"], exported["fields"]["height"]) == (640, 480)
    assert "Whiteboard" in json.dumps(exported) and len(json.dumps(exported)) < 2000
