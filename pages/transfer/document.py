"""
The export document's name, version and sections, and the checks a file passes before an import touches the database.
"""

import datetime

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from wagtail import hooks
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

FORMAT = "nextbigit-cms-export"
VERSION = 1

# Sections that are lists of entries; `record_sections()` adds other apps' rows (the leads).
CONTENT_LIST_SECTIONS = ("locales", "collections", "images", "documents", "pages", "sites", "redirects")
# Sections that map a model label ("pages.calltoaction") to a list of entries.
MODEL_SECTIONS = ("snippets", "settings")


def record_sections() -> dict[str, type]:
    """
    Other apps' models exported as plain rows, by section name: `{"leads": Lead}`.

    Each app returns its own from a `register_transfer_records` Wagtail hook, so this package needs not know them.
    """
    sections = {}
    for register in hooks.get_hooks("register_transfer_records"):
        sections.update(register())
    return sections


def list_sections() -> tuple[str, ...]:
    """Every section of the document that is a list of entries."""
    return (*CONTENT_LIST_SECTIONS, *record_sections())


class TransferError(Exception):
    """A file that cannot be imported, or a database it cannot be imported into; the message says which and why."""


class ExportEncoder(DjangoJSONEncoder):
    """JSON for exports: datetimes keep their microseconds (Django's encoder cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def model_label(model) -> str:
    """How the document names a model: its content type's natural key, e.g. `pages.servicepage`."""
    return model._meta.label_lower


def snippet_models() -> list:
    return list(get_snippet_models())


def setting_models() -> list:
    return list(settings_registry)


def moved_model_labels() -> dict[str, str]:
    """
    Labels that files exported before a model moved app still use, and the model's label now:
    `{"pages.contactpage": "leads.contactpage"}`. Each app that took a model over says so through a
    `register_moved_models` Wagtail hook, so older backups keep importing.
    """
    moved = {}
    for register in hooks.get_hooks("register_moved_models"):
        moved.update(register())
    return moved


def _lookup_model(label):
    if not isinstance(label, str) or label.count(".") != 1:
        return None
    try:
        return apps.get_model(moved_model_labels().get(label.lower(), label))
    except LookupError:
        return None


def page_model_for(label, where: str):
    """The page type named `label`, or a TransferError naming `where` in the file."""
    model = _lookup_model(label)
    if model is None or not issubclass(model, Page):
        raise TransferError(f"{where}: {label!r} is not a page type of this site.")
    return model


def section_model_for(section: str, label, where: str):
    """The snippet or settings model named `label` in the `snippets` or `settings` section."""
    allowed = snippet_models() if section == "snippets" else setting_models()
    model = _lookup_model(label)
    if model not in allowed:
        names = ", ".join(model_label(model) for model in allowed)
        raise TransferError(f"{where}: {label!r} is not one of this site's {section} ({names}).")
    return model


def _check_entry(entry, where: str, *, fields: bool = True) -> None:
    if not isinstance(entry, dict):
        raise TransferError(f"{where}: expected an object, found {type(entry).__name__}.")
    if not isinstance(entry.get("id"), int) or isinstance(entry.get("id"), bool):
        raise TransferError(f"{where}: `id` must be a whole number.")
    if fields and not isinstance(entry.get("fields"), dict):
        raise TransferError(f"{where}: `fields` must be an object.")
    for key in ("revisions", "view_restrictions", "tags", "renditions"):
        if key in entry and not isinstance(entry[key], list):
            raise TransferError(f"{where}: `{key}` must be a list.")


def check_document(document) -> None:
    """Raise TransferError unless `document` looks like an export this version can import."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(f"This is not a content export: its `format` is not {FORMAT!r}.")
    version = document.get("version")
    if version != VERSION:
        raise TransferError(f"Export format version {version!r} is not supported; this site reads version {VERSION}.")
    for section in list_sections():
        entries = document.get(section)
        if not isinstance(entries, list):
            raise TransferError(f"`{section}` is missing or not a list: the file is incomplete or damaged.")
        for index, entry in enumerate(entries):
            where = f"{section}[{index}]"
            if section == "locales":
                _check_entry(entry, where, fields=False)
                if not isinstance(entry.get("language_code"), str):
                    raise TransferError(f"{where}: `language_code` must be text.")
            else:
                _check_entry(entry, where)
            if section == "pages":
                page_model_for(entry.get("type"), where)
                if not isinstance(entry.get("workflow"), str | None):
                    raise TransferError(f"{where}: `workflow` must be a workflow's name or null.")
    for section in MODEL_SECTIONS:
        by_model = document.get(section)
        if not isinstance(by_model, dict):
            raise TransferError(f"`{section}` is missing or not an object: the file is incomplete or damaged.")
        for label, entries in by_model.items():
            section_model_for(section, label, f"{section}.{label}")
            if not isinstance(entries, list):
                raise TransferError(f"{section}.{label}: expected a list of entries.")
            for index, entry in enumerate(entries):
                _check_entry(entry, f"{section}.{label}[{index}]")
