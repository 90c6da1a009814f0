"""
The page states of the visibility matrix (`test_visibility_matrix.py`), built with the project's factories.

Each state is one service page an anonymous visitor must not see (or, for `pending_draft`, must
see only as published). Everything the page must keep to itself carries the marker
`SECRET-<state>`: its title, SEO title, meta description, summary, technology name, a section
heading and the title of an image only it uses; its slug is `secret-<state>`. A leak is then a
plain substring of a response.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import wagtail_factories
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from pages.models import CallToAction, NavigationItem, NavigationMenu, ServicePage, SiteSettings
from tests.factories import ServiceIndexPageFactory, ServicePageFactory

PASSWORD = "open-sesame"


def marker(name: str) -> str:
    return f"SECRET-{name}"


@dataclass
class PageState:
    """One state of the matrix: the page, what must never show, and how its own URL answers anonymously."""

    name: str
    page: ServicePage
    # Substrings no anonymous response may contain: the page's hidden texts.
    secrets: list[str]
    # Slugs no response may mention unless the request named them: an address can give a plan away too.
    secret_slugs: list[str]
    # Status of the page's own URL for an anonymous GET: 404, 200 (password form) or 302 (login).
    html_status: int
    # The text section whose heading is secret (the draft's heading for `pending_draft`).
    section_id: str
    # Only `pending_draft` is visible: as published, never as drafted.
    visible: bool = False
    # What a visitor must see instead, for the visible state.
    live_values: dict[str, str] = field(default_factory=dict)


def secret_slug(name: str) -> str:
    return f"secret-{name.replace('_', '-')}"


def secret_texts(name: str) -> dict:
    """Every text of a page, with this state's marker."""
    secret = marker(name)
    return {
        "title": f"{secret} title",
        "slug": secret_slug(name),
        "seo_title": f"{secret} seo title",
        "search_description": f"{secret} description",
        "summary": f"{secret} summary",
        "technology_name": f"{secret} tech",
    }


def secret_fields(name: str) -> dict:
    """Factory arguments for a page whose every text has this state's marker, with an image only it uses."""
    return {
        **secret_texts(name),
        "listing_image": wagtail_factories.ImageFactory(title=f"{marker(name)} image"),
        "sections__0__text__heading": f"{marker(name)} section",
    }


def _published(parent: Page, name: str, **extra) -> ServicePage:
    page = ServicePageFactory(parent=parent, live=False, **secret_fields(name), **extra)
    page.save_revision().publish()
    return ServicePage.objects.get(pk=page.pk)


def _state(name: str, page: ServicePage, html_status: int, **kwargs) -> PageState:
    page = ServicePage.objects.get(pk=page.pk)
    return PageState(
        name=name,
        page=page,
        secrets=[marker(name), *kwargs.pop("extra_secrets", [])],
        secret_slugs=[secret_slug(name), *kwargs.pop("extra_slugs", [])],
        html_status=html_status,
        section_id=page.sections[0].id,
        **kwargs,
    )


def draft_only(services: Page) -> PageState:
    page = ServicePageFactory(parent=services, live=False, **secret_fields("draft_only"))
    page.save_revision()
    return _state("draft_only", page, 404)


def pending_draft(services: Page) -> PageState:
    """Published with public values, then a draft changes the title, slug, SEO fields, summary and a section."""
    live_values = {
        "title": "Observability services",
        "slug": "observability",
        "seo_title": "Observability consulting",
        "search_description": "Tracing and metrics for busy systems.",
        "summary": "We make production systems observable.",
        "section": "What we measure",
    }
    page = ServicePageFactory(
        parent=services,
        live=False,
        listing_image=wagtail_factories.ImageFactory(title="Observability dashboard"),
        sections__0__text__heading=live_values["section"],
        **{key: value for key, value in live_values.items() if key != "section"},
    )
    page.save_revision().publish()
    draft = ServicePage.objects.get(pk=page.pk)
    for name, value in secret_texts("pending_draft").items():
        setattr(draft, name, value)
    draft.sections[0].value["heading"] = f"{marker('pending_draft')} section"
    draft.save_revision()
    return _state("pending_draft", page, 200, visible=True, live_values=live_values)


def unpublished(services: Page) -> PageState:
    page = _published(services, "unpublished")
    page.unpublish()
    return _state("unpublished", page, 404)


def expired(services: Page) -> PageState:
    """Past its expiry date, but `publish_scheduled` has not run: Wagtail still has it `live`."""
    page = _published(services, "expired")
    ServicePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=5))
    return _state("expired", page, 404)


def scheduled(services: Page) -> PageState:
    """Approved to go live tomorrow: a revision with `approved_go_live_at`, the page not live yet."""
    page = ServicePageFactory(parent=services, live=False, **secret_fields("scheduled"))
    page.go_live_at = timezone.now() + timedelta(days=1)
    page.save_revision().publish()
    return _state("scheduled", page, 404)


def _restricted(services: Page, name: str, restriction_type: str, **restriction) -> PageState:
    page = _published(services, name)
    restrict(page, restriction_type, **restriction)
    return _state(name, page, 200 if restriction_type == PageViewRestriction.PASSWORD else 302)


def restrict(page: Page, restriction_type: str, **restriction) -> PageViewRestriction:
    groups = restriction.pop("groups", [])
    created = PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, **restriction)
    created.groups.set(groups)
    return created


def password_restricted(services: Page) -> PageState:
    return _restricted(services, "password", PageViewRestriction.PASSWORD, password=PASSWORD)


def login_restricted(services: Page) -> PageState:
    return _restricted(services, "login", PageViewRestriction.LOGIN)


def group_restricted(services: Page) -> PageState:
    return _restricted(services, "group", PageViewRestriction.GROUPS, groups=[Group.objects.create(name="Clients")])


def child_of_restricted(services: Page) -> PageState:
    """A public, live page whose parent (a second services index) is for logged-in visitors only."""
    parent_secret = marker("restricted_parent")
    parent = ServiceIndexPageFactory(
        parent=services.get_parent(),
        title=f"{parent_secret} title",
        slug="secret-restricted-parent",
        seo_title=f"{parent_secret} seo title",
        intro=f"{parent_secret} intro",
    )
    parent.save_revision().publish()
    restrict(parent, PageViewRestriction.LOGIN)
    page = _published(parent, "child_of_restricted")
    return _state(
        "child_of_restricted",
        page,
        302,
        extra_secrets=[parent_secret],
        extra_slugs=["secret-restricted-parent"],
    )


STATES: dict[str, Callable[[Page], PageState]] = {
    "draft_only": draft_only,
    "pending_draft": pending_draft,
    "unpublished": unpublished,
    "expired": expired,
    "scheduled": scheduled,
    "password": password_restricted,
    "login": login_restricted,
    "group": group_restricted,
    "child_of_restricted": child_of_restricted,
}


def link_everything_to(page: Page, site) -> CallToAction:
    """A menu item and a shared call to action (the site's default) pointing at `page`."""
    menu = NavigationMenu.for_site(site)
    NavigationItem.objects.create(menu=menu, sort_order=len(menu.items.all()), label="Coming soon", link_page=page)
    call_to_action = CallToAction.objects.create(
        name="Coming soon",
        heading="Something new is coming",
        text="Ask us about it.",
        button_label="Find out more",
        link_page=page,
    )
    settings = SiteSettings.for_site(site)
    settings.default_call_to_action = call_to_action
    settings.save()
    return call_to_action
