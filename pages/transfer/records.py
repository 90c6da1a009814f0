"""
Rows as JSON records and back, the way Wagtail stores revisions.

`record_of(obj)` is modelcluster's `serializable_data()`, as in a revision: every column by field
name (foreign keys as ids, files as their storage names, StreamFields as their JSON text) and
child relations (social links, menu items) as nested records. Ids stay as they are, because an
import keeps every primary key. Three kinds of reference are not portable between databases
and are written as names instead:

| a field pointing at | is written as |
|---|---|
| a content type | `"app_label.model"` |
| a user | the username (accounts are not exported) |
| a locale | the language code |

`ExportNames` and `ImportIds` convert them each way; `portable(model, data, convert)` applies
one of them to a record or to a revision's content.

`insert(model, record)` builds the object with `from_serializable_data` and writes its rows as
`loaddata` does: raw saves that keep the primary keys, parent tables of multi-table models
first, then child relations. Raw saves are ignored by the handlers that react to editors'
saves (search and reference indexing, locale defaults); the import rebuilds those indexes.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from modelcluster.models import get_all_child_relations, get_serializable_data_for_fields, model_from_serializable_data
from wagtail.models import Locale, Page

from .document import TransferError

CONTENT_TYPE, USER, LOCALE = "content type", "user", "locale"


@cache
def _reference_kind(model, name: str) -> str | None:
    """Which non-portable kind of object the field `name` of `model` points at, if any."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not (field.concrete and field.is_relation) or field.many_to_many:
        return None
    related = field.related_model
    if related is ContentType:
        return CONTENT_TYPE
    if related is get_user_model():
        return USER
    if related is Locale:
        return LOCALE
    return None


@cache
def _child_models(model) -> dict:
    return {relation.get_accessor_name(): relation.related_model for relation in get_all_child_relations(model)}


def portable(model, data: dict, convert) -> dict:
    """A copy of `data` (a record of `model`) with `convert(kind, value)` applied to every reference by name or id."""
    children = _child_models(model)
    converted = {}
    for name, value in data.items():
        if name in children and isinstance(value, list):
            value = [portable(children[name], child, convert) if isinstance(child, dict) else child for child in value]
        elif value is not None and (kind := _reference_kind(model, name)) is not None:
            value = convert(kind, value)
        converted[name] = value
    return converted


class ExportNames:
    """Names for the ids of content types, users and locales; remembers every username it gave out."""

    def __init__(self):
        User = get_user_model()
        self.usernames = dict(User.objects.values_list("pk", User.USERNAME_FIELD))
        self.language_codes = dict(Locale.objects.values_list("pk", "language_code"))
        self.referenced_users: set[str] = set()

    def __call__(self, kind: str, value):
        if kind == CONTENT_TYPE:
            content_type = ContentType.objects.get_for_id(value)
            return f"{content_type.app_label}.{content_type.model}"
        if kind == LOCALE:
            return self.language_codes.get(value)
        username = self.usernames.get(value)  # None for a user deleted since
        if username is not None:
            self.referenced_users.add(username)
        return username


class ImportIds:
    """This database's ids for the names in an export; a username with no account here becomes None."""

    def __init__(self, locale_ids: dict[str, int]):
        User = get_user_model()
        self.user_ids = dict(User.objects.values_list(User.USERNAME_FIELD, "pk"))
        self.locale_ids = locale_ids
        self.missing_users: set[str] = set()

    def __call__(self, kind: str, value):
        if not isinstance(value, str):
            raise TransferError(f"a {kind} must be given by name, found {value!r}.")
        if kind == CONTENT_TYPE:
            app_label, _, model = value.partition(".")
            try:
                return ContentType.objects.get_by_natural_key(app_label, model).pk
            except ContentType.DoesNotExist:
                raise TransferError(f"{value!r} is not a model of this site.") from None
        if kind == LOCALE:
            if value not in self.locale_ids:
                raise TransferError(f"locale {value!r} is not listed in `locales`.")
            return self.locale_ids[value]
        if value not in self.user_ids:
            self.missing_users.add(value)
        return self.user_ids.get(value)


def revisions_content_type(model) -> ContentType:
    """The content type Wagtail files revisions of `model` under (`Revision.base_content_type`): Page's for pages."""
    if issubclass(model, Page):
        return ContentType.objects.get_for_model(Page)
    return model.get_base_content_type()


def record_of(obj) -> dict:
    """The object's columns and child relations, as Wagtail stores them in a revision."""
    if hasattr(obj, "serializable_data"):
        return obj.serializable_data()
    return get_serializable_data_for_fields(obj)


def _build(model, record: dict):
    if hasattr(model, "from_serializable_data"):
        return model.from_serializable_data(record, check_fks=False)
    return model_from_serializable_data(model, record, check_fks=False)


def _save_rows(obj, written: set) -> None:
    """Insert `obj`'s row in each table of its model, topmost parent first, with the primary key it has."""
    for parent in reversed(obj._meta.get_parent_list()):
        parent_row = parent(**{field.attname: getattr(obj, field.attname) for field in parent._meta.concrete_fields})
        parent_row.save_base(raw=True, force_insert=True)
        written.add(parent)
    obj.save_base(raw=True, force_insert=True)
    written.add(type(obj))


def _save_with_children(obj, written: set) -> None:
    _save_rows(obj, written)
    # Children built by `from_serializable_data` wait in modelcluster's holding area until saved.
    pending = getattr(obj, "_cluster_related_objects", {})
    for name in _child_models(type(obj)):
        for child in pending.get(name, []):
            _save_with_children(child, written)


def _check_required_fields(model, record: dict) -> None:
    """
    Refuse a record that lacks a field the model cannot do without (no default, not nullable, not blankable).

    Fields that have a default may be missing: exports made before such a field existed still import.
    """
    missing = [
        field.name
        for field in model._meta.concrete_fields
        if field.serialize and field.name not in record and not (field.has_default() or field.null or field.blank)
    ]
    if missing:
        raise TransferError(f"{model._meta.label_lower} without {', '.join(missing)}.")
    for name, child_model in _child_models(model).items():
        for child in record.get(name) or []:
            if isinstance(child, dict):
                _check_required_fields(child_model, child)


def insert(model, record: dict, written: set):
    """
    Create the object `record` describes, child relations included, keeping its primary keys.

    Adds every model whose table got a row to `written` (the import resets their id sequences).
    """
    _check_required_fields(model, record)
    obj = _build(model, record)
    _save_with_children(obj, written)
    return obj
