"""Sections written by API clients: validation through the real blocks, errors by JSON pointer, write schemas."""

import copy
import json
import uuid

import pytest
import wagtail_factories
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail import blocks

from api.problems import InvalidBody
from api.sections_input import (
    SectionInputField,
    SectionsInputField,
    block_input_schema,
    clean_section,
    clean_sections,
    section_input_component_name,
    section_input_value,
)
from pages.models import CallToAction, ServicePage
from tests.factories import service_page_with_every_section

from .conftest import SPEC_URI

pytestmark = pytest.mark.django_db

STREAM_BLOCK = ServicePage._meta.get_field("sections").stream_block
SECTION_TYPES = list(STREAM_BLOCK.child_blocks)


@pytest.fixture
def page_with_every_section(services_index):
    """A saved service page with one section of every type, images and a shared call to action included."""
    shared = CallToAction.objects.create(
        name="Audit", heading="Get a code audit", text="We review your app.", button_label="Book", link_url="/audit/"
    )
    page = service_page_with_every_section(services_index, slug="everything", shared_call_to_action=shared)
    return ServicePage.objects.get(pk=page.pk)


@pytest.fixture
def image():
    return wagtail_factories.ImageFactory()


def text_section(**value) -> dict:
    return {"type": "text", "value": {"heading": "Why Flask", "body": "<p>Small.</p>", **value}}


def feature_list(*items, **value) -> dict:
    return {"type": "feature_list", "value": {"heading": "Advantages", "items": list(items), **value}}


def errors_of(items, stream_block=STREAM_BLOCK, **kwargs) -> list[dict]:
    with pytest.raises(InvalidBody) as raised:
        clean_sections(stream_block, items, **kwargs)
    return raised.value.body_errors


def pointers_of(items, **kwargs) -> list[str]:
    return [error["pointer"] for error in errors_of(items, **kwargs)]


def test_the_fixture_has_every_section_type(page_with_every_section):
    assert [section.block_type for section in page_with_every_section.sections] == SECTION_TYPES


def test_every_section_type_round_trips_with_its_ids(page_with_every_section):
    items = [section_input_value(section) for section in page_with_every_section.sections]

    result = clean_sections(STREAM_BLOCK, copy.deepcopy(items))

    assert result.raw == items
    assert result.warnings == []
    assert [section.id for section in result.value] == [section.id for section in page_with_every_section.sections]
    assert page_with_every_section.sections.get_prep_value() == items


def test_the_clean_value_saves_as_the_page_sections(page_with_every_section):
    items = [section_input_value(section) for section in page_with_every_section.sections]
    items[2]["value"]["heading"] = "Why Django"

    page_with_every_section.sections = clean_sections(STREAM_BLOCK, items).value
    page_with_every_section.save()

    page = ServicePage.objects.get(pk=page_with_every_section.pk)
    assert page.sections[2].value["heading"] == "Why Django"
    assert page.sections.get_prep_value() == items


def test_new_sections_and_list_items_get_ids(image):
    result = clean_sections(
        STREAM_BLOCK,
        [
            feature_list(
                {"title": "Fast", "text": "Very."}, {"type": "item", "value": {"title": "Small", "text": "Yes."}}
            ),
            {"type": "image", "value": {"image": {"image": image.pk, "alt_text": "A team", "decorative": False}}},
        ],
    )

    section_ids = [section["id"] for section in result.raw]
    item_ids = [item["id"] for item in result.raw[0]["value"]["items"]]
    assert all(uuid.UUID(value) for value in section_ids + item_ids)
    assert len(set(section_ids + item_ids)) == 4
    assert [item["value"]["title"] for item in result.raw[0]["value"]["items"]] == ["Fast", "Small"]
    assert result.raw[1]["value"]["image"] == {"image": image.pk, "alt_text": "A team", "decorative": False}


def test_left_out_fields_take_their_defaults():
    result = clean_sections(STREAM_BLOCK, [feature_list({"title": "Fast", "text": "Very."})])

    value = result.raw[0]["value"]
    assert value["kind"] == "advantages"
    assert value["intro"] == ""
    assert value["items"][0]["value"]["icon"] == ""


