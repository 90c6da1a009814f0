"""
What changed between two revisions of a page: its fields, and its sections one by one.

`compare_contents(before, after, stream_blocks)` takes two revisions' content as the management API
shows it (`workflow_serializers.page_content_serializer_for`) and returns:

    {
      "fields": [{"name": "title", "before": "Flask", "after": "Flask development"}],
      "sections": {
        "added":   [{"id": "…", "type": "faq", "position": 4}],
        "removed": [{"id": "…", "type": "code", "position": 2}],
        "moved":   [{"id": "…", "type": "text", "from": 1, "to": 3}],
        "changed": [{"id": "…", "type": "feature_list", "position": 2,
                     "changes": [{"pointer": "/items/1/title", "before": "Fast", "after": "Lean"}]}]
      }
    }

Sections are matched by their block id, so editing one section never reads as changing the ones
after it. `moved` lists the fewest sections whose displacement explains the new order: adding a
section at the top moves nothing, swapping two moves one. Changes inside a section are leaf values,
each named by a JSON pointer relative to the section's value, with list items as plain values
(`/items/1/title`, not Wagtail's stored `/items/1/value/title`). Every list is in a fixed order
(fields in form order, sections by position), so the same two revisions always give the same document.
"""

from bisect import bisect_left

from wagtail import blocks

from .sections_input.reader import json_pointer

SECTIONS_FIELD = "sections"


def compare_contents(before: dict, after: dict, stream_blocks: dict) -> dict:
    """The difference between two contents of the same page type; `stream_blocks` maps StreamField names to blocks."""
    fields = [
        {"name": name, "before": before.get(name), "after": after.get(name)}
        for name in _ordered_union(before, after)
        if name != SECTIONS_FIELD and not _same(before.get(name), after.get(name))
    ]
    sections = None
    if SECTIONS_FIELD in stream_blocks:
        sections = compare_sections(
            stream_blocks[SECTIONS_FIELD], before.get(SECTIONS_FIELD) or [], after.get(SECTIONS_FIELD) or []
        )
    return {"fields": fields, "sections": sections}


def compare_sections(stream_block, before: list[dict], after: list[dict]) -> dict:
    """Sections added, removed, moved and changed from `before` to `after` (stored `{"type", "value", "id"}` lists)."""
    before_at = {_key(section): position for position, section in enumerate(before)}
    after_at = {_key(section): position for position, section in enumerate(after)}
    kept = [key for key in after_at if key in before_at]

    added = [_located(section, position) for position, section in enumerate(after) if _key(section) not in before_at]
    removed = [_located(section, position) for position, section in enumerate(before) if _key(section) not in after_at]
    in_place = _longest_increasing([before_at[key] for key in kept])
    moved = [
        {"id": key[1], "type": key[0], "from": before_at[key], "to": after_at[key]}
        for index, key in enumerate(kept)
        if index not in in_place
    ]
    changed = []
    for key in kept:
        block = stream_block.child_blocks.get(key[0])
        old_value = plain_value(block, before[before_at[key]].get("value"))
        new_value = plain_value(block, after[after_at[key]].get("value"))
        changes = leaf_changes(old_value, new_value)
        if changes:
            changed.append({"id": key[1], "type": key[0], "position": after_at[key], "changes": changes})
    return {"added": added, "removed": removed, "moved": moved, "changed": changed}


def plain_value(block, value):
    """`value` (a block's stored JSON) with list items as plain values, unwrapped from `{"type": "item", …}`."""
    if isinstance(block, blocks.ListBlock) and isinstance(value, list):
        return [plain_value(block.child_block, _list_item_value(item)) for item in value]
    if isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        return {name: plain_value(block.child_blocks.get(name), item) for name, item in value.items()}
    if isinstance(block, blocks.BaseStreamBlock) and isinstance(value, list):
        return [
            {**child, "value": plain_value(block.child_blocks.get(child.get("type")), child.get("value"))}
            if isinstance(child, dict)
            else child
            for child in value
        ]
    return value


def leaf_changes(before, after, pointer: str = "") -> list[dict]:
    """Every leaf that differs, as `{"pointer", "before", "after"}`; a value on one side only is one change."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            change
            for name in _ordered_union(before, after)
            for change in leaf_changes(before.get(name), after.get(name), json_pointer(pointer, name))
        ]
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else None
            new = after[index] if index < len(after) else None
            if index < len(before) and index < len(after):
                changes += leaf_changes(old, new, f"{pointer}/{index}")
            else:
                changes.append({"pointer": f"{pointer}/{index}", "before": old, "after": new})
        return changes
    if _same(before, after):
        return []
    return [{"pointer": pointer or "/", "before": before, "after": after}]


def _same(before, after) -> bool:
    """Equal and of the same JSON type (in Python `1 == True` and `1 == 1.0`)."""
    return type(before) is type(after) and before == after


def _ordered_union(before: dict, after: dict) -> list[str]:
    """The keys of `before` in its order, then those only `after` has, in its order."""
    return [*before, *(name for name in after if name not in before)]


def _key(section: dict) -> tuple[str, str | None]:
    """Sections are the same section when they share an id and a type; a section that changed type was replaced."""
    return section.get("type"), section.get("id")


def _located(section: dict, position: int) -> dict:
    return {"id": section.get("id"), "type": section.get("type"), "position": position}


def _list_item_value(item):
    if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
        return item["value"]
    return item


def _longest_increasing(sequence: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of `sequence` (patience sorting, O(n log n))."""
    tail_values: list[int] = []  # tail_values[k]: the smallest last value of an increasing run of length k + 1
    tail_indexes: list[int] = []  # … and its index in `sequence`
    previous = [-1] * len(sequence)
    for index, value in enumerate(sequence):
        length = bisect_left(tail_values, value)
        if length:
            previous[index] = tail_indexes[length - 1]
        if length == len(tail_values):
            tail_values.append(value)
            tail_indexes.append(index)
        else:
            tail_values[length] = value
            tail_indexes[length] = index
    chosen, index = set(), tail_indexes[-1] if tail_indexes else -1
    while index != -1:
        chosen.add(index)
        index = previous[index]
    return chosen
