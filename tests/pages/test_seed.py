"""`load_initial_data`: the Flask article becomes a published page, every sentence kept, and re-runs change nothing."""

from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from pages.models import HomePage, ServiceIndexPage, ServicePage

pytestmark = pytest.mark.django_db

ARTICLE = Path(__file__).resolve().parents[2] / "pages" / "content" / "flask-development-services.txt"


def article_paragraphs() -> list[str]:
    return [block.strip() for block in ARTICLE.read_text(encoding="utf-8").split("\n\n") if block.strip()]


def page_texts(page: ServicePage) -> list[str]:
    """Every piece of text the page shows, section by section."""
    texts = [page.title]
    for section in page.sections:
        value = section.value
        if section.block_type == "intro":
            texts.append(value["lead"])
        elif section.block_type == "text":
            texts += [value["heading"], value["body"].source]
        elif section.block_type == "feature_list":
            texts += [value["heading"], value["intro"]]
            for item in value["items"]:
                texts += [item["title"], item["text"]]
        elif section.block_type == "call_to_action":
            texts += [value["heading"], value["text"]]
    return texts


def test_the_site_tree_is_created_and_published(seeded_site):
    home = seeded_site.root_page.specific
    assert isinstance(home, HomePage) and home.live
    index = ServiceIndexPage.objects.child_of(home).get()
    flask = ServicePage.objects.child_of(index).get()
    assert (index.url, flask.url) == ("/services/", "/services/flask/")
    assert flask.live and not flask.has_unpublished_changes
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


def test_every_paragraph_of_the_article_is_on_the_page(flask_page):
    shown = "\n".join(page_texts(flask_page))
    missing = [paragraph for paragraph in article_paragraphs() if paragraph not in shown]
    assert missing == []


def test_sections_follow_the_article(flask_page):
    sections = list(flask_page.sections)
    assert [section.block_type for section in sections] == [
        "intro",
        "text",
        "feature_list",
        "feature_list",
        "call_to_action",
    ]
    assert sections[1].value["heading"] == "What is Flask?"
    advantages, disadvantages = sections[2].value, sections[3].value
    assert (advantages["heading"], advantages["kind"]) == ("Advantages of Flask", "advantages")
    assert advantages["intro"].startswith("Listed below are some of the benefits")
    assert len(advantages["items"]) == 5
    assert advantages["items"][2]["title"] == "Easy to negotiate"
    assert all(item["title"] and item["title"] != "Heading needed" for item in advantages["items"])
    assert (disadvantages["heading"], disadvantages["kind"]) == ("Disadvantages of Flask", "disadvantages")
    assert [item["title"] for item in disadvantages["items"]] == [
        "Not a lot of tools",
        "Difficult to get familiar with a larger Flask app",
        "Maintenance costs",
    ]
    cta = sections[4].value
    assert "Hire flask developers from NextBigIt" in cta["text"]
    assert cta["button_label"] and cta.button_href


def test_running_again_duplicates_nothing(seeded_site):
    counts = Page.objects.count(), Site.objects.count()
    call_command("load_initial_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Page.objects.count(), Site.objects.count()) == counts


def test_running_again_keeps_editors_changes(flask_page):
    flask_page.title = "Flask, edited by an editor"
    flask_page.save_revision().publish()
    draft = flask_page.get_latest_revision_as_object()
    draft.summary = "An unpublished draft summary"
    draft.save_revision()

    call_command("load_initial_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    flask_page.refresh_from_db()
    assert flask_page.title == "Flask, edited by an editor"
    assert flask_page.get_latest_revision_as_object().summary == "An unpublished draft summary"
    assert ServicePage.objects.count() == 1


def test_a_test_without_the_seeded_site_starts_from_the_migrated_database(db):
    """The seeded site is committed for the tests that ask for it (tests/seeded_database.py); others never see it."""
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is Page
    assert not HomePage.objects.exists() and not ServicePage.objects.exists()