def test_an_optional_image_may_be_null():
    result = clean_sections(
        STREAM_BLOCK,
        [{"type": "testimonial", "value": {"quote": "Great.", "name": "Jo", "role": "CTO", "photo": None}}],
    )

    assert result.raw[0]["value"]["photo"] == {"image": None, "alt_text": None, "decorative": None}


def test_a_missing_required_field_deep_in_a_list_is_pointed_at():
    errors = errors_of([{"type": "intro", "value": {"lead": "Hello."}}, feature_list({"text": "No title."})])

    assert errors == [{"pointer": "/sections/1/value/items/0/title", "detail": "This field is required."}]


def test_errors_in_items_written_in_wagtails_form_point_at_the_value():
    errors = errors_of([feature_list({"type": "item", "value": {"text": "No title."}, "id": str(uuid.uuid4())})])

    assert errors == [{"pointer": "/sections/0/value/items/0/value/title", "detail": "This field is required."}]


def test_too_long_text_is_refused_with_its_limit():
    errors = errors_of([text_section(heading="x" * 121)])

    assert errors == [
        {
            "pointer": "/sections/0/value/heading",
            "detail": "Ensure this value has at most 120 characters (it has 121).",
        }
    ]


def test_a_choice_not_offered_is_refused():
    errors = errors_of([feature_list({"title": "Fast", "text": "Very.", "icon": "rocket"}, kind="pros")])

    assert [error["pointer"] for error in errors] == ["/sections/0/value/kind", "/sections/0/value/items/0/icon"]
    assert all(error["detail"].startswith("Select a valid choice.") for error in errors)


def test_an_unknown_section_type_is_refused():
    errors = errors_of([{"type": "carousel", "value": {}}])

    assert errors == [
        {"pointer": "/sections/0/type", "detail": f"Unknown type. The types are {', '.join(SECTION_TYPES)}."}
    ]


@pytest.mark.parametrize(
    ("section", "pointer", "detail"),
    [
        ("text", "/sections/0", "Expected an object with type, value and optionally id."),
        (
            {"type": "text", "value": ["Why Flask"]},
            "/sections/0/value",
            "Expected an object with the fields heading, body.",
        ),
        (text_section(heading=12), "/sections/0/value/heading", "Expected a string."),
        (text_section(body={"html": "<p>Hi</p>"}), "/sections/0/value/body", "Expected a string."),
        (feature_list(items={"title": "Fast"}), "/sections/0/value/items", "Expected an array."),
        (feature_list("Fast"), "/sections/0/value/items/0", "Expected an object with the fields title, text, icon."),
        (feature_list({"title": ["Fast"], "text": "Very."}), "/sections/0/value/items/0/title", "Expected a string."),
        (
            {"type": "image", "value": {"image": 3}},
            "/sections/0/value/image",
            "Expected an object with the fields image, decorative, alt_text.",
        ),
        (
            {"type": "image", "value": {"image": {"image": "3", "alt_text": "A team"}}},
            "/sections/0/value/image/image",
            "Expected an integer.",
        ),
        ({"type": "shared_call_to_action", "value": True}, "/sections/0/value", "Expected an integer."),
        ({"type": "text"}, "/sections/0/value", "This field is required."),
        (text_section(heading=None), "/sections/0/value/heading", "This field is required."),
        (text_section(subtitle="Hi"), "/sections/0/value/subtitle", "Unknown field. The fields are heading, body."),
        ({**text_section(), "order": 1}, "/sections/0/order", "Unknown field. The fields are type, value and id."),
        (text_section(heading="a\x00b"), "/sections/0/value/heading", "Null characters are not allowed."),
        (
            text_section(heading="a\ud800"),
            "/sections/0/value/heading",
            "Expected text in Unicode; lone surrogate characters are not allowed.",
        ),
    ],
)
def test_a_wrong_json_type_is_pointed_at_at_any_depth(section, pointer, detail):
    assert errors_of([section]) == [{"pointer": pointer, "detail": detail}]


def test_unknown_key_pointers_are_escaped():
    assert pointers_of([text_section(**{"a/b~c": 1})]) == ["/sections/0/value/a~1b~0c"]


