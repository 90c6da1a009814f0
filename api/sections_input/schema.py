"""
JSON Schema of the section input format, generated from the block definitions.

`block_input_schema(block)` describes exactly what `InputReader` accepts for `block`: struct
blocks are closed objects whose `required` lists the fields that cannot be left out, list
blocks arrays of values or `{"type": "item", …}` items, choosers ids, rich text strings.
Limits that Wagtail's `clean()` enforces (maxLength, enums, minItems) are stated as well. A
block may refine its schema with `get_api_input_schema(self, default_input_schema)` beside its
`get_prep_value`, as blocks declare `get_api_schema` for the read side; what the reader accepts
follows the block's kind, so a block storing JSON unlike its kind's must be taught to the reader too.

api/schema.py registers `section_input_schema` of each section type as the `<Name>SectionInput`
component and types `SectionsInputField` / `SectionInputField` with them.
"""

from django.core.validators import EMPTY_VALUES
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from pages.rich_text import STORED_TAGS

from ..block_schema import section_component_name, stream_child_union
from .reader import UUID_PATTERN, field_input_type

RICH_TEXT_INPUT = (
    f"Rich text in Wagtail's database format, with the editor's elements ({', '.join(sorted(STORED_TAGS))}); "
    'links as <a href="https://…"> or, to a page, <a linktype="page" id="3">. '
    "Anything else is removed and reported as a warning."
)


def item_id_schema(description: str) -> dict:
    return {"type": "string", "format": "uuid", "pattern": UUID_PATTERN, "description": description}


def block_input_schema(block) -> dict:
    """The JSON Schema of what a client sends for `block`."""
    if hasattr(block, "get_api_input_schema"):
        return block.get_api_input_schema(default_input_schema)
    return default_input_schema(block)


def default_input_schema(block) -> dict:
    """The schema of `block`'s stored JSON, ignoring the block's own `get_api_input_schema`."""
    if isinstance(block, ImageBlock):
        return _describe(_image_schema(block), block)
    if isinstance(block, blocks.StructBlock):
        return _describe(_struct_schema(block), block)
    if isinstance(block, blocks.ListBlock):
        return _describe(_list_schema(block), block)
    if isinstance(block, blocks.BaseStreamBlock):
        return _describe({"type": "array", "items": section_input_union(block)}, block)
    if isinstance(block, blocks.StaticBlock):
        return {"type": "null"}
    return _describe(_field_schema(block), block)


def section_input_component_name(name: str) -> str:
    """`feature_list` → `FeatureListSectionInput`."""
    return section_component_name(name, suffix="SectionInput")


def section_input_schema(name: str, block) -> dict:
    """One section of type `name` as a client writes it: `type`, `value` and, to keep a section's id, `id`."""
    return {
        "type": "object",
        "description": str(getattr(block.meta, "description", "") or block.label),
        "properties": {
            "type": {"type": "string", "const": name},
            "id": item_id_schema("The section's id: send it to keep the section's id, leave it out for a new one."),
            "value": block_input_schema(block),
        },
        "required": ["type", "value"],
        "additionalProperties": False,
    }


def section_input_union(stream_block, register=None) -> dict:
    """A `oneOf` of the stream's section inputs; `register(component_name, schema)` turns each into a `$ref`."""
    return stream_child_union(stream_block, register, section_input_schema, section_input_component_name)


def must_be_sent(block) -> bool:
    """Whether a struct field left out fails validation, because its default value would."""
    if isinstance(block, ImageBlock):
        return block.child_blocks["image"].required
    if isinstance(block, blocks.StructBlock):
        return getattr(block, "required", False) or any(must_be_sent(child) for child in block.child_blocks.values())
    if isinstance(block, blocks.ListBlock):
        return bool(block.meta.min_num) and not block.meta.default
    if isinstance(block, blocks.BaseStreamBlock):
        return block.required and not block.meta.default
    default = block.meta.default
    is_empty = default in EMPTY_VALUES or (isinstance(block, blocks.BooleanBlock) and not default)
    return block.required and is_empty


def _describe(schema: dict, block) -> dict:
    """Adds the field's help text after what the schema already says."""
    field = getattr(block, "field", None)
    help_text = getattr(field, "help_text", None) or getattr(block.meta, "help_text", None)
    if help_text:
        schema["description"] = " ".join(filter(None, [schema.get("description"), str(help_text)]))
    return schema


def _struct_schema(block) -> dict:
    schema = {
        "type": "object",
        "properties": {name: block_input_schema(child) for name, child in block.child_blocks.items()},
        "additionalProperties": False,
    }
    required = [name for name, child in block.child_blocks.items() if must_be_sent(child)]
    if required:
        schema["required"] = required
    return schema


def _image_schema(block) -> dict:
    """Wagtail's ImageBlock: `{"image": id, "alt_text": …, "decorative": …}`, or null for an optional one left empty."""
    schema = _struct_schema(block)
    schema["description"] = "An image with its alt text; give alt text or mark the image decorative."
    if not block.child_blocks["image"].required:
        schema["type"] = ["object", "null"]
    return schema


def _list_schema(block) -> dict:
    item = block_input_schema(block.child_block)
    item_form = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "const": "item"},
            "value": item,
            "id": item_id_schema("The item's id: send it to keep the item's id, leave it out for a new one."),
        },
        "required": ["type", "value"],
        "additionalProperties": False,
    }
    schema = {
        "type": "array",
        "description": 'Each item is its value, or `{"type": "item", "value": …, "id": …}` as Wagtail stores it.',
        "items": {"anyOf": [item, item_form]},
    }
    if block.meta.min_num:
        schema["minItems"] = block.meta.min_num
    if block.meta.max_num is not None:
        schema["maxItems"] = block.meta.max_num
    return schema


def _field_schema(block) -> dict:
    json_type = field_input_type(block)
    if isinstance(block, blocks.ChooserBlock):
        schema = {
            "type": "integer",
            "minimum": 1,
            "description": f"Id of an existing {block.model_class._meta.verbose_name}.",
        }
    elif isinstance(block, blocks.MultipleChoiceBlock):
        schema = {"type": "array", "items": {"type": "string", "enum": _choice_values(block)}}
    elif isinstance(block, blocks.ChoiceBlock):
        schema = {"type": "string", "enum": _choice_values(block)}
    elif isinstance(block, blocks.RichTextBlock):
        schema = {"type": "string", "description": RICH_TEXT_INPUT}
    elif isinstance(block, blocks.DateTimeBlock):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(block, blocks.DateBlock):
        schema = {"type": "string", "format": "date"}
    elif isinstance(block, blocks.TimeBlock):
        schema = {"type": "string", "format": "time"}
    else:
        schema = {"type": json_type}
        _add_limits(schema, block.field)
        if isinstance(block, blocks.URLBlock):
            schema["format"] = "uri"
        elif isinstance(block, blocks.EmailBlock):
            schema["format"] = "email"
    if block.required:
        return schema
    schema["type"] = [schema["type"], "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _add_limits(schema: dict, field) -> None:
    """The form field's length and range limits, which Wagtail's `clean()` enforces."""
    limits = {"maxLength": "max_length", "minLength": "min_length", "maximum": "max_value", "minimum": "min_value"}
    for keyword, attribute in limits.items():
        if getattr(field, attribute, None) is not None:
            schema[keyword] = getattr(field, attribute)


def _choice_values(block) -> list[str]:
    """The values `clean()` accepts: every choice, and "" when the field may be left blank."""
    values = [str(value) for value, _label in block.field.choices if value != ""]
    return values if block.required else [*values, ""]
