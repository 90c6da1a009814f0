"""Article import: `manage.py import_article`, the admin's upload form and the importer behind both."""

import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.html import strip_tags
from wagtail.models import Page, PageLogEntry

from pages.blocks import FeatureKind
from pages.importers.article import PLACEHOLDER_HEADING
from pages.importers.decoding import FALLBACK_ENCODING_WARNING, MAX_ARTICLE_BYTES
from pages.importers.errors import (
    EmptyArticle,
    ImportNotPermitted,
    InvalidPageDetails,
    InvalidSections,
    NoServicesIndex,
    SlugInUse,
    UnreadableArticle,
)
from pages.importers.service_page import import_service_page
from pages.models import ServiceIndexPage, ServicePage

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FLASK = ROOT / "pages" / "content" / "flask-development-services.txt"
ARTICLES = Path(__file__).resolve().parent / "articles"
DJANGO_MD = ARTICLES / "django-development-services.md"
REACT_IRREGULAR = ARTICLES / "react-development-services.txt"
REACT_CLEAN = ARTICLES / "react-development-services-clean.txt"


def run_import(*args: str, stdin=None) -> str:
    out = io.StringIO()
    options = {"stdout": out, "stderr": io.StringIO()}
    if stdin is not None:
        options["stdin"] = stdin
    call_command("import_article", *args, **options)
    return out.getvalue()


def section_types(page) -> list[str]:
    return [section.block_type for section in page.sections]