def test_image_fields_are_checked_one_by_one(image):
    errors = errors_of([{"type": "image", "value": {"image": {"image": image.pk, "decorative": "yes", "alt_text": 3}}}])

    assert errors == [
        {"pointer": "/sections/0/value/image/decorative", "detail": "Expected true or false."},
        {"pointer": "/sections/0/value/image/alt_text", "detail": "Expected a string."},
    ]


def test_objects_that_do_not_exist_are_named(image):
    errors = errors_of(
        [
            {"type": "image", "value": {"image": {"image": 999999, "alt_text": "Gone"}}},
            {"type": "shared_call_to_action", "value": 999999},
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Hire us",
                    "text": "Now.",
                    "button_label": "Go",
                    "button_page": 2**40,
                    "button_url": "/contact/",
                },
            },
            {"type": "image", "value": {"image": {"image": 2**70, "alt_text": "Huge"}}},
        ]
    )

    assert errors == [
        {"pointer": "/sections/0/value/image/image", "detail": "No image with id 999999."},
        {"pointer": "/sections/1/value", "detail": "No call to action with id 999999."},
        {"pointer": "/sections/2/value/button_page", "detail": f"No page with id {2**40}."},
        {"pointer": "/sections/3/value/image/image", "detail": "No image has an id this large."},
    ]


def test_a_second_hero_is_a_stream_error():
    hero = {
        "type": "hero",
        "value": {"heading": "Flask", "lead": "Lean.", "primary_button": {"label": "Talk", "url": "/contact/"}},
    }

    errors = errors_of([hero, text_section(), copy.deepcopy(hero)])

    assert errors == [{"pointer": "/sections", "detail": "Hero: The maximum number of items is 1"}]


def test_an_empty_page_is_refused():
    assert errors_of([]) == [{"pointer": "/sections", "detail": "This field is required."}]


def test_sections_must_come_as_an_array():
    assert errors_of({"type": "text"}) == [{"pointer": "/sections", "detail": "Expected an array of sections."}]


def test_malformed_and_repeated_ids_are_refused():
    same = str(uuid.uuid4())
    errors = errors_of(
        [
            {**text_section(), "id": same},
            {**text_section(), "id": same.upper()},
            {**text_section(), "id": "section-3"},
            {**text_section(), "id": 4},
        ]
    )

    assert [error["pointer"] for error in errors] == ["/sections/1/id", "/sections/2/id", "/sections/3/id"]
    assert errors[0]["detail"] == "Another item of this list has the same id."


def test_ids_are_kept_in_lower_case():
    given_id = str(uuid.uuid4())

    result = clean_sections(STREAM_BLOCK, [{**text_section(), "id": given_id.upper()}])

    assert result.raw[0]["id"] == given_id


def test_a_block_own_cross_field_check_points_at_its_fields():
    errors = errors_of(
        [
            {
                "type": "hero",
                "value": {"heading": "Flask", "lead": "Lean.", "primary_button": {"label": "Talk"}},
            },
            {
                "type": "call_to_action",
                "value": {"heading": "Hire", "text": "Now.", "button_label": "Go", "button_url": "https://[broken"},
            },
        ]
    )

    assert [error["pointer"] for error in errors] == [
        "/sections/0/value/primary_button/url",
        "/sections/1/value/button_url",
    ]
    assert errors[0]["detail"] == "The button needs a target: choose a page or enter a URL."
    assert errors[1]["detail"].startswith("Enter a full URL starting with https://")


def test_every_error_is_reported_at_once():
    errors = errors_of(
        [
            text_section(heading="x" * 200, body=7),
            {"type": "intro", "value": "One."},
            feature_list({"title": "Fast"}, {"text": "No title."}, kind="pros"),
            {"type": "intro", "value": {"lead": "Two."}},
        ]
    )

    assert [error["pointer"] for error in errors] == [
        "/sections",
        "/sections/0/value/body",
        "/sections/0/value/heading",
        "/sections/1/value",
        "/sections/2/value/kind",
        "/sections/2/value/items/0/text",
        "/sections/2/value/items/1/title",
    ]


