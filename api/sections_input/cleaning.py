"""`clean_sections`: sections in the input format → a validated StreamValue, or `InvalidBody` with every error."""

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from wagtail.blocks.stream_block import StreamValue

from ..problems import InvalidBody
from .reader import InputReader


@dataclass
class CleanSections:
    """Sections that passed `clean_sections`."""

    value: StreamValue  # validated, ready for `page.sections = result.value`
    raw: list[dict]  # the stored form [{"type", "value", "id"}, …], ids kept or assigned
    warnings: list[dict]  # [{"pointer": "/sections/2/value/body", "detail": "Removed <script> element."}]


def clean_sections(
    stream_block, items: list, pointers: list[str] | None = None, stream_pointer: str = "/sections"
) -> CleanSections:
    """
    Validate `items` (sections in the input format) as the whole content of `stream_block`.

    `pointers[i]` is where item i sits in the request body (default `f"{stream_pointer}/{i}"`);
    errors about the stream as a whole (two heroes, too few sections) point at `stream_pointer`.
    Raises `InvalidBody` listing every error found.
    """
    return _clean(stream_block, items, pointers, stream_pointer, whole_stream=True)


def clean_section(stream_block, item, pointer: str = "") -> CleanSections:
    """
    Validate one section on its own (`.raw[0]` is its stored form); errors point under `pointer`.

    How many sections of each type a page may have is not checked here: that is a question for the
    page's whole stream, to put to `clean_sections` once the section is in its place.
    """
    return _clean(stream_block, [item], [pointer], pointer, whole_stream=False)


def section_input_value(child) -> dict:
    """An existing section (a StreamChild) in the input format: sent back as it is, it leaves the section unchanged."""
    section = {"type": child.block_type}
    if child.id:
        section["id"] = child.id
    section["value"] = as_stored_json(child.block.get_prep_value(child.value))
    return section


def as_stored_json(prep_value):
    """A prep value as the database keeps it: dates as ISO strings, decimals as strings (Wagtail's JSON encoder)."""
    return json.loads(json.dumps(prep_value, cls=DjangoJSONEncoder))


def _clean(stream_block, items, pointers, stream_pointer: str, *, whole_stream: bool) -> CleanSections:
    if not isinstance(items, list):
        raise InvalidBody(errors=[{"pointer": stream_pointer, "detail": "Expected an array of sections."}])
    if pointers is None:
        pointers = [f"{stream_pointer}/{index}" for index in range(len(items))]
    if len(pointers) != len(items):
        raise ValueError(f"{len(items)} sections but {len(pointers)} pointers")

    # Step 1: the JSON's shape, and the objects it chooses.
    reader = InputReader()
    sections = reader.read_stream_children(stream_block, items, stream_pointer, pointers)
    reader.check_references()

    # Steps 2 and 3: Wagtail reads the sections and validates them as the admin does.
    try:
        value = stream_block.clean(stream_block.to_python(sections))
    except ValidationError as error:
        refused = [entry["pointer"] for entry in reader.errors]
        reader.errors += [
            entry
            for entry in reader.error_entries(error, stream_pointer, with_own_messages=whole_stream)
            if not any(entry["pointer"] == pointer or entry["pointer"].startswith(f"{pointer}/") for pointer in refused)
        ]
    if reader.errors:
        raise InvalidBody(errors=_in_document_order(reader.errors, pointers))
    return CleanSections(value=value, raw=as_stored_json(stream_block.get_prep_value(value)), warnings=reader.warnings)


def _in_document_order(errors: list[dict], pointers: list[str]) -> list[dict]:
    """Errors about the stream as a whole first, then each section's, in the order of the sections."""

    def section_index(error: dict) -> int:
        for index, pointer in enumerate(pointers):
            if error["pointer"] == pointer or error["pointer"].startswith(f"{pointer}/"):
                return index
        return -1

    return sorted(errors, key=section_index)