def without_ids(data):
    """Stored stream data without the block ids, which differ between any two imports."""
    if isinstance(data, dict):
        return {key: without_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [without_ids(item) for item in data]
    return data


def page_text(page) -> str:
    """Every word the page shows, as one string with single spaces."""
    words = []
    for section in page.sections:
        value = section.value
        if section.block_type == "intro":
            words.append(value["lead"])
        elif section.block_type == "text":
            words += [value["heading"], unescape(strip_tags(value["body"].source))]
        elif section.block_type == "feature_list":
            words += [value["heading"], value["intro"]]
            words += [f"{item['title']} {item['text']}" for item in value["items"]]
        elif section.block_type == "call_to_action":
            words += [value["heading"], value["text"]]
    return " ".join(" ".join(words).split())


def sentences(path: Path) -> list[str]:
    text = " ".join(path.read_text(encoding="utf-8").split())
    return [sentence for sentence in re.split(r"(?<=[.?!:])\s+", text) if sentence]


def message_texts(response) -> list[tuple[str, str]]:
    return [
        (message.level_tag, unescape(strip_tags(message.message)).strip())
        for message in get_messages(response.wsgi_request)
    ]


@pytest.fixture
def services(seeded_site) -> ServiceIndexPage:
    return ServiceIndexPage.objects.get()


# The command


def test_the_flask_article_becomes_a_draft_and_its_lost_headings_are_listed(services):
    output = run_import(str(FLASK), "--slug", "flask-imported", "--title", "Flask development services")

    page = ServicePage.objects.get(slug="flask-imported")
    assert page.get_parent().pk == services.pk
    assert section_types(page) == ["intro", "text", "feature_list", "feature_list", "call_to_action"]
    advantages = page.sections[2].value
    assert [item["title"] for item in advantages["items"]] == [
        PLACEHOLDER_HEADING,
        PLACEHOLDER_HEADING,
        "Easy to negotiate",
        PLACEHOLDER_HEADING,
        PLACEHOLDER_HEADING,
    ]
    assert page.sections[4].value["heading"] == PLACEHOLDER_HEADING
    assert f"Created draft page {page.pk}: Flask development services (not published)." in output
    assert f"Edit it at http://testserver/admin/pages/{page.pk}/edit/" in output
    assert "3. Feature list (advantages): Advantages of Flask, 5 items" in output
    assert (
        "Section 3 (Advantages of Flask), item 1, paragraph starting 'If you want to make an…': "
        "heading lost — fill it in the editor"
    ) in output
    assert "Section 3 (Advantages of Flask), item 5, paragraph starting 'Flask users will find a healthy…'" in output
    assert "Section 5 (call to action), paragraph starting 'Flask is one of the most…'" in output
    assert output.count("heading lost") == 5


def test_the_markdown_article_makes_text_sections_feature_lists_and_a_call_to_action(services):
    output = run_import(str(DJANGO_MD))  # title from its "# Django development services", slug from the title

    page = ServicePage.objects.get(slug="django-development-services")
    assert page.title == "Django development services"
    assert section_types(page) == ["intro", "text", "feature_list", "feature_list", "call_to_action"]
    intro, what_is, advantages, disadvantages, call = (section.value for section in page.sections)
    assert intro["lead"].startswith("Django is the web framework for perfectionists with deadlines.")
    assert what_is["heading"] == "What is Django?"
    body = what_is["body"].source
    assert "<b>Python</b>" in body and "<i>model-template-view</i>" in body and "<code>i18n</code>" in body
    assert '<a href="https://www.djangoproject.com/foundation/">Django Software Foundation</a>' in body
    assert "<li>an automatic admin interface</li>" in body and "<h3>Who uses it</h3>" in body
    assert (advantages["heading"], advantages["kind"]) == ("Advantages of Django", FeatureKind.ADVANTAGES)
    assert advantages["intro"] == "Here is why teams choose Django for their next project:"
    assert [item["title"] for item in advantages["items"]] == [
        "Batteries included",
        "Secure by default",
        "Scales with you",
    ]
    assert advantages["items"][1]["text"].endswith(
        "without extra work.\n\nSecurity releases arrive quickly and are announced in advance."
    )
    assert (disadvantages["heading"], disadvantages["kind"]) == ("Disadvantages of Django", FeatureKind.DISADVANTAGES)
    assert [item["title"] for item in disadvantages["items"]] == [
        "Monolithic by design",
        "Heavy for tiny services",
        PLACEHOLDER_HEADING,
    ]
    assert disadvantages["items"][0]["text"].startswith("its components are tightly integrated.")
    assert call["heading"] == "Work with us"
    assert call["text"].startswith("Ready to start? Hire our Django developers")
    assert (call["button_label"], call.button_href) == (
        "Hire Django developers",
        "/contact/?service=django-development-services",
    )
    assert page.technology_name == "Django"
    assert (
        "Section 4 (Disadvantages of Django), item 3, paragraph starting 'A new feature release every eight…'" in output
    )


def test_irregular_spacing_gives_the_same_page_as_the_clean_article(services):
    raw = REACT_IRREGULAR.read_bytes()
    # The mess is real: Windows line endings, tabs, trailing spaces, runs of (whitespace-only) blank lines.
    assert b"\r\n" in raw and b"\t" in raw and b"  \r\n" in raw and re.search(rb"(\r\n[ \t]*){4}", raw)

    clean = import_service_page(REACT_CLEAN.read_bytes(), title="React", slug="react").page
    clean_sections = without_ids(clean.sections.get_prep_value())
    clean.delete()  # the slug, and so the call to action's link, must be the same
    irregular = import_service_page(raw, title="React", slug="react").page

    assert without_ids(irregular.sections.get_prep_value()) == clean_sections
    assert section_types(irregular) == ["intro", "text", "feature_list", "feature_list", "call_to_action"]
    assert irregular.sections[2].value["intro"] == "These are the main reasons teams pick React:"
    shown = page_text(irregular)
    assert [sentence for sentence in sentences(REACT_CLEAN) if sentence not in shown] == []


def test_the_lost_heading_in_irregular_text_is_reported(services):
    result = import_service_page(REACT_IRREGULAR.read_bytes(), title="React", slug="react")

    assert [gap.where for gap in result.missing_headings] == [
        "Section 3 (Advantages of React), item 2",
        "Section 5 (call to action)",
    ]
    assert result.missing_headings[0].paragraph_start.startswith("The virtual DOM lets React")


def test_the_draft_is_not_published_anywhere(services, client):
    page = import_service_page(DJANGO_MD.read_bytes(), title=None, slug="django").page

    page.refresh_from_db()
    assert not page.live and page.has_unpublished_changes and page.first_published_at is None
    assert client.get("/services/django/").status_code == 404
    listed = client.get("/api/v1/pages/", {"limit": 100}).json()["results"]
    assert listed and page.pk not in [item["id"] for item in listed]
    assert "Django development services" not in client.get("/services/").content.decode()


def test_the_draft_has_a_revision_and_audit_log_by_the_user(services):
    editor = UserFactory(groups=["Editors"])

    run_import(str(DJANGO_MD), "--slug", "django", "--user", editor.username)

    page = ServicePage.objects.get(slug="django")
    assert page.owner == editor
    assert page.get_latest_revision().user == editor
    entries = PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk")
    assert [(entry.action, entry.user) for entry in entries] == [("wagtail.create", editor), ("wagtail.edit", editor)]


def test_a_slug_in_use_is_refused_and_nothing_is_created(services):
    pages_before = Page.objects.count()

    with pytest.raises(CommandError, match="'Services' already has a page with the slug 'flask'"):
        run_import(str(DJANGO_MD), "--slug", "flask")

    assert Page.objects.count() == pages_before


@pytest.mark.parametrize("content", [b"", b"  \r\n\t\n\n"], ids=["empty", "blank lines only"])
def test_an_empty_file_is_refused(services, tmp_path, content):
    article = tmp_path / "empty.txt"
    article.write_bytes(content)
    pages_before = Page.objects.count()

    with pytest.raises(
        CommandError, match=re.escape("The file is empty: there is no article to import. Nothing was created.")
    ):
        run_import(str(article), "--slug", "empty", "--title", "Empty")

    assert Page.objects.count() == pages_before


def test_the_article_can_come_from_standard_input(services):
    stdin = io.TextIOWrapper(io.BytesIO(REACT_CLEAN.read_bytes()), encoding="utf-8")

    output = run_import("-", "--title", "React development services", stdin=stdin)

    page = ServicePage.objects.get(slug="react-development-services")
    assert f"Created draft page {page.pk}" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt", "--title", "X"], "Cannot read missing.txt: No such file or directory"),
        ([str(FLASK), "--title", "X", "--user", "nobody"], "There is no user named 'nobody'"),
        ([str(FLASK), "--title", "X", "--parent-id", "999999"], "There is no page with id 999999"),
        ([str(FLASK), "--title", "T" * 256], "The title is 256 characters long; a page title takes at most 255"),
        ([str(FLASK), "--title", "X", "--slug", "no spaces allowed"], "The slug 'no spaces allowed' cannot be used"),
        ([str(FLASK)], "Give the page a title"),
    ],
    ids=["missing file", "unknown user", "unknown parent", "long title", "bad slug", "no title"],
)
def test_bad_arguments_fail_with_a_clear_message(services, args, message):
    pages_before = Page.objects.count()

    with pytest.raises(CommandError, match=re.escape(message)):
        run_import(*args)

    assert Page.objects.count() == pages_before


