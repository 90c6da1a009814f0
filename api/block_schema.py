"""
The JSON Schema of a block's API value, generated from the block definitions.

`block_schema(block)` turns any Wagtail block into the JSON Schema of its API value:
struct blocks become objects, list blocks arrays, choice blocks enums, and so on. A block
whose API JSON is not the default declares `get_api_schema(self, default_schema)` next to
its `get_api_representation`, so the two are written side by side. A block type this module
does not know raises an error at schema generation instead of slipping through untyped.

`stream_child_union` makes the `oneOf` of a stream's section types, discriminated by `type`;
the read side (`api.schema`) and the write side (`api.sections_input.schema`) both use it.
"""

from django.core.exceptions import ImproperlyConfigured
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


def block_schema(block) -> dict:
    """The JSON Schema of `block`'s API representation."""
    if hasattr(block, "get_api_schema"):
        return block.get_api_schema(default_schema)
    return default_schema(block)


def _describe(schema: dict, block) -> dict:
    field = getattr(block, "field", None)
    help_text = getattr(field, "help_text", None) or getattr(block.meta, "help_text", None)
    if help_text:
        schema["description"] = str(help_text)
    return schema


def _nullable(schema: dict, block) -> dict:
    if getattr(block, "required", True):
        return schema
    return {**schema, "type": [schema["type"], "null"]}


def default_schema(block) -> dict:
    """The schema Wagtail's default `get_api_representation` produces for `block`, ignoring its own override."""
    if isinstance(block, blocks.StructBlock):
        return _describe(
            {
                "type": "object",
                "properties": {name: block_schema(child) for name, child in block.child_blocks.items()},
                "required": list(block.child_blocks),
            },
            block,
        )
    if isinstance(block, blocks.ListBlock):
        return _describe({"type": "array", "items": block_schema(block.child_block)}, block)
    if isinstance(block, blocks.StreamBlock):
        return _describe({"type": "array", "items": stream_child_union(block, register=None)}, block)
    if isinstance(block, (blocks.ChoiceBlock, blocks.MultipleChoiceBlock)):
        values = [str(value) for value, _label in block.field.choices if value != ""]
        if not block.required:
            values.append("")
        schema = {"type": "string", "enum": values}
        if isinstance(block, blocks.MultipleChoiceBlock):
            schema = {"type": "array", "items": schema}
        return _describe(schema, block)
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock, blocks.RegexBlock, blocks.EmailBlock)):
        schema = {"type": "string"}
        if getattr(block.field, "max_length", None):
            schema["maxLength"] = block.field.max_length
        return _describe(schema, block)
    if isinstance(block, blocks.URLBlock):
        return _describe({"type": "string"}, block)
    if isinstance(block, blocks.RichTextBlock):
        return _describe({"type": "string", "description": "Rich text."}, block)
    if isinstance(block, blocks.BooleanBlock):
        return _describe({"type": "boolean"}, block)
    if isinstance(block, blocks.IntegerBlock):
        return _describe(_nullable({"type": "integer"}, block), block)
    if isinstance(block, (blocks.FloatBlock, blocks.DecimalBlock)):
        return _describe(_nullable({"type": "number"}, block), block)
    if isinstance(block, blocks.DateBlock):
        return _describe(_nullable({"type": "string", "format": "date"}, block), block)
    if isinstance(block, blocks.DateTimeBlock):
        return _describe(_nullable({"type": "string", "format": "date-time"}, block), block)
    if isinstance(block, (blocks.PageChooserBlock, ImageChooserBlock, blocks.ChooserBlock)):
        return _describe(_nullable({"type": "integer", "description": "Id of the chosen object."}, block), block)
    raise ImproperlyConfigured(
        f"No API schema for {type(block).__name__}: give it a get_api_schema() beside its get_api_representation()."
    )


def section_component_name(name: str, suffix: str = "Section") -> str:
    """`feature_list` → `FeatureListSection` (or `FeatureListSectionInput` with that suffix)."""
    return "".join(part.capitalize() for part in name.split("_")) + suffix


def section_schema(name: str, block) -> dict:
    return {
        "type": "object",
        "description": str(getattr(block.meta, "description", "") or block.label),
        "properties": {
            "type": {"type": "string", "const": name},
            "id": {"type": "string", "format": "uuid", "description": "Stable id of this section."},
            "value": block_schema(block),
        },
        "required": ["type", "id", "value"],
    }


def stream_child_union(
    stream_block, register, section_schema=section_schema, component_name=section_component_name
) -> dict:
    """
    A `oneOf` over the stream's child blocks, discriminated by `type`; `register(component_name, schema)` turns
    a schema into a $ref. `section_schema(name, block)` and `component_name(name)` default to the read side's.
    """
    options = []
    mapping = {}
    for name, child in stream_block.child_blocks.items():
        schema = section_schema(name, child)
        if register is not None:
            schema = register(component_name(name), schema)
            mapping[name] = schema["$ref"]
        options.append(schema)
    union = {"oneOf": options}
    if mapping:
        union["discriminator"] = {"propertyName": "type", "mapping": mapping}
    return union
