"""
OpenAPI for the delivery API, generated from the block definitions.

The JSON Schema of each block's value comes from `api.block_schema`. The drf-spectacular
extensions and postprocessing hooks here put them in the document:

`StreamSectionsFieldExtension` registers one component per section type
(`<Name>Section`, with `type`, `id` and `value`) and types the field as a `oneOf` of them,
discriminated by `type`. A new block therefore appears in the schema with no edits here.

Writes take sections in another shape (ids instead of objects, rich text as Wagtail stores it):
`api.sections_input.schema` describes it, and `SectionsInputFieldExtension` /
`SectionInputFieldExtension` type the management API's section fields with one
`<Name>SectionInput` component per section type.
"""

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.plumbing import ResolvedComponent
from wagtail.fields import StreamField
from wagtail.models import get_page_models

from .block_schema import stream_child_union
from .sections_input import schema as input_schema


def only_public_api(endpoints):
    """drf-spectacular preprocessing hook: document this API only, not Wagtail's admin endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def selectable_page_fields(result, generator, request, public):
    """
    drf-spectacular postprocessing hook: page fields can be left out with `?fields=`, so only `id` and
    `type` are required in page schemas; every field keeps its type.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("PageDetail") and "properties" in component:
            component["required"] = ["id", "type"]
    return result


def _operations(result):
    """Every operation of the document, across paths and methods."""
    for path_item in result.get("paths", {}).values():
        yield from path_item.values()


def _document_problem_response(result, status_code: str, description: str):
    """Adds a `status_code` problem response to every operation that does not describe one already."""
    problem = {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for operation in _operations(result):
        operation.get("responses", {}).setdefault(status_code, problem)
    return result


def document_authentication_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: any operation answers 401 to a bad bearer token, even public reads."""
    return _document_problem_response(
        result, "401", "The bearer token is malformed, unknown, revoked or its user inactive."
    )


def document_rate_limits(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation can answer 429, with the same problem body."""
    return _document_problem_response(result, "429", "Rate limit exceeded; retry after `Retry-After` seconds.")


def document_service_unavailable(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation answers 503 while the database is unreachable."""
    return _document_problem_response(
        result, "503", "The database is briefly unreachable; retry after `Retry-After` seconds."
    )


def document_empty_query_parameters(result, generator, request, public):
    """
    drf-spectacular postprocessing hook: an optional query parameter sent empty (`?search=`) counts as not
    given, because DRF reads a query string as it reads a form; `allowEmptyValue` documents that.
    """
    for operation in _operations(result):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
    return result


def document_rate_limit_headers(result, generator, request, public):
    """
    drf-spectacular postprocessing hook: the `RateLimit-*` headers on every response (left out only while
    the cache is unreachable), and `Retry-After` on every 429 and 503. Runs after the hooks adding those.
    """
    seconds = {"type": "integer", "minimum": 0}
    rate_limit_headers = {
        "RateLimit-Limit": {"description": "Requests allowed in the current window.", "schema": seconds},
        "RateLimit-Remaining": {"description": "Requests left in the current window.", "schema": seconds},
        "RateLimit-Reset": {"description": "Seconds until the current window ends.", "schema": seconds},
    }
    retry_after = {"description": "Seconds to wait before retrying.", "required": True, "schema": seconds}
    for operation in _operations(result):
        for status_code, response in operation.get("responses", {}).items():
            headers = {**response.get("headers", {}), **rate_limit_headers}
            if status_code in ("429", "503"):
                headers["Retry-After"] = retry_after
            response["headers"] = headers
    return result


def document_section_inputs(result, generator, request, public):
    """
    drf-spectacular postprocessing hook: a `<Name>SectionInput` component (the write schema of one section type,
    see `api.sections_input`) for every section type of every page type, whether or not an operation refers to it.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for stream_block in page_stream_blocks(get_page_models()):
        for name, child in stream_block.child_blocks.items():
            schemas.setdefault(
                input_schema.section_input_component_name(name), input_schema.section_input_schema(name, child)
            )
    return result


def page_stream_blocks(page_models):
    """The stream block of each StreamField the page models declare (not those they inherit)."""
    for model in page_models:
        for field in model._meta.get_fields():
            if isinstance(field, StreamField) and field.model is model:
                yield field.stream_block


def component_registrar(auto_schema):
    """`register(component_name, schema)` for the unions above: registers the component once, returns its `$ref`."""

    def register(component_name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=component_name, type=ResolvedComponent.SCHEMA, object=component_name, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref

    return register


class SectionSchemaExtension(OpenApiSerializerExtension):
    """Types `SectionSerializer` as the union of every section type of every page type."""

    target_class = "api.serializers.SectionSerializer"

    def map_serializer(self, auto_schema, direction):
        field_extension = StreamSectionsFieldExtension(None)
        options = []
        mapping = {}
        for stream_block in page_stream_blocks(get_page_models()):
            union = field_extension.union(auto_schema, stream_block)
            for option in union["oneOf"]:
                if option not in options:
                    options.append(option)
            mapping.update(union.get("discriminator", {}).get("mapping", {}))
        return {"oneOf": options, "discriminator": {"propertyName": "type", "mapping": mapping}}


class StreamSectionsFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "api.serializers.StreamSectionsField"

    def union(self, auto_schema, stream_block) -> dict:
        """The `oneOf` of the stream's section components, registering each component once."""
        return stream_child_union(stream_block, component_registrar(auto_schema))

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "array",
            "description": "The page's sections in display order; each section's `value` is typed by its `type`.",
            "items": self.union(auto_schema, self.target.stream_block),
        }


class SectionsInputFieldExtension(OpenApiSerializerFieldExtension):
    """Types `SectionsInputField` as an array of `<Name>SectionInput` components, discriminated by `type`."""

    target_class = "api.sections_input.fields.SectionsInputField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "array",
            "description": "The page's sections in display order, as Wagtail stores them; `value` is typed by `type`.",
            "items": input_schema.section_input_union(self.target.stream_block, component_registrar(auto_schema)),
        }


class SectionInputFieldExtension(OpenApiSerializerFieldExtension):
    """Types `SectionInputField` as the `oneOf` of `<Name>SectionInput` components, discriminated by `type`."""

    target_class = "api.sections_input.fields.SectionInputField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return input_schema.section_input_union(self.target.stream_block, component_registrar(auto_schema))


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