def test_without_a_services_index_the_command_says_so(db):
    with pytest.raises(CommandError, match="There is no services index to put the page under"):
        run_import(str(FLASK), "--title", "Flask")


def test_a_parent_that_is_not_a_services_index_is_refused(services):
    with pytest.raises(CommandError, match="Service pages go under a services index; 'Software development"):
        run_import(str(FLASK), "--title", "Flask", "--parent-id", str(services.get_parent().pk))


# How the file is read


def test_a_windows_1252_file_is_read_with_a_warning(services):
    text = "Caf\u00e9 software \u2013 built right.\n\nWhat we do\n\nWe build \u201cgood\u201d apps.\n"

    result = import_service_page(text.encode("cp1252"), title="Caf\u00e9", slug="cafe")

    assert result.page.sections[0].value["lead"] == "Caf\u00e9 software \u2013 built right."
    assert "We build \u201cgood\u201d apps." in result.page.sections[1].value["body"].source
    assert FALLBACK_ENCODING_WARNING in result.warnings


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_utf8_with_a_byte_order_mark_and_utf16_are_read_as_they_are(services, encoding):
    result = import_service_page("\u00dcber uns.\n".encode(encoding), title="About", slug="about")

    assert result.page.sections[0].value["lead"] == "\u00dcber uns."
    assert FALLBACK_ENCODING_WARNING not in result.warnings


