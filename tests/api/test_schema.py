"""The served OpenAPI document: typed sections, one schema per page type, self-hosted docs."""

import json
import re

import pytest

from pages.blocks import ServiceSectionsBlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_openapi_3_1_json(schema):
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v1/pages/", "/api/v1/pages/{id}/", "/api/v1/pages/find/"} <= set(schema["paths"])
    assert not [path for path in schema["paths"] if not path.startswith("/api/v1/")]


def test_every_section_type_has_its_own_component(schema):
    components = schema["components"]["schemas"]
    for name in ServiceSectionsBlock().child_blocks:
        component = components["".join(part.capitalize() for part in name.split("_")) + "Section"]
        assert component["properties"]["type"] == {"type": "string", "const": name}
        assert component["required"] == ["type", "id", "value"]


def test_sections_are_a_union_discriminated_by_type(schema):
    sections = schema["components"]["schemas"]["ServicePageDetail"]["properties"]["sections"]
    union = sections["items"]
    assert union["discriminator"]["propertyName"] == "type"
    assert set(union["discriminator"]["mapping"]) == set(ServiceSectionsBlock().child_blocks)
    assert len(union["oneOf"]) == len(ServiceSectionsBlock().child_blocks)


def is_typed(schema) -> bool:
    return isinstance(schema, dict) and bool({"type", "$ref", "oneOf", "anyOf", "allOf", "enum", "const"} & set(schema))


def is_free_form_object(node: dict) -> bool:
    """An object (possibly nullable) that declares neither its properties nor a typed schema for any other keys."""
    types = node.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types)
    return is_object and "properties" not in node and not is_typed(node.get("additionalProperties"))


@pytest.mark.parametrize(
    ("node", "free_form"),
    [
        ({"type": "object"}, True),
        ({"type": ["object", "null"]}, True),
        ({"type": "object", "additionalProperties": True}, True),
        ({"type": "object", "additionalProperties": {}}, True),
        ({"type": "object", "additionalProperties": {"description": "anything"}}, True),
        ({"type": "object", "properties": {"a": {"type": "string"}}}, False),
        ({"type": ["object", "null"], "properties": {"a": {"type": "string"}}}, False),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, False),
        ({"type": "object", "additionalProperties": {"$ref": "#/components/schemas/X"}}, False),
        ({"type": "string"}, False),
    ],
)
def test_what_counts_as_a_free_form_object(node, free_form):
    assert is_free_form_object(node) is free_form


def test_no_section_value_is_a_free_form_object(schema):
    components = schema["components"]["schemas"]

    def free_form_objects(node, path):
        if isinstance(node, dict):
            if is_free_form_object(node):
                yield path
            for key, value in node.items():
                yield from free_form_objects(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from free_form_objects(value, f"{path}/{index}")

    section_components = {name: value for name, value in components.items() if name.endswith("Section")}
    assert section_components
    assert list(free_form_objects(section_components, "")) == []


def test_each_page_type_has_its_own_detail_schema(schema):
    components = schema["components"]["schemas"]
    assert {"HomePageDetail", "ServiceIndexPageDetail", "ServicePageDetail"} <= set(components)
    detail = schema["paths"]["/api/v1/pages/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]
    union = components[detail["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert union["discriminator"]["propertyName"] == "type"
    assert union["discriminator"]["mapping"]["pages.ServicePage"] == "#/components/schemas/ServicePageDetail"


def test_a_new_block_appears_in_the_schema_without_edits(client, monkeypatch):
    from wagtail import blocks

    from pages.models import ServicePage

    stream_block = ServicePage._meta.get_field("sections").stream_block
    extra = blocks.StructBlock([("quote", blocks.CharBlock(max_length=50))])
    extra.set_name("pull_quote")
    monkeypatch.setitem(stream_block.child_blocks, "pull_quote", extra)

    document = json.loads(client.get("/api/v1/schema/?format=json").content)

    component = document["components"]["schemas"]["PullQuoteSection"]
    assert component["properties"]["value"]["properties"]["quote"] == {"type": "string", "maxLength": 50}


def test_interactive_docs_load_nothing_from_other_hosts(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