def test_what_was_refused_is_not_reported_twice():
    errors = errors_of([feature_list(items="Fast, small"), {"type": "text", "value": {"heading": 1, "body": 2}}])

    assert errors == [
        {"pointer": "/sections/0/value/items", "detail": "Expected an array."},
        {"pointer": "/sections/1/value/heading", "detail": "Expected a string."},
        {"pointer": "/sections/1/value/body", "detail": "Expected a string."},
    ]


def test_errors_point_where_the_caller_says_the_sections_are():
    pointers = pointers_of(
        [text_section(), text_section(heading=""), {"type": "hero", "value": {}}, {"type": "hero", "value": {}}],
        pointers=["/sections/0", "/section", "/sections/1", "/sections/2"],
    )

    assert pointers == [
        "/sections",
        "/section/value/heading",
        "/sections/1/value/heading",
        "/sections/1/value/lead",
        "/sections/1/value/primary_button/label",
        "/sections/2/value/heading",
        "/sections/2/value/lead",
        "/sections/2/value/primary_button/label",
    ]


def test_one_section_is_checked_on_its_own():
    hero = {"type": "hero", "value": {"heading": "", "lead": "Lean.", "primary_button": {"label": "Go", "url": "/"}}}

    with pytest.raises(InvalidBody) as raised:
        clean_section(STREAM_BLOCK, hero)

    assert raised.value.body_errors == [{"pointer": "/value/heading", "detail": "This field is required."}]
    hero["value"]["heading"] = "Flask"
    assert clean_section(STREAM_BLOCK, hero).raw[0]["value"]["heading"] == "Flask"


def test_unsafe_rich_text_comes_back_clean_with_warnings():
    body = '<p>Hi<script>alert(1)</script> <a href="javascript:alert(1)">there</a></p>'
    faq = {
        "type": "faq",
        "value": {"heading": "FAQ", "items": [{"question": "Why?", "answer": "<p onclick='x()'>So.</p>"}]},
    }

    result = clean_sections(STREAM_BLOCK, [text_section(body=body), faq])

    assert result.raw[0]["value"]["body"] == "<p>Hi <a>there</a></p>"
    assert result.raw[1]["value"]["items"][0]["value"]["answer"] == "<p>So.</p>"
    assert result.warnings == [
        {"pointer": "/sections/0/value/body", "detail": "Removed <script> element."},
        {"pointer": "/sections/0/value/body", "detail": "Removed unsafe link javascript:alert(1)."},
        {"pointer": "/sections/1/value/items/0/answer", "detail": "Removed onclick attribute from <p>."},
    ]


def test_rich_text_left_empty_by_the_sanitiser_is_missing():
    errors = errors_of([text_section(body="<script>alert(1)</script>")])

    assert errors == [{"pointer": "/sections/0/value/body", "detail": "This field is required."}]


# Block kinds the service sections do not use (yet), read the same way: dates, numbers, lists of plain
# values, multiple choices and a stream inside a struct.
EVENTS = blocks.StreamBlock(
    [
        (
            "event",
            blocks.StructBlock(
                [
                    ("day", blocks.DateBlock()),
                    ("seats", blocks.IntegerBlock(min_value=1)),
                    ("tags", blocks.ListBlock(blocks.CharBlock(max_length=10))),
                    ("topics", blocks.MultipleChoiceBlock(choices=[("a", "A"), ("b", "B")], required=False)),
                    ("agenda", blocks.StreamBlock([("talk", blocks.CharBlock()), ("break", blocks.StaticBlock())])),
                ]
            ),
        )
    ]
)


def test_other_block_kinds_and_nested_streams_are_read_too():
    event = {
        "day": "2025-01-31",
        "seats": 20,
        "tags": ["django", {"type": "item", "value": "wagtail"}],
        "topics": ["a"],
        "agenda": [{"type": "talk", "value": "Intro"}, {"type": "break", "value": None}],
    }

    value = clean_sections(EVENTS, [{"type": "event", "value": event}]).raw[0]["value"]

    assert value["day"] == "2025-01-31" and value["seats"] == 20 and value["topics"] == ["a"]
    assert [item["value"] for item in value["tags"]] == ["django", "wagtail"]
    assert [(child["type"], child["value"]) for child in value["agenda"]] == [("talk", "Intro"), ("break", None)]
    assert Draft202012Validator(block_input_schema(EVENTS)).is_valid([{"type": "event", "value": event}])


