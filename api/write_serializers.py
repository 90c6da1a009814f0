"""
Request and response bodies of the management API's writes.

Input serializers check a JSON body's members and types; `validate_body` runs one and reports
every error at once as `InvalidBody`, each with a JSON pointer into the body:

    serializer = ServicePageWriteSerializer(data=request.data, partial=True)
    data = validate_body(serializer)   # or 400: [{"pointer": "/sections/2/value/heading", "detail": …}, …]

A member the serializer does not know is an error too, so that a typo (`"titel"`) is not silently
ignored. Sections are checked by `api.sections_input` (the blocks' own validation); the model's own
rules (`full_clean`) by `model_errors`, once the values are on the page.

Every write answers with an envelope: the page (`PageWriteResultSerializer`) or the section
(`SectionWriteResultSerializer`) as the read API shows it, the revision the write saved, and the
`warnings` — what was changed in what the client sent, such as markup removed from rich text.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField, empty
from rest_framework.settings import api_settings

from pages.models import ServicePage

from .problems import InvalidBody
from .sections_input import SectionsInputField, section_input_component_name
from .sections_input.reader import json_pointer
from .serializers import SectionSerializer, detail_serializer_for


class SectionsField(SectionsInputField):
    """`SectionsInputField` whose errors are reported together with the other members' (see `validate_body`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body_errors: list[dict] = []

    def run_validation(self, data=empty):
        self.body_errors = []
        try:
            return super().run_validation(data)
        except InvalidBody as error:
            self.body_errors = error.body_errors
            raise SkipField() from None


def _pointer_errors(detail, pointer: str) -> list[dict]:
    """DRF's nested error detail as `{"pointer", "detail"}` entries under `pointer`."""
    if isinstance(detail, dict):
        return [
            error
            for name, value in detail.items()
            for error in _pointer_errors(
                value, pointer if name == api_settings.NON_FIELD_ERRORS_KEY else json_pointer(pointer, name)
            )
        ]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [{"pointer": pointer, "detail": str(item)} for item in detail]
        return [error for index, item in enumerate(detail) for error in _pointer_errors(item, f"{pointer}/{index}")]
    return [{"pointer": pointer, "detail": str(detail)}]


def validate_body(serializer: serializers.Serializer) -> dict:
    """`serializer.validated_data`, or `InvalidBody` listing every error in the body in field order."""
    data = serializer.initial_data
    if not isinstance(data, dict):
        raise InvalidBody(errors=[{"pointer": "", "detail": "Expected a JSON object."}])
    serializer.is_valid()
    errors = _pointer_errors(serializer.errors.get(api_settings.NON_FIELD_ERRORS_KEY, []), "")
    for name, field in serializer.fields.items():
        errors += _pointer_errors(serializer.errors.get(name, []), json_pointer("", name))
        errors += getattr(field, "body_errors", [])
    errors += [
        {"pointer": json_pointer("", name), "detail": "Unknown field."}
        for name in data
        if name not in serializer.fields
    ]
    if errors:
        raise InvalidBody(errors=errors)
    return serializer.validated_data


def model_errors(error: ValidationError) -> list[dict]:
    """A model's `full_clean()` errors as `{"pointer", "detail"}` entries: `/field`, or `""` for the whole body."""
    return [
        {"pointer": "" if name == NON_FIELD_ERRORS else json_pointer("", name), "detail": message}
        for name, messages in error.message_dict.items()
        for message in messages
    ]


class ServicePageWriteSerializer(serializers.ModelSerializer):
    """A service page's fields as a client writes them; on PATCH every member is optional."""

    slug = serializers.SlugField(
        max_length=255,
        allow_unicode=True,
        required=False,
        help_text="The page's name in its URL, unique among its siblings. When creating a page, leave it out "
        "to derive it from the title.",
    )
    sections = SectionsField(ServicePage._meta.get_field("sections").stream_block)

    class Meta:
        model = ServicePage
        fields = [
            "title",
            "slug",
            "summary",
            "technology_name",
            "listing_image",
            "seo_title",
            "search_description",
            "social_image",
            "canonical_url",
            "sections",
        ]
        extra_kwargs = {"listing_image": {"help_text": "Id of an image shown beside the summary in listings."}}


