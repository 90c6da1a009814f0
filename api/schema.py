"""
OpenAPI for the delivery API, generated from the block definitions.

`block_schema(block)` turns any Wagtail block into the JSON Schema of its API value:
struct blocks become objects, list blocks arrays, choice blocks enums, and so on. A block
whose API JSON is not the default declares `get_api_schema(self, default_schema)` next to
its `get_api_representation`, so the two are written side by side. A block type this module
does not know raises an error at schema generation instead of slipping through untyped.

`StreamSectionsFieldExtension` registers one component per section type
(`<Name>Section`, with `type`, `id` and `value`) and types the field as a `oneOf` of them,
discriminated by `type`. A new block therefore appears in the schema with no edits here.
"""

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.plumbing import ResolvedComponent
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


def section_component_name(name: str) -> str:
    """`feature_list` → `FeatureListSection`."""
    return "".join(part.capitalize() for part in name.split("_")) + "Section"


def only_public_api(endpoints):
    """drf-spectacular preprocessing hook: document this API only, not Wagtail's admin endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


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


def stream_child_union(stream_block, register) -> dict:
    """A `oneOf` over the stream's child blocks, discriminated by `type`; `register` turns a schema into a $ref."""
    options = []
    mapping = {}
    for name, child in stream_block.child_blocks.items():
        schema = section_schema(name, child)
        if register is not None:
            schema = register(section_component_name(name), schema)
            mapping[name] = schema["$ref"]
        options.append(schema)
    union = {"oneOf": options}
    if mapping:
        union["discriminator"] = {"propertyName": "type", "mapping": mapping}
    return union


def selectable_page_fields(result, generator, request, public):
    """
    drf-spectacular postprocessing hook: page fields can be left out with `?fields=`, so only `id` and
    `type` are required in page schemas; every field keeps its type.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("PageDetail") and "properties" in component:
            component["required"] = ["id", "type"]
    return result


def document_authentication_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: any operation answers 401 to a bad bearer token, even public reads."""
    unauthorized = {
        "description": "The bearer token is malformed, unknown, revoked or its user inactive.",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            operation.get("responses", {}).setdefault("401", unauthorized)
    return result


def document_rate_limits(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation can answer 429, with the same problem body."""
    too_many = {
        "description": "Rate limit exceeded; retry after `Retry-After` seconds.",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            operation.get("responses", {}).setdefault("429", too_many)
    return result


class SectionSchemaExtension(OpenApiSerializerExtension):
    """Types `SectionSerializer` as the union of every section type of every page type."""

    target_class = "api.serializers.SectionSerializer"

    def map_serializer(self, auto_schema, direction):
        from wagtail.fields import StreamField
        from wagtail.models import get_page_models

        field_extension = StreamSectionsFieldExtension(None)
        options = []
        mapping = {}
        for model in get_page_models():
            for field in model._meta.get_fields():
                if isinstance(field, StreamField) and field.model is model:
                    union = field_extension.union(auto_schema, field.stream_block)
                    for option in union["oneOf"]:
                        if option not in options:
                            options.append(option)
                    mapping.update(union.get("discriminator", {}).get("mapping", {}))
        return {"oneOf": options, "discriminator": {"propertyName": "type", "mapping": mapping}}


class StreamSectionsFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "api.serializers.StreamSectionsField"

    def union(self, auto_schema, stream_block) -> dict:
        """The `oneOf` of the stream's section components, registering each component once."""
        registry = auto_schema.registry

        def register(component_name: str, schema: dict) -> dict:
            component = ResolvedComponent(
                name=component_name, type=ResolvedComponent.SCHEMA, object=component_name, schema=schema
            )
            registry.register_on_missing(component)
            return component.ref

        return stream_child_union(stream_block, register)

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "array",
            "description": "The page's sections in display order; each section's `value` is typed by its `type`.",
            "items": self.union(auto_schema, self.target.stream_block),
        }


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents `Authorization: Bearer <token>` (Wagtail API tokens) as the `bearerAuth` security scheme."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A Wagtail API token (admin: Users → API tokens, or `manage.py create_api_token`).",
        }