def test_errors_in_nested_streams_and_plain_lists_are_pointed_at():
    event = {
        "day": "31/01/2025",
        "seats": 0,
        "tags": ["x" * 11, 3],
        "topics": ["c"],
        "agenda": [{"type": "talk", "value": ""}, {"type": "lunch", "value": None}],
    }

    pointers = pointers_of([{"type": "event", "value": event}], stream_block=EVENTS)

    assert pointers == [
        "/sections/0/value/day",
        "/sections/0/value/tags/1",
        "/sections/0/value/agenda/1/type",
        "/sections/0/value/seats",
        "/sections/0/value/tags/0",
        "/sections/0/value/topics",
        "/sections/0/value/agenda/0/value",
    ]
    assert not Draft202012Validator(block_input_schema(EVENTS)).is_valid([{"type": "event", "value": event}])


@pytest.mark.parametrize(
    ("agenda", "errors"),
    [
        ([], [{"pointer": "/sections/0/value/agenda", "detail": "This field is required."}]),
        (
            [{"type": "lunch", "value": None}],
            [{"pointer": "/sections/0/value/agenda/0/type", "detail": "Unknown type. The types are talk, break."}],
        ),
    ],
)
def test_a_nested_stream_is_judged_as_a_whole_once_its_children_are_known(agenda, errors):
    event = {"day": "2025-01-31", "seats": 20, "tags": [], "agenda": agenda}

    assert errors_of([{"type": "event", "value": event}], stream_block=EVENTS) == errors


