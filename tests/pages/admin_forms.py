"""Build the POST data Wagtail's page editor would send for a ServicePage."""

from wagtail.test.utils.form_data import nested_form_data, rich_text

from pages.blocks import RICH_TEXT_FEATURES


def _list_block(items: list[tuple[dict, str | None]]) -> dict:
    """ListBlock form data from (value, item id) pairs; a None id is a new item."""
    data = {
        str(index): {"value": item, "deleted": "", "order": str(index), "id": item_id or ""}
        for index, (item, item_id) in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def section_form_value(block_type: str, value) -> dict:
    """One section's value in editor form format (rich text as the editor's JSON, list items as a formset)."""
    if block_type == "text":
        return {"heading": value["heading"], "body": rich_text(value["body"].source, features=RICH_TEXT_FEATURES)}
    if block_type == "feature_list":
        items = [
            (
                {"title": child.value["title"], "text": child.value["text"], "icon": child.value.get("icon") or ""},
                child.id,
            )
            for child in value["items"].bound_blocks
        ]
        return {
            "heading": value["heading"],
            "intro": value["intro"],
            "kind": value["kind"],
            "items": _list_block(items),
        }
    if block_type == "call_to_action":
        page = value.get("button_page")
        return {
            "heading": value["heading"],
            "text": value["text"],
            "button_label": value["button_label"],
            "button_page": str(page.pk) if page else "",
            "button_url": value["button_url"],
        }
    return dict(value)


def editor_sections(page) -> list[list]:
    """The page's sections as the editor holds them: [block_type, form value, block id] each."""
    return [
        [section.block_type, section_form_value(section.block_type, section.value), section.id]
        for section in page.sections
    ]


def editor_fields(page) -> dict:
    """The page's fields besides its sections, as the editor's form holds them."""
    return {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "seo_title": page.seo_title,
        "search_description": page.search_description,
    }


def editor_form_data(fields: dict, sections: list[list]) -> dict:
    """The POST data of the editor's form: `fields` (from `editor_fields`) and `sections` (from `editor_sections`)."""
    stream = {
        str(index): {"type": block_type, "value": value, "deleted": "", "order": str(index), "id": block_id or ""}
        for index, (block_type, value, block_id) in enumerate(sections)
    }
    stream["count"] = str(len(sections))
    return nested_form_data({**fields, "sections": stream})


def service_page_form_data(page, sections=None, **fields) -> dict:
    """Form data for `page` as it stands; `sections` (from `editor_sections`, edited) replaces the section list."""
    sections = editor_sections(page) if sections is None else sections
    return editor_form_data({**editor_fields(page), **fields}, sections)
