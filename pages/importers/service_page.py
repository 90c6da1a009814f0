"""
Create a draft service page from an article: the one code path behind `manage.py import_article`,
the admin's upload form and `load_initial_data`.

    result = import_service_page(data, title="Django development services", slug="django", user=request.user)
    result.page               # a draft ServicePage under the services index, with a revision by `user`
    result.missing_headings   # paragraphs whose heading the article lost; each reads "Heading needed"
    result.warnings           # how the file was read and what was guessed, for the editor to check

The page is never published here (`load_initial_data` publishes what it seeds). It is created as
the admin's own "Add child page" does: added to the tree, then a first revision saved, which
writes the same `wagtail.create` and `wagtail.edit` audit log entries. Everything is checked
before anything is written; an `ArticleImportError` (pages.importers.errors) leaves the
database as it was.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from wagtail.blocks import StreamValue
from wagtail.blocks.base import get_error_json_data
from wagtail.models import Page, PageSubscription, Site, get_page_models

from pages.blocks.links import BUTTON_LABEL_MAX_LENGTH
from pages.models import ServiceIndexPage, ServicePage
from pages.visibility import only_visible

from .article import MissingHeading, parse_article
from .decoding import decode_article
from .errors import (
    EmptyArticle,
    ImportNotPermitted,
    InvalidPageDetails,
    InvalidSections,
    NoServicesIndex,
    SlugInUse,
)

# "Advantages of Flask", "Disadvantages of using Django?" → the technology the page sells.
_TECHNOLOGY_IN_HEADING = re.compile(r"\bof\s+(?:using\s+)?(?P<name>[^?!.:]+?)\s*[?!.:]?$", re.IGNORECASE)
_FIRST_SENTENCE = re.compile(r"^(?P<sentence>.+?[.!?])(?:\s|$)", re.DOTALL)
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class ImportResult:
    page: ServicePage
    missing_headings: list[MissingHeading] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_service_page(
    article: bytes | str,
    *,
    title: str | None,
    slug: str | None = None,
    parent: Page | None = None,
    user=None,
    summary: str | None = None,
    supplied_headings: dict[str, str] | None = None,
    is_markdown: bool | None = None,
    technology_name: str | None = None,
    seo_title: str = "",
    search_description: str = "",
    call_to_action: dict | None = None,
) -> ImportResult:
    """
    Parse `article` (a file's bytes, or text) and create a draft ServicePage from it.

    `title` may be None for a Markdown article that opens with `# Title`; `slug` defaults to the
    title slugified; `parent` to the default site's services index; `summary` to the article's
    first sentence. `user` is the page's owner and its first revision's author, and must be
    allowed to add pages under `parent`. `technology_name` is guessed from an "Advantages of …"
    heading when not given. `call_to_action` gives the button fields of the closing call to
    action (`button_label` and `button_url` or `button_page`); by default it leads to the contact
    form about this service.
    """
    text, warnings = decode_article(article)
    parent = _parent_for_new_page(parent, user)
    parsed = parse_article(text, supplied_headings=supplied_headings, is_markdown=is_markdown)
    if not parsed.sections:
        raise EmptyArticle("The file holds no paragraphs to import.")
    warnings += parsed.warnings

    title = _clean_title(title or parsed.title)
    slug = _clean_slug(slug or slugify(title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)))
    if not Page._slug_is_available(slug, parent):
        raise SlugInUse(
            f"'{parent.get_admin_display_title()}' already has a page with the slug '{slug}'. "
            "Choose another slug, or edit the existing page."
        )
    if not summary:
        summary = _summary_from(parsed.sections)
        warnings.append("No summary was given, so the article's first sentence is used. Check it in the editor.")
    summary = _clean_summary(summary)
    if technology_name is None:
        technology_name = _technology_in(parsed.sections)

    calls_to_action = [section["value"] for section in parsed.sections if section["type"] == "call_to_action"]
    if calls_to_action and call_to_action is None:
        call_to_action, button_warnings = _call_to_action_button(parent, slug, technology_name)
        warnings += button_warnings
    for value in calls_to_action:
        value.update(call_to_action)

    page = ServicePage(
        title=title,
        slug=slug,
        summary=summary,
        seo_title=seo_title,
        search_description=search_description,
        technology_name=technology_name,
        sections=_validated_sections(parsed.sections),
        owner=user,
        live=False,
    )
    _create_draft(parent, page, user)
    return ImportResult(page=page, missing_headings=parsed.missing_headings, warnings=warnings)


def is_markdown_file(name: str) -> bool | None:
    """True for a .md file name; None lets the parser tell from the text (Markdown if it has '#' headings)."""
    return True if name.lower().endswith(MARKDOWN_SUFFIXES) else None


def default_services_index() -> ServiceIndexPage:
    """The default site's services index (the first, if it has several); any services index failing that."""
    indexes = ServiceIndexPage.objects.order_by("path")
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    index = indexes.descendant_of(site.root_page, inclusive=True).first() if site is not None else None
    index = index or indexes.first()
    if index is None:
        raise NoServicesIndex(
            "There is no services index to put the page under. "
            "Create one in the admin (or run `manage.py load_initial_data`) first."
        )
    return index


def _parent_for_new_page(parent: Page | None, user) -> Page:
    parent = default_services_index() if parent is None else parent.specific
    if not ServicePage.can_create_at(parent):
        raise NoServicesIndex(
            f"Service pages go under a services index; '{parent.get_admin_display_title()}' "
            f"is a {parent.get_verbose_name().lower()}."
        )
    if user is not None and not parent.permissions_for_user(user).can_add_subpage():
        raise ImportNotPermitted(f"{user.get_username()} may not add pages under '{parent.get_admin_display_title()}'.")
    return parent


def _clean_title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidPageDetails(
            "Give the page a title: the article has no '# Title' heading to take it from.", field="title"
        )
    max_length = Page._meta.get_field("title").max_length
    if len(title) > max_length:
        raise InvalidPageDetails(
            f"The title is {len(title)} characters long; a page title takes at most {max_length}.", field="title"
        )
    return title


def _clean_slug(slug: str) -> str:
    slug = slug.strip()
    if not slug:
        raise InvalidPageDetails("No slug can be made from this title; give the page a slug.", field="slug")
    try:
        Page._meta.get_field("slug").run_validators(slug)
    except ValidationError as error:
        raise InvalidPageDetails(
            f"The slug '{slug}' cannot be used. {' '.join(error.messages)}", field="slug"
        ) from error
    return slug


def _clean_summary(summary: str) -> str:
    summary = summary.strip()
    max_length = ServicePage._meta.get_field("summary").max_length
    if len(summary) > max_length:
        raise InvalidPageDetails(
            f"The summary is {len(summary)} characters long; it takes at most {max_length}.", field="summary"
        )
    return summary


def _summary_from(sections: list[dict]) -> str:
    """The article's first sentence, shortened at a word to fit a summary."""
    text = next((text for text in _paragraphs_in_order(sections) if text), "")
    if not text:
        raise InvalidPageDetails("The article has no paragraph to take a summary from; give one.", field="summary")
    sentence = match["sentence"] if (match := _FIRST_SENTENCE.match(text)) else text
    return Truncator(" ".join(sentence.split())).chars(ServicePage._meta.get_field("summary").max_length)


def _paragraphs_in_order(sections: list[dict]) -> Iterator[str]:
    for section in sections:
        value = section["value"]
        if section["type"] == "intro":
            yield value["lead"].strip()
        elif section["type"] == "text":
            yield unescape(strip_tags(value["body"])).strip()
        elif section["type"] == "feature_list":
            yield value["intro"].strip()
            yield from (item["text"].strip() for item in value["items"])
        elif section["type"] == "call_to_action":
            yield value["text"].strip()


def _technology_in(sections: list[dict]) -> str:
    """'Flask' from an 'Advantages of Flask' heading; '' when no feature list names a short one."""
    max_length = ServicePage._meta.get_field("technology_name").max_length
    for section in sections:
        if section["type"] == "feature_list" and (match := _TECHNOLOGY_IN_HEADING.search(section["value"]["heading"])):
            name = match["name"].strip()
            if len(name) <= max_length and len(name.split()) <= 3:
                return name
    return ""


def _call_to_action_button(parent: Page, slug: str, technology_name: str) -> tuple[dict, list[str]]:
    """The closing call to action's button: to the contact form about this service, like the seeded pages."""
    label = f"Hire {technology_name} developers" if technology_name else ""
    if not label or len(label) > BUTTON_LABEL_MAX_LENGTH:
        label = "Talk to us"
    site = parent.get_site()
    contact = _enquiry_page(site)
    if contact is None:
        home = site.root_page if site is not None else parent
        warning = (
            "There is no published contact page, so the call to action's button links to the home page. "
            "Choose its target in the editor."
        )
        return {"button_label": label, "button_page": home.pk, "button_url": ""}, [warning]
    return {"button_label": label, "button_page": None, "button_url": contact.enquiry_url(site, slug)}, []


def _enquiry_page(site) -> Page | None:
    """
    A page visitors can see that takes enquiries about a service, on `site`: one of a page type with an
    `enquiry_url(site, service_slug)` method (the contact page of the `leads` app); None if there is none.
    """
    enquiry_models = [model for model in get_page_models() if callable(getattr(model, "enquiry_url", None))]
    if not enquiry_models:
        return None
    pages = only_visible(Page.objects.type(*enquiry_models))
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.specific().first()


def _validated_sections(raw_sections: list[dict]) -> StreamValue:
    """The sections as the page will store them, checked by the same blocks the editor uses."""
    stream_block = _sections_block()
    try:
        return stream_block.clean(stream_block.to_python(raw_sections))
    except ValidationError as error:
        problems = [
            f"{_where(raw_sections, path)}: {message}" for path, message in _error_messages(get_error_json_data(error))
        ]
        raise InvalidSections("The article does not fit the page's sections. " + " ".join(problems)) from error


def _sections_block():
    return ServicePage._meta.get_field("sections").stream_block


def _error_messages(data: dict, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, message) for every message in a block error's JSON data (Wagtail's `as_json_data`), depth first."""
    for message in data.get("messages", []):
        yield path, message
    for key, child in data.get("blockErrors", {}).items():
        yield from _error_messages(child, (*path, key))


def _where(raw_sections: list[dict], path: tuple) -> str:
    """'Section 3 (Advantages of Django), item 2, text' for the path (3rd section, items, 2nd item, text)."""
    if not path:
        return "Sections"
    section = raw_sections[int(path[0])]
    heading = section["value"].get("heading") or _sections_block().child_blocks[section["type"]].label
    parts = [f"Section {int(path[0]) + 1} ({heading})"]
    for key in path[1:]:
        if isinstance(key, int) or str(key).isdigit():
            parts.append(f"item {int(key) + 1}")
        elif key != "items":
            parts.append(str(key).replace("_", " "))
    return ", ".join(parts)


@transaction.atomic
def _create_draft(parent: Page, page: ServicePage, user) -> None:
    """As the admin's create view saves a draft: into the tree (logged as created), then a first revision (logged)."""
    parent.add_child(instance=page)
    try:
        page.save_revision(user=user, log_action=True)
    except ValidationError as error:
        # Page-level rules (e.g. the SEO fields') the checks above do not cover; leaving `atomic` undoes the add.
        raise InvalidPageDetails(" ".join(error.messages)) from error
    if user is not None:
        PageSubscription.objects.get_or_create(page=page, user=user, defaults={"comment_notifications": True})
