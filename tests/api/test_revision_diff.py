"""The section-by-section diff behind `GET /api/v1/pages/<id>/revisions/compare/`."""

from api.revision_diff import compare_sections, leaf_changes
from pages.models import ServicePage

SECTIONS = ServicePage._meta.get_field("sections").stream_block


def text(section_id: str, heading: str = "A heading") -> dict:
    return {"type": "text", "id": section_id, "value": {"heading": heading, "body": "<p>Words.</p>"}}


def ids(sections: list[dict]) -> list[str]:
    return [section["id"] for section in sections]


def test_a_section_added_at_the_top_moves_none_of_the_others():
    before = [text("a"), text("b"), text("c")]

    diff = compare_sections(SECTIONS, before, [text("new"), *before])

    assert diff == {"added": [{"id": "new", "type": "text", "position": 0}], "removed": [], "moved": [], "changed": []}


def test_swapping_two_sections_moves_one():
    before = [text("a"), text("b"), text("c")]

    diff = compare_sections(SECTIONS, before, [before[0], before[2], before[1]])

    assert diff["moved"] == [{"id": "c", "type": "text", "from": 2, "to": 1}]


def test_moving_the_first_section_to_the_end_moves_only_it():
    before = [text(name) for name in "abcde"]

    diff = compare_sections(SECTIONS, before, [*before[1:], before[0]])

    assert diff["moved"] == [{"id": "a", "type": "text", "from": 0, "to": 4}]


def test_a_reversed_page_moves_all_but_one_section():
    before = [text(name) for name in "abcd"]

    diff = compare_sections(SECTIONS, before, list(reversed(before)))

    assert len(diff["moved"]) == 3


def test_a_section_that_changed_type_under_the_same_id_was_replaced():
    intro = {"type": "intro", "id": "a", "value": {"lead": "Hello."}}

    diff = compare_sections(SECTIONS, [intro], [text("a")])

    assert ids(diff["removed"]) == ["a"] and ids(diff["added"]) == ["a"]
    assert diff["changed"] == []


def test_list_items_are_compared_as_values_whether_or_not_they_were_stored_with_ids():
    def features(*titles, wrapped: bool) -> dict:
        items = [{"title": title, "text": "Why.", "icon": ""} for title in titles]
        if wrapped:
            items = [{"type": "item", "value": item, "id": f"item-{index}"} for index, item in enumerate(items)]
        return {"type": "feature_list", "id": "f", "value": {"heading": "Advantages", "items": items}}

    diff = compare_sections(
        SECTIONS, [features("Fast", "Small", wrapped=False)], [features("Fast", "Lean", "Tested", wrapped=True)]
    )

    assert diff["changed"] == [
        {
            "id": "f",
            "type": "feature_list",
            "position": 0,
            "changes": [
                {"pointer": "/items/1/title", "before": "Small", "after": "Lean"},
                {"pointer": "/items/2", "before": None, "after": {"title": "Tested", "text": "Why.", "icon": ""}},
            ],
        }
    ]


def test_leaf_changes_tell_json_types_apart_and_escape_pointers():
    assert leaf_changes({"count": 1}, {"count": True}) == [{"pointer": "/count", "before": 1, "after": True}]
    assert leaf_changes({"a/b": "x"}, {"a/b": "y"}) == [{"pointer": "/a~1b", "before": "x", "after": "y"}]
    assert leaf_changes({"same": [1, 2]}, {"same": [1, 2]}) == []
