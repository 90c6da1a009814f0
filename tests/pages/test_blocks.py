"""Each section block: what it renders, what it rejects (naming the field), and its API JSON."""

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from pages.blocks import CallToActionBlock, FeatureListBlock, IntroBlock, TextSectionBlock


def render(block, data: dict) -> str:
    return block.render(block.to_python(data))


def field_errors(block, data: dict) -> dict[str, str]:
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python(data))
    return {name: " ".join(error.messages) for name, error in caught.value.block_errors.items()}


def test_intro_renders_the_lead_escaped():
    html = render(IntroBlock(), {"lead": "Fast <b>apps</b>"})
    assert '<p class="lead">Fast &lt;b&gt;apps&lt;/b&gt;</p>' in html


def test_intro_requires_a_lead():
    assert "lead" in field_errors(IntroBlock(), {"lead": ""})


def test_text_section_renders_heading_with_anchor_and_sanitised_body():
    html = render(
        TextSectionBlock(),
        {"heading": "What is Flask?", "body": '<p>Hi <a href="javascript:alert(1)">x</a><script>bad()</script></p>'},
    )
    assert '<h2 id="what-is-flask">What is Flask?</h2>' in html
    assert "<p>Hi <a>x</a></p>" in html
    assert "javascript" not in html and "<script" not in html


def test_text_section_heading_has_a_maximum_length():
    errors = field_errors(TextSectionBlock(), {"heading": "x" * 121, "body": "<p>ok</p>"})
    assert list(errors) == ["heading"]
    assert "at most 120 characters" in errors["heading"]


def test_feature_list_renders_items_and_kind():
    html = render(
        FeatureListBlock(),
        {
            "heading": "Disadvantages of Flask",
            "intro": "A few drawbacks.",
            "kind": "disadvantages",
            "items": [{"title": "Not a lot of tools", "text": "Unlike Django…"}],
        },
    )
    assert "features--disadvantages" in html
    assert "Not a lot of tools" in html and "A few drawbacks." in html


def test_feature_list_needs_at_least_one_item():
    errors = field_errors(FeatureListBlock(), {"heading": "Advantages", "kind": "advantages", "items": []})
    assert list(errors) == ["items"]


def test_feature_list_item_needs_a_title():
    block = FeatureListBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({"heading": "A", "kind": "advantages", "items": [{"title": "", "text": "t"}]}))
    item_errors = caught.value.block_errors["items"].block_errors[0].block_errors
    assert list(item_errors) == ["title"]


CTA = {"heading": "Hire us", "text": "We can help.", "button_label": "Talk to us", "button_page": None}


def test_call_to_action_renders_a_button_to_its_url():
    html = render(CallToActionBlock(), {**CTA, "button_url": "/contact/"})
    assert '<a class="button" href="/contact/">Talk to us</a>' in html


def test_call_to_action_links_to_a_page(flask_page):
    block = CallToActionBlock()
    value = block.to_python({**CTA, "button_url": "", "button_page": flask_page.pk})
    block.clean(value)
    assert 'href="/services/flask/"' in block.render(value)


def test_call_to_action_needs_a_target():
    assert list(field_errors(CallToActionBlock(), {**CTA, "button_url": ""})) == ["button_url"]


def test_call_to_action_takes_one_target_not_two(flask_page):
    errors = field_errors(CallToActionBlock(), {**CTA, "button_url": "/contact/", "button_page": flask_page.pk})
    assert set(errors) == {"button_page", "button_url"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//evil.example"])
def test_call_to_action_refuses_unsafe_urls(url):
    assert list(field_errors(CallToActionBlock(), {**CTA, "button_url": url})) == ["button_url"]


def test_call_to_action_api_json_resolves_the_button():
    block = CallToActionBlock()
    value = block.to_python({**CTA, "button_url": "/contact/"})
    assert block.get_api_representation(value, {"base_url": "https://example.com/"}) == {
        "heading": "Hire us",
        "text": "We can help.",
        "anchor": "hire-us",
        "button": {"label": "Talk to us", "url": "https://example.com/contact/", "page_id": None},
    }


def test_rich_text_api_json_can_be_markdown():
    block = TextSectionBlock()
    value = block.to_python({"heading": "H", "body": "<p>Some <b>bold</b> text</p>"})
    assert block.get_api_representation(value, {"rich_text_format": "markdown"})["body"].strip() == "Some **bold** text"