# Any JSON at all, with the strings most likely to trip a parser, a validator or a sanitiser among the leaves.
TRICKY_TEXT = st.sampled_from(
    [
        "\ud800",
        "a\x00",
        "https://[x",
        "//evil.example/",
        "mailto:team@example.com",
        "<script>x</script>",
        '<p onclick="x()">Hi <a href="javascript:alert(1)">there</a></p>',
        '<a linktype="page" id="999999">gone</a>',
        '<a linktype="page">no id</a>',
        "<h2><div><h3>nested</h3></div></h2>",
        str(uuid.uuid4()),
    ]
)
TEXT = st.text(max_size=20) | TRICKY_TEXT
JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=24,
)
SAME_TYPE = {str: TEXT, bool: st.booleans(), int: st.integers()}
SECTION_LIKE = st.fixed_dictionaries(
    {"type": st.sampled_from(SECTION_TYPES) | JSON_LEAVES, "value": JSON_VALUES},
    optional={"id": st.uuids().map(str) | JSON_LEAVES},
)
FUZZ = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def as_utf8_json(value) -> bytes:
    """`value` as DRF's renderer writes it; fails on anything a response could not carry."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def clean_or_refuse(items) -> None:
    """clean_sections may accept the input or refuse it with InvalidBody; anything else fails the test."""
    try:
        result = clean_sections(STREAM_BLOCK, items)
    except InvalidBody as refused:
        assert refused.body_errors
        as_utf8_json(refused.body_errors)
    else:
        as_utf8_json([result.raw, result.warnings])


@FUZZ
@given(items=JSON_VALUES | st.lists(SECTION_LIKE, max_size=4))
def test_any_json_is_cleaned_or_refused(items):
    clean_or_refuse(items)


def mutate(value, data):
    """
    `value` with one part replaced by arbitrary JSON or, as often, by another value of the same JSON type
    (which gets further into validation: a strange string where a string belongs).
    """
    if isinstance(value, list):
        keys = list(range(len(value)))
    elif isinstance(value, dict):
        keys = list(value)
    else:
        keys = []
    if not keys or data.draw(st.integers(0, 3), label="replace here") == 0:
        same_type = SAME_TYPE.get(type(value), JSON_VALUES)
        return data.draw(same_type | JSON_VALUES, label="replacement")
    key = data.draw(st.sampled_from(keys), label="descend into")
    mutated = copy.copy(value)
    mutated[key] = mutate(value[key], data)
    return mutated


@FUZZ
@given(data=st.data())
def test_valid_sections_with_any_part_replaced_are_cleaned_or_refused(page_with_every_section, data):
    items = [section_input_value(section) for section in page_with_every_section.sections]

    clean_or_refuse(mutate(items, data))


def test_every_section_type_has_an_input_component(openapi_document):
    components = openapi_document.spec["components"]["schemas"]

    for name in SECTION_TYPES:
        component = components[section_input_component_name(name)]
        assert component["properties"]["type"] == {"type": "string", "const": name}
        assert component["required"] == ["type", "value"]


def section_input_validator(openapi_document, name: str) -> Draft202012Validator:
    reference = {"$ref": f"{SPEC_URI}#/components/schemas/{section_input_component_name(name)}"}
    return Draft202012Validator(reference, registry=openapi_document.registry)


def test_every_stored_section_matches_its_input_component(openapi_document, page_with_every_section):
    for section in page_with_every_section.sections:
        item = section_input_value(section)
        errors = list(section_input_validator(openapi_document, section.block_type).iter_errors(item))
        assert not errors, f"{section.block_type}: {[error.message for error in errors]}"


@pytest.mark.parametrize(
    "section",
    [
        text_section(heading="x" * 121),
        text_section(heading=12),
        text_section(subtitle="Hi"),
        {"type": "text", "value": {"body": "<p>No heading.</p>"}},
        {**text_section(), "id": "section-1"},
        feature_list({"title": "Fast", "text": "Very."}, kind="pros"),
        feature_list(),
        {"type": "key_figures", "value": {"items": [{"value": "1", "label": "One"}] * 7}},
        {"type": "image", "value": {"image": None}},
        {"type": "shared_call_to_action", "value": "1"},
    ],
)
def test_what_the_schema_refuses_clean_sections_refuses_too(openapi_document, section):
    assert not section_input_validator(openapi_document, section["type"]).is_valid(section)
    assert errors_of([section])


class SectionsBodySerializer(serializers.Serializer):
    sections = SectionsInputField(STREAM_BLOCK)
    section = SectionInputField(STREAM_BLOCK, required=False)


class SectionsView(APIView):
    @extend_schema(request=SectionsBodySerializer, responses={204: None})
    def post(self, request):
        return Response(status=204)


def test_the_fields_are_typed_with_the_section_input_components():
    document = SchemaGenerator(patterns=[path("api/v1/sections-test/", SectionsView.as_view())]).get_schema(
        request=None, public=True
    )

    body = document["components"]["schemas"]["SectionsBodyRequest"]["properties"]
    references = {name: f"#/components/schemas/{section_input_component_name(name)}" for name in SECTION_TYPES}
    for union in (body["sections"]["items"], body["section"]):
        assert union["discriminator"] == {"propertyName": "type", "mapping": references}
        assert [option["$ref"] for option in union["oneOf"]] == list(references.values())
    assert set(references.values()) <= {f"#/components/schemas/{name}" for name in document["components"]["schemas"]}


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"sections": [text_section(heading="")]}, "/sections/0/value/heading"),
        ({"sections": [text_section()], "section": text_section(heading="")}, "/section/value/heading"),
    ],
)
def test_a_serializer_reports_section_errors_under_the_field_path(body, pointer):
    with pytest.raises(InvalidBody) as raised:
        SectionsBodySerializer(data=body).is_valid()

    assert raised.value.body_errors == [{"pointer": pointer, "detail": "This field is required."}]


def test_a_serializer_gives_clean_sections():
    serializer = SectionsBodySerializer(
        data={"sections": [text_section()], "section": feature_list({"title": "A", "text": "B"})}
    )

    assert serializer.is_valid()
    assert serializer.validated_data["sections"].raw[0]["value"] == {"heading": "Why Flask", "body": "<p>Small.</p>"}
    assert serializer.validated_data["section"].raw[0]["type"] == "feature_list"
    assert (
        SectionsBodySerializer(serializer.validated_data).data["sections"] == serializer.validated_data["sections"].raw
    )