class ServicePageCreateSerializer(ServicePageWriteSerializer):
    """A new service page, saved as a draft under `parent`."""

    parent = serializers.IntegerField(
        min_value=1, help_text="Id of the page to create it under: a services index where you may add pages."
    )

    class Meta(ServicePageWriteSerializer.Meta):
        fields = ["parent", *ServicePageWriteSerializer.Meta.fields]


# The page types whose fields the API can change, with their input serializers.
WRITABLE_PAGE_TYPES = {ServicePage: ServicePageWriteSerializer}


@extend_schema_field(
    {
        "description": "An RFC 7396 JSON merge patch applied to the section's `value` as it is written "
        "(see the `…SectionInput` schemas): members you send replace theirs, objects merge member by member, "
        "`null` removes a member (the field then takes its default), arrays and anything else replace the "
        "whole value."
    }
)
class MergePatchField(serializers.JSONField):
    """Any JSON value: a merge patch for a section's value."""


class SectionEditSerializer(serializers.Serializer):
    """A change to one section: its value, its position, or both."""

    value = MergePatchField(required=False)
    position = serializers.IntegerField(
        required=False, min_value=0, help_text="Move the section to this index among the page's sections (0 = first)."
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send `value`, `position` or both.")
        return attrs


class SectionPositionSerializer(serializers.Serializer):
    """Where a new section goes; the section's own members (`type`, `value`, `id`) are checked by its block."""

    position = serializers.IntegerField(
        required=False, min_value=0, help_text="Index to insert the section at (0 = first); default: at the end."
    )


def new_section_schema(stream_block) -> dict:
    """
    The request body adding one section: a section in its input form (the `<Name>SectionInput`
    component of its type) plus `position`, as a `oneOf` discriminated by `type`.
    """
    position = {
        "type": "integer",
        "minimum": 0,
        "description": SectionPositionSerializer().fields["position"].help_text,
    }
    options = []
    for name in stream_block.child_blocks:
        component = f"#/components/schemas/{section_input_component_name(name)}"
        options.append(
            {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "const": name},
                    "id": {"$ref": f"{component}/properties/id"},
                    "value": {"$ref": f"{component}/properties/value"},
                    "position": position,
                },
                "required": ["type", "value"],
                "additionalProperties": False,
            }
        )
    return {"oneOf": options}


def sections_schema(stream_block) -> dict:
    """The request body replacing all sections: an array of `<Name>SectionInput`, discriminated by `type`."""
    refs = [f"#/components/schemas/{section_input_component_name(name)}" for name in stream_block.child_blocks]
    return {
        "type": "array",
        "description": "The page's sections in display order, as Wagtail stores them; `value` is typed by `type`.",
        "items": {
            "oneOf": [{"$ref": ref} for ref in refs],
            "discriminator": {
                "propertyName": "type",
                "mapping": dict(zip(stream_block.child_blocks, refs, strict=True)),
            },
        },
    }


class BodyWarningSerializer(serializers.Serializer):
    pointer = serializers.CharField(
        allow_blank=True, help_text="JSON pointer to the value in the request body, e.g. `/sections/2/value/body`."
    )
    detail = serializers.CharField(help_text="What was changed in it, e.g. which markup was removed.")

    class Meta:
        ref_name = "BodyWarning"


class WriteResultSerializer(serializers.Serializer):
    revision_id = serializers.IntegerField(
        help_text='The revision this write saved (a draft); the response\'s `ETag` is `"revision-<id>"` for a page.'
    )
    warnings = BodyWarningSerializer(
        many=True, help_text="What was changed in what you sent (e.g. markup removed from rich text); empty if nothing."
    )


class PageWriteResultSerializer(WriteResultSerializer):
    """The page after the write, as `?version=draft` reads it."""

    page = detail_serializer_for(ServicePage)(read_only=True)

    class Meta:
        ref_name = "PageWriteResult"


class SectionWriteResultSerializer(WriteResultSerializer):
    """The section after the write, as `GET …/sections/<id>/?version=draft` reads it; the `ETag` is the section's."""

    section = SectionSerializer(read_only=True)

    class Meta:
        ref_name = "SectionWriteResult"