def test_a_binary_file_is_refused(services):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"

    with pytest.raises(UnreadableArticle, match="This is not a text file"):
        import_service_page(png, title="Image", slug="image")
    assert not ServicePage.objects.filter(slug="image").exists()


def test_a_paragraph_too_long_for_its_field_names_the_section_and_item(services):
    article = "Go is a language.\n\nAdvantages of Go\n\nFast\n\n" + "Very fast indeed. " * 100 + "\n"

    with pytest.raises(
        InvalidSections, match=r"Section 2 \(Advantages of Go\), item 1, text: Ensure this value has at most 1500"
    ):
        import_service_page(article, title="Go", slug="go")
    assert not ServicePage.objects.filter(slug="go").exists()


def test_errors_carry_the_form_field_they_belong_to(services):
    with pytest.raises(SlugInUse) as slug_in_use:
        import_service_page(FLASK.read_bytes(), title="Flask", slug="flask")
    with pytest.raises(InvalidPageDetails) as long_summary:
        import_service_page(FLASK.read_bytes(), title="Flask", slug="flask-2", summary="S" * 301)
    with pytest.raises(EmptyArticle) as empty:
        import_service_page(b"\xef\xbb\xbf\n", title="Flask", slug="flask-3")

    assert (slug_in_use.value.field, long_summary.value.field, empty.value.field) == ("slug", "summary", "file")


def test_the_user_must_be_allowed_to_add_pages_under_the_parent(services):
    with pytest.raises(ImportNotPermitted, match="may not add pages under 'Services'"):
        import_service_page(FLASK.read_bytes(), title="Flask", slug="flask-2", user=UserFactory())
    assert not ServicePage.objects.filter(slug="flask-2").exists()


def test_no_services_index_is_an_import_error(db):
    with pytest.raises(NoServicesIndex):
        import_service_page(FLASK.read_bytes(), title="Flask", slug="flask")


def test_markdown_links_are_kept_only_when_safe_and_html_is_escaped(services):
    article = (
        "## Links\n\nSee [our site](https://example.com/) and [this](javascript:alert(1)) "
        "or <img src=x onerror=alert(1)>.\n"
    )

    body = import_service_page(article, title="Links", slug="links").page.sections[0].value["body"].source

    assert '<a href="https://example.com/">our site</a>' in body
    assert "javascript" not in body and "<img" not in body
    assert "this or" in unescape(strip_tags(body))


# load_initial_data


def test_load_initial_data_imports_the_flask_article_through_the_importer(flask_page):
    actions = list(
        PageLogEntry.objects.filter(page=flask_page).order_by("timestamp", "pk").values_list("action", flat=True)
    )

    # Created and saved as a draft, as every import is, then published by the seed.
    assert actions == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    assert flask_page.technology_name == "Flask"


# The admin's upload form


@pytest.fixture
def editor(services):
    return UserFactory(groups=["Editors"])


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def import_url(parent) -> str:
    return f"/admin/import-article/{parent.pk}/"


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/plain")


