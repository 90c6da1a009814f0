"""
Sections sent by API clients, turned into validated StreamField values.

A client writes a section as Wagtail stores it (the block's `get_prep_value`), and gets an
existing section in that form from `section_input_value`:

    [
      {"type": "text", "id": "0c7e5a4e-…", "value": {"heading": "Why Flask", "body": "<p>Small and <b>fast</b>.</p>"}},
      {"type": "image", "value": {"image": {"image": 12, "alt_text": "Our team", "decorative": false}}}
    ]

Struct blocks are objects of their fields (a field left out takes its default, as in the admin),
list blocks arrays of values (or of Wagtail's `{"type": "item", "value": …, "id": …}`), choosers
the id of an existing object, images `{"image": id, "alt_text": …, "decorative": …}` (null for an
optional one left empty), rich text Wagtail's database HTML (`<a linktype="page" id="3">`).

`clean_sections` checks sections in three steps and raises `InvalidBody` listing every error by
JSON pointer (`/sections/3/value/items/1/title`):

1. the JSON against the block tree (`reader`): JSON types, section types, field names, ids, and
   that chosen images, pages and snippets exist (one query per model);
2. `to_python`, which reads the JSON as Wagtail reads stored sections;
3. the stream block's `clean()`: the validation the admin runs (required fields, lengths, choices,
   our blocks' own checks, how many sections of each type a page may have).

A field refused in step 1 is left out for step 3, so the client also hears what else is wrong
with the section; what step 3 says about a refused field is not repeated. Rich text is sanitised
as its blocks store it, and each removal comes back as a warning at the rich text's pointer.

`clean_section` checks one section on its own (the stream's counts are left for `clean_sections`).
`SectionsInputField` and `SectionInputField` run the same checks in DRF serializers. `schema`
describes the input format in JSON Schema; api/schema.py registers one `<Name>SectionInput`
component per section type from it.
"""

from .cleaning import CleanSections, clean_section, clean_sections, section_input_value
from .fields import SectionInputField, SectionsInputField
from .schema import block_input_schema, section_input_component_name, section_input_schema

__all__ = [
    "CleanSections",
    "SectionInputField",
    "SectionsInputField",
    "block_input_schema",
    "clean_section",
    "clean_sections",
    "section_input_component_name",
    "section_input_schema",
    "section_input_value",
]
