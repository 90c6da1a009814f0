"""
Initial content: the site, home page, services index and the service pages described in
`pages/content/` (see `load_initial_data`), and the pages other apps add through the
`seed_site_pages` Wagtail hook (`leads` adds the contact page), before the service pages
whose calls to action link to them.

Each step creates what is missing and leaves alone what exists, so running it again never
duplicates a page or overwrites an editor's work.
"""

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction
from wagtail import hooks
from wagtail.models import Page, Site

from .editorial import configure_editorial_workflow
from .importers.service_page import import_service_page
from .models import (
    CallToAction,
    HomePage,
    NavigationItem,
    NavigationMenu,
    ServiceIndexPage,
    ServicePage,
    SiteSettings,
    SocialLink,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
logger = logging.getLogger(__name__)


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _read_json(name: str) -> dict:
    return json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


def import_service(index: ServiceIndexPage, manifest: dict) -> ServicePage:
    """
    The manifest's article as a published ServicePage under `index`.

    It goes through the importer editors use (`import_article`, the admin's upload form), which
    creates a draft; the manifest supplies the headings the article lost and the button of its
    call to action, and the draft is then published.
    """
    result = import_service_page(
        (CONTENT_DIR / manifest["article"]).read_bytes(),
        title=manifest["title"],
        slug=manifest["slug"],
        parent=index,
        summary=manifest["summary"],
        supplied_headings=manifest.get("supplied_headings", {}),
        technology_name=manifest.get("technology_name", ""),
        seo_title=manifest.get("seo_title", ""),
        search_description=manifest.get("search_description", ""),
        call_to_action=manifest.get("call_to_action"),
    )
    if result.missing_headings:
        missing = ", ".join(f"'{gap.paragraph_start}…'" for gap in result.missing_headings)
        raise ValueError(f"{manifest['article']}: supply headings for the paragraphs starting {missing}")
    result.page.get_latest_revision().publish()
    return result.page


def publish_new_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ensure_home(config: dict, report: SeedReport) -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = HomePage.objects.first()
    if home is not None:
        report.kept.append(home.title)
    else:
        root = Page.get_first_root_node()
        if site is not None and site.root_page.specific_class is Page and not site.root_page.get_children().exists():
            # Wagtail's install leaves a placeholder "Welcome" page as the site root; ours replaces it.
            placeholder = site.root_page
            site.root_page = root
            site.save()
            placeholder.delete()
            root.refresh_from_db()
        home = publish_new_child(root, HomePage(title=config["title"], slug=config["slug"], intro=config["intro"]))
        report.created.append(home.title)
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="NextBigIt")
    elif site.root_page_id != home.pk and site.root_page.specific_class is not HomePage:
        site.root_page = home
        site.save()
    return home


def _ensure_services_index(home: HomePage, config: dict, report: SeedReport) -> ServiceIndexPage:
    index = ServiceIndexPage.objects.child_of(home).first()
    if index is not None:
        report.kept.append(index.title)
        return index
    index = publish_new_child(home, ServiceIndexPage(title=config["title"], slug=config["slug"], intro=config["intro"]))
    report.created.append(index.title)
    return index


def _ensure_service(index: ServiceIndexPage, manifest: dict, report: SeedReport) -> None:
    existing = ServicePage.objects.child_of(index).filter(slug=manifest["slug"]).first()
    if existing is not None:
        report.kept.append(existing.title)
        return
    page = import_service(index, manifest)
    report.created.append(page.title)


def _menu_page(site: Site, slug: str) -> Page | None:
    """The site's page with `slug` (the root included), for a menu item; None if no app seeded one."""
    return Page.objects.descendant_of(site.root_page, inclusive=True).filter(slug=slug).first()


def _ensure_site_settings(site: Site, config: dict, report: SeedReport) -> None:
    """Company details, the shared call to action and the menu, created once; later edits are the editors'."""
    call_to_action, created = CallToAction.objects.get_or_create(
        name=config["call_to_action"]["name"], defaults=config["call_to_action"]["fields"]
    )
    if created:
        report.created.append(f"Call to action: {call_to_action.name}")
    settings, created = SiteSettings.objects.get_or_create(
        site=site, defaults={**config["company"], "default_call_to_action": call_to_action}
    )
    if created:
        for position, link in enumerate(config["social_links"]):
            SocialLink.objects.create(settings=settings, sort_order=position, **link)
        report.created.append("Site settings")
    menu, created = NavigationMenu.objects.get_or_create(site=site)
    if created:
        items = [(item["label"], _menu_page(site, item["slug"])) for item in config["menu"]]
        for position, (label, page) in enumerate((label, page) for label, page in items if page is not None):
            NavigationItem.objects.create(menu=menu, sort_order=position, label=label, link_page=page)
        report.created.append("Navigation menu")


@transaction.atomic
def load_initial_data() -> SeedReport:
    report = SeedReport()
    config = _read_json("site.json")
    home = _ensure_home(config["home"], report)
    Site.objects.filter(root_page=home, site_name="").update(site_name=config["site_name"])
    index = _ensure_services_index(home, config["services"], report)
    for seed_pages in hooks.get_hooks("seed_site_pages"):
        seed_pages(home, report)
    for manifest_name in config["service_pages"]:
        _ensure_service(index, _read_json(manifest_name), report)
    site = Site.objects.get(root_page=home)
    _ensure_site_settings(site, config["site_settings"], report)
    # Attach the moderation workflow and group permissions to the services index just created.
    configure_editorial_workflow(apps)
    return report