def test_an_editor_finds_the_import_button_on_the_services_index(editor_client, services):
    explorer = editor_client.get(f"/admin/pages/{services.pk}/")

    assert explorer.status_code == 200
    assert import_url(services) in explorer.content.decode()
    form = editor_client.get(import_url(services))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'name="csrfmiddlewaretoken"' in html
    assert "Import as draft" in html


def test_an_editor_uploads_markdown_and_lands_in_the_editor_of_the_new_draft(editor_client, editor, services):
    response = editor_client.post(import_url(services), {"file": upload(DJANGO_MD), "slug": "django"})

    page = ServicePage.objects.get(slug="django")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert not page.live and page.owner == editor and page.get_latest_revision().user == editor
    assert page.title == "Django development services"
    messages = message_texts(response)
    successes = [text for level, text in messages if level == "success"]
    assert successes[0].startswith(
        f"Draft 'Django development services' created from {DJANGO_MD.name}, with 5 sections. "
        "It is not published: check it, then submit it for moderation."
    )
    assert (
        "warning",
        "Section 4 (Disadvantages of Django), item 3, paragraph starting 'A new feature release every eight…': "
        "heading lost — fill it in the editor (it reads 'Heading needed').",
    ) in messages
    editor_page = editor_client.get(response["Location"])
    assert editor_page.status_code == 200 and PLACEHOLDER_HEADING in editor_page.content.decode()


def test_a_user_who_cannot_add_service_pages_is_refused(services):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)

    assert import_url(services) not in client.get(f"/admin/pages/{services.pk}/").content.decode()
    for response in [client.get(import_url(services)), client.post(import_url(services), {"file": upload(DJANGO_MD)})]:
        # Wagtail's answer to PermissionDenied in the admin: back to the dashboard with an error message.
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert ("error", "Sorry, you do not have permission to access this area.") in message_texts(response)
    assert not ServicePage.objects.filter(title="Django development services").exists()


def test_importing_under_a_page_that_takes_no_service_pages_is_not_found(editor_client, services):
    assert editor_client.get(import_url(services.get_parent())).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(services, client):
    response = client.get(import_url(services))

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("file", "error"),
    [
        (
            SimpleUploadedFile("article.docx", b"PK\x03\x04 not really"),
            "Upload a plain-text (.txt) or Markdown (.md) file, not a .docx file.",
        ),
        (
            SimpleUploadedFile("huge.txt", b"a" * (MAX_ARTICLE_BYTES + 1)),
            f"This file is {MAX_ARTICLE_BYTES + 1:,} bytes; an article may be at most {MAX_ARTICLE_BYTES:,} bytes",
        ),
        (SimpleUploadedFile("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\r"), "This is not a text file."),
        (SimpleUploadedFile("blank.md", b"\n\n   \n"), "The file is empty"),
    ],
    ids=["wrong type", "too large", "binary", "blank"],
)
def test_a_bad_file_is_a_form_error(editor_client, services, file, error):
    pages_before = Page.objects.count()

    response = editor_client.post(import_url(services), {"file": file, "title": "Anything"})

    assert response.status_code == 200
    assert error in unescape(response.content.decode())
    assert Page.objects.count() == pages_before


def test_a_slug_in_use_is_shown_on_the_slug_field(editor_client, services):
    response = editor_client.post(import_url(services), {"file": upload(DJANGO_MD), "slug": "flask"})

    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "'Services' already has a page with the slug 'flask'. Choose another slug, or edit the existing page."
    ]


def test_a_plain_text_upload_without_a_title_asks_for_one(editor_client, services):
    response = editor_client.post(import_url(services), {"file": upload(FLASK)})

    assert response.status_code == 200
    assert response.context["form"].errors["title"][0].startswith("Give the page a title")


def test_the_upload_form_is_csrf_protected(editor, services):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(import_url(services), {"file": upload(DJANGO_MD)})

    assert response.status_code == 403
    assert not ServicePage.objects.filter(title="Django development services").exists()
