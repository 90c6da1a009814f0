"""
Step 1 of `clean_sections`: JSON checked against a block tree, before Wagtail reads it.

`InputReader.read(block, data, pointer)` returns `data` as the block's `to_python` expects it,
and records what it refuses in `errors` (`{"pointer", "detail"}`) and what the rich text
sanitiser removed in `warnings`. Refused values are left out of struct values and replaced by an
empty value where something must stand (a list item, a section), so that Wagtail's validation
can still look at the rest. `error_entries` turns Wagtail's nested block errors into entries with
pointers into the request body, using the positions the reader recorded.
"""

import math
import re
import uuid
from collections import defaultdict

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

from pages.rich_text import sanitise_stored_rich_text

UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_UUID = re.compile(UUID_PATTERN)
# Larger ids cannot name a row in any database Django supports: they are reported as missing without a query.
_MAX_ID = 2**63 - 1
REQUIRED = "This field is required."
_EXPECTED = {
    "string": "Expected a string.",
    "integer": "Expected an integer.",
    "number": "Expected a number.",
    "boolean": "Expected true or false.",
    "array": "Expected an array.",
}
# Date and time blocks take ISO 8601 strings, parsed as Wagtail parses stored ones.
_TEMPORAL = (
    (blocks.DateTimeBlock, parse_datetime, "Expected a date and time such as 2025-01-31T09:30:00+00:00."),
    (blocks.DateBlock, parse_date, "Expected a date such as 2025-01-31."),
    (blocks.TimeBlock, parse_time, "Expected a time such as 09:30."),
)
_STRING_BLOCKS = (
    blocks.CharBlock,
    blocks.TextBlock,
    blocks.RegexBlock,
    blocks.EmailBlock,
    blocks.URLBlock,
    blocks.RawHTMLBlock,
    blocks.RichTextBlock,
    blocks.ChoiceBlock,
    blocks.DateBlock,
    blocks.TimeBlock,
    blocks.DateTimeBlock,
)


def field_input_type(block: blocks.FieldBlock) -> str:
    """The JSON type a field block stores: "string", "integer", "number", "boolean" or "array"."""
    if isinstance(block, blocks.MultipleChoiceBlock):
        return "array"
    if isinstance(block, blocks.BooleanBlock):
        return "boolean"
    if isinstance(block, (blocks.IntegerBlock, blocks.ChooserBlock)):
        return "integer"
    if isinstance(block, (blocks.FloatBlock, blocks.DecimalBlock)):
        return "number"
    if isinstance(block, _STRING_BLOCKS):
        return "string"
    raise ImproperlyConfigured(f"No API input format for {type(block).__name__}: teach api.sections_input about it.")


def json_pointer(parent: str, token) -> str:
    """`parent` followed by one reference token, escaped as RFC 6901 asks and printable in a UTF-8 response."""
    token = str(token).replace("~", "~0").replace("/", "~1")
    return f"{parent}/{token.encode('utf-8', 'replace').decode('utf-8')}"


