"""
DRF fields for sections in the input format, typed in OpenAPI by api/schema.py.

    class ServicePageInputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=255)
        sections = SectionsInputField(ServicePage._meta.get_field("sections").stream_block)

`serializer.validated_data["sections"]` is then a `CleanSections`. A bad section raises
`InvalidBody` with pointers under the field's own path (`/sections/2/value/heading`), which
`serializer.is_valid()` lets through to the API's exception handler as it is.
"""

from rest_framework import serializers

from .cleaning import CleanSections, clean_section, clean_sections, section_input_value
from .reader import json_pointer


def field_pointer(field: serializers.Field) -> str:
    """The JSON pointer of a serializer field in the request body, e.g. "/sections"."""
    names = []
    while field is not None and field.field_name:
        names.append(field.field_name)
        field = field.parent
    pointer = ""
    for name in reversed(names):
        pointer = json_pointer(pointer, name)
    return pointer


class SectionsInputField(serializers.Field):
    """A StreamField's sections as a client writes them, `[{"type", "value", "id"?}, …]`, validated as a whole."""

    def __init__(self, stream_block, **kwargs):
        self.stream_block = stream_block
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> CleanSections:
        return clean_sections(self.stream_block, data, stream_pointer=field_pointer(self))

    def to_representation(self, value) -> list[dict]:
        if isinstance(value, CleanSections):
            return value.raw
        return [section_input_value(child) for child in value]


class SectionInputField(serializers.Field):
    """One section as a client writes it, `{"type", "value", "id"?}`, validated on its own (see `clean_section`)."""

    def __init__(self, stream_block, **kwargs):
        self.stream_block = stream_block
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> CleanSections:
        return clean_section(self.stream_block, data, field_pointer(self))

    def to_representation(self, value) -> dict:
        if isinstance(value, CleanSections):
            return value.raw[0]
        return section_input_value(value)