class InputReader:
    """
    Step 1: checks JSON against a block tree and returns it as `to_python` expects it.

    What it refuses is recorded in `errors` and left out of what it returns (a field) or replaced
    by an empty value (a list item), so that steps 2 and 3 can still look at everything else.
    """

    _LEFT_OUT = object()

    def __init__(self):
        self.errors: list[dict] = []
        self.warnings: list[dict] = []
        # pointer of a list or stream → pointer of each of its item's values, by the index Wagtail reports
        self.container_pointers: dict[str, list[str]] = {}
        # Streams some of whose children were left out (their type is not known). How many children of
        # each type such a stream has is not judged: it would say "This field is required." of a stream
        # that has children.
        self.incomplete_streams: set[str] = set()
        self._references: dict[type, list[tuple[int, str]]] = defaultdict(list)

    def _refuse(self, pointer: str, detail: str):
        self.errors.append({"pointer": pointer, "detail": detail})
        return self._LEFT_OUT

    def read(self, block, data, pointer: str):
        """`data` checked as `block`'s stored JSON: the value for `to_python`, or `_LEFT_OUT`."""
        if isinstance(block, ImageBlock):
            return self._read_image(block, data, pointer)
        if isinstance(block, blocks.StructBlock):
            return self._read_struct(block, data, pointer)
        if isinstance(block, blocks.ListBlock):
            return self._read_list(block, data, pointer)
        if isinstance(block, blocks.BaseStreamBlock):
            return self._read_stream(block, data, pointer)
        if isinstance(block, blocks.StaticBlock):
            return None if data is None else self._refuse(pointer, "Expected null.")
        return self._read_field(block, data, pointer)

    def _read_or_empty(self, block, data, pointer: str):
        """Like `read`, with a value that stands for nothing where a value must be (a list item, a section)."""
        value = self.read(block, data, pointer)
        return _empty_input(block) if value is self._LEFT_OUT else value

    def _read_struct(self, block, data, pointer: str):
        if not isinstance(data, dict):
            return self._refuse(pointer, f"Expected an object with the fields {', '.join(block.child_blocks)}.")
        value = {}
        for name, item in data.items():
            child_pointer = json_pointer(pointer, name)
            child = block.child_blocks.get(name)
            if child is None:
                self._refuse(child_pointer, f"Unknown field. The fields are {', '.join(block.child_blocks)}.")
                continue
            item = self.read(child, item, child_pointer)
            if item is not self._LEFT_OUT:
                value[name] = item
        return value

    def _read_image(self, block, data, pointer: str):
        """Wagtail's ImageBlock stores `{"image": id, "alt_text": …, "decorative": …}`; null means no image."""
        if data is not None:
            return self._read_struct(block, data, pointer)
        if block.child_blocks["image"].required:
            return self._refuse(pointer, REQUIRED)
        return block.get_prep_value(None)

    def _read_list(self, block, data, pointer: str):
        if not isinstance(data, list):
            return self._refuse(pointer, _EXPECTED["array"])
        items, value_pointers, ids = [], [], set()
        for index, item in enumerate(data):
            item_pointer = f"{pointer}/{index}"
            if _is_list_item_form(item):
                item_id = self.read_id(item.get("id", self._LEFT_OUT), f"{item_pointer}/id", ids)
                value_pointer = f"{item_pointer}/value"
                value = self._read_or_empty(block.child_block, item["value"], value_pointer)
                # Wagtail reads an item without an id as a plain value, so the id is always written.
                items.append({"type": "item", "value": value, "id": item_id})
            else:
                value_pointer = item_pointer
                items.append(self._read_or_empty(block.child_block, item, item_pointer))
            value_pointers.append(value_pointer)
        self.container_pointers[pointer] = value_pointers
        return items

    def _read_stream(self, block, data, pointer: str):
        if not isinstance(data, list):
            return self._refuse(pointer, _EXPECTED["array"])
        return self.read_stream_children(block, data, pointer, [f"{pointer}/{index}" for index in range(len(data))])

    def read_stream_children(self, stream_block, items: list, pointer: str, item_pointers: list[str]) -> list[dict]:
        """
        The children of the stream at `pointer` (item i at `item_pointers[i]`), those of unknown type left out.

        Records where each child's value sits, for `error_entries`, and whether any child was left out.
        """
        children, value_pointers, ids = [], [], set()
        for item, item_pointer in zip(items, item_pointers, strict=True):
            child = self._read_stream_child(stream_block, item, item_pointer, ids)
            if child is not None:
                children.append(child)
                value_pointers.append(f"{item_pointer}/value")
        self.container_pointers[pointer] = value_pointers
        if len(children) < len(items):
            self.incomplete_streams.add(pointer)
        return children

    def _read_stream_child(self, stream_block, item, pointer: str, ids: set[str]) -> dict | None:
        """One `{"type", "value", "id"}` of a stream, or None when its type is not known (it is left out)."""
        if not isinstance(item, dict):
            self._refuse(pointer, "Expected an object with type, value and optionally id.")
            return None
        for key in item:
            if key not in ("type", "value", "id"):
                self._refuse(json_pointer(pointer, key), "Unknown field. The fields are type, value and id.")
        item_id = self.read_id(item.get("id", self._LEFT_OUT), f"{pointer}/id", ids)
        type_name = item.get("type")
        if "type" not in item:
            self._refuse(f"{pointer}/type", REQUIRED)
            return None
        if not isinstance(type_name, str) or type_name not in stream_block.child_blocks:
            self._refuse(f"{pointer}/type", f"Unknown type. The types are {', '.join(stream_block.child_blocks)}.")
            return None
        block = stream_block.child_blocks[type_name]
        if "value" in item:
            value = self._read_or_empty(block, item["value"], f"{pointer}/value")
        else:
            self._refuse(f"{pointer}/value", REQUIRED)
            value = _empty_input(block)
        return {"type": type_name, "value": value, "id": item_id}

    def read_id(self, data, pointer: str, ids: set[str]) -> str:
        """A given id (a UUID, not used before in its list) in lower case, or a new one."""
        if data is self._LEFT_OUT:
            return str(uuid.uuid4())
        if not isinstance(data, str) or not _UUID.match(data):
            self._refuse(
                pointer, "Expected a UUID such as 9b2f7c1e-3d4a-4f6b-8c9d-0e1f2a3b4c5d, or no id for a new item."
            )
        elif data.lower() in ids:
            self._refuse(pointer, "Another item of this list has the same id.")
        else:
            ids.add(data.lower())
            return data.lower()
        return str(uuid.uuid4())

    def _read_field(self, block, data, pointer: str):
        json_type = field_input_type(block)
        if data is None:
            if block.required:
                return self._refuse(pointer, REQUIRED)
            return "" if isinstance(block, blocks.RichTextBlock) else None
        if json_type == "string":
            return self._read_text(block, data, pointer)
        if json_type == "array":
            if not isinstance(data, list):
                return self._refuse(pointer, _EXPECTED["array"])
            choices = [self._read_text(block, item, f"{pointer}/{index}") for index, item in enumerate(data)]
            return self._LEFT_OUT if self._LEFT_OUT in choices else choices
        if json_type == "boolean":
            return data if isinstance(data, bool) else self._refuse(pointer, _EXPECTED["boolean"])
        if isinstance(data, bool) or not isinstance(data, (int, float)) or not _is_finite(data):
            return self._refuse(pointer, _EXPECTED[json_type])
        if json_type == "number":
            # A DecimalBlock reads its number from the digits, not from the float's binary value.
            return str(data) if isinstance(block, blocks.DecimalBlock) else data
        if isinstance(data, float):
            if not data.is_integer():
                return self._refuse(pointer, _EXPECTED["integer"])
            data = int(data)
        if isinstance(block, blocks.ChooserBlock):
            return self._read_reference(block, data, pointer)
        return data

    def _read_text(self, block, data, pointer: str):
        if not isinstance(data, str):
            return self._refuse(pointer, _EXPECTED["string"])
        if "\x00" in data:
            return self._refuse(pointer, "Null characters are not allowed.")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return self._refuse(pointer, "Expected text in Unicode; lone surrogate characters are not allowed.")
        if isinstance(block, blocks.RichTextBlock):
            sanitised = sanitise_stored_rich_text(data)
            self.warnings += [
                {"pointer": pointer, "detail": f"{removal[0].upper()}{removal[1:]}."} for removal in sanitised.removals
            ]
            return sanitised.html
        for block_class, parse, message in _TEMPORAL:
            if isinstance(block, block_class):
                try:
                    parsed = parse(data)
                except ValueError:
                    parsed = None
                return data if parsed is not None else self._refuse(pointer, message)
        return data

    def _read_reference(self, block, pk: int, pointer: str):
        model = block.model_class
        if pk > _MAX_ID:
            return self._refuse(pointer, f"No {model._meta.verbose_name} has an id this large.")
        if pk < 1:
            return self._refuse(pointer, f"No {model._meta.verbose_name} with id {pk}.")
        self._references[model].append((pk, pointer))
        return pk

    def check_references(self) -> None:
        """The end of step 1: every chosen object must exist. A missing one reads as None in step 2."""
        for model, references in self._references.items():
            found = set(model._default_manager.filter(pk__in={pk for pk, _ in references}).values_list("pk", flat=True))
            for pk, pointer in references:
                if pk not in found:
                    self._refuse(pointer, f"No {model._meta.verbose_name} with id {pk}.")

    def error_entries(self, error: ValidationError, pointer: str, *, with_own_messages: bool = True) -> list[dict]:
        """Wagtail's nested block errors as `{"pointer", "detail"}` entries, pointing into the request body."""
        if isinstance(error, (StreamBlockValidationError, ListBlockValidationError, StructBlockValidationError)):
            judged = with_own_messages and pointer not in self.incomplete_streams
            entries = _messages(error.non_block_errors.as_data(), pointer) if judged else []
            value_pointers = self.container_pointers.get(pointer, [])
            for key, child_error in error.block_errors.items():
                if isinstance(error, StructBlockValidationError):
                    child_pointer = json_pointer(pointer, key)
                else:
                    child_pointer = value_pointers[key] if key < len(value_pointers) else f"{pointer}/{key}"
                entries += self.error_entries(child_error, child_pointer)
            return entries
        if hasattr(error, "error_dict"):
            return [
                entry
                for name, errors in error.error_dict.items()
                for child_error in errors
                for entry in self.error_entries(child_error, json_pointer(pointer, name))
            ]
        return _messages([error], pointer)


def _is_finite(number: int | float) -> bool:
    """Whether `number` is a finite float, or an integer that converts to one."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _messages(errors: list[ValidationError], pointer: str) -> list[dict]:
    return [{"pointer": pointer, "detail": str(message)} for error in errors for message in error.messages]


def _is_list_item_form(item) -> bool:
    """Whether a list item is in Wagtail's `{"type": "item", "value": …, "id": …}` form (the id may be left out)."""
    return (
        isinstance(item, dict)
        and item.get("type") == "item"
        and "value" in item
        and set(item) <= {"type", "value", "id"}
    )


def _empty_input(block):
    """What stands in for a refused value that must be there: it reads as the block's empty value."""
    if isinstance(block, blocks.StructBlock):
        return {}
    if isinstance(block, (blocks.ListBlock, blocks.BaseStreamBlock)):
        return []
    if isinstance(block, blocks.RichTextBlock):
        return ""
    return None
