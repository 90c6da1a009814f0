"""The newer sections (hero, FAQ, testimonial, key figures, code, image) and feature icons: render, reject, API JSON."""

import re

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from pages import blocks
from pages.images import DEFAULT_RENDITION
from pages.models import ServicePage

from .admin_forms import editor_sections, service_page_form_data

BASE = {"base_url": "https://example.com/"}


def render(block, data: dict) -> str:
    return block.render(block.to_python(data))


def errors_of(block, data: dict) -> StructBlockValidationError:
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python(data))
    return caught.value


def field_errors(block, data: dict) -> dict[str, str]:
    """The block's errors by field; a nested block's errors are reported as 'field.child'."""

    def flatten(error, prefix=""):
        if isinstance(error, StructBlockValidationError):
            for name, child in error.block_errors.items():
                yield from flatten(child, f"{prefix}{name}.")
        elif isinstance(error, ListBlockValidationError):
            if error.non_block_errors:
                yield prefix.rstrip("."), " ".join(error.non_block_errors)
            for index, child in error.block_errors.items():
                yield from flatten(child, f"{prefix}{index}.")
        else:
            yield prefix.rstrip("."), " ".join(error.messages)

    return dict(flatten(errors_of(block, data)))


def image_data(image, alt_text="Two developers at a whiteboard", decorative=False) -> dict:
    return {"image": image.pk, "alt_text": alt_text, "decorative": decorative}


@pytest.fixture
def image(db):
    return wagtail_factories.ImageFactory(title="Whiteboard", file__width=1600, file__height=900)


def assert_image_json(data: dict, image, alt: str) -> None:
    rendition = image.get_rendition(DEFAULT_RENDITION)
    assert data["id"] == image.pk
    assert data["url"] == f"https://example.com{rendition.url}"
    assert re.match(r"https://example\.com/media/images/.+\.(png|jpg|jpeg|webp)$", data["url"])
    assert (data["width"], data["height"]) == (rendition.width, rendition.height) == (1600, 900)
    assert data["alt"] == alt
    assert data["decorative"] is (alt == "")
    assert data["renditions"] == {}


# Hero

HERO = {
    "heading": "Flask apps that scale",
    "lead": "Senior developers.\nLean <code>.",
    "image": None,
    "primary_button": {"label": "Talk to us", "page": None, "url": "/contact/"},
    "secondary_button": {"label": "", "page": None, "url": ""},
}


def with_button(name: str, **button) -> dict:
    return {**HERO, name: {"label": "", "page": None, "url": "", **button}}


def test_hero_renders_heading_lead_and_primary_button():
    html = render(blocks.HeroBlock(), HERO)

    assert '<h2 class="hero__heading" id="flask-apps-that-scale">Flask apps that scale</h2>' in html
    assert "Senior developers.<br>Lean &lt;code&gt;." in html
    assert '<a class="button" href="/contact/">Talk to us</a>' in html
    assert "button--secondary" not in html
    assert "<img" not in html


def test_hero_shows_a_second_button_when_it_has_a_label():
    data = with_button("secondary_button", label="See our work", url="https://example.com/work/")

    html = render(blocks.HeroBlock(), data)

    assert '<a class="button button--secondary" href="https://example.com/work/">See our work</a>' in html


def test_hero_button_can_link_to_a_page(flask_page):
    block = blocks.HeroBlock()
    value = block.to_python(with_button("primary_button", label="Flask", page=flask_page.pk))

    block.clean(value)

    assert 'href="/services/flask/"' in block.render(value)
    assert block.get_api_representation(value, BASE)["primary_button"] == {
        "label": "Flask",
        "url": "https://example.com/services/flask/",
        "page_id": flask_page.pk,
    }


def test_hero_renders_its_image_as_a_rendition(image):
    html = render(blocks.HeroBlock(), {**HERO, "image": image_data(image)})

    assert 'class="hero__image"' in html and 'alt="Two developers at a whiteboard"' in html
    assert re.search(r'<img [^>]*width="800"', html) and re.search(r'<img [^>]*height="450"', html)
    assert "hero--with-image" in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"heading": ""}, "heading"),
        ({"heading": "x" * 121}, "heading"),
        ({"lead": ""}, "lead"),
        ({"lead": "x" * 401}, "lead"),
    ],
)
def test_hero_text_fields_are_required_and_bounded(changes, field):
    assert list(field_errors(blocks.HeroBlock(), {**HERO, **changes})) == [field]


def test_hero_needs_a_primary_button_label():
    errors = field_errors(blocks.HeroBlock(), with_button("primary_button", url="/contact/"))
    assert list(errors) == ["primary_button.label"]


def test_hero_primary_button_needs_a_target():
    errors = field_errors(blocks.HeroBlock(), with_button("primary_button", label="Go"))
    assert errors == {"primary_button.url": "The button needs a target: choose a page or enter a URL."}


def test_hero_button_takes_a_page_or_a_url_not_both(flask_page):
    data = with_button("primary_button", label="Go", page=flask_page.pk, url="/contact/")
    assert set(field_errors(blocks.HeroBlock(), data)) == {"primary_button.page", "primary_button.url"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example"])
def test_hero_buttons_refuse_unsafe_urls(url):
    errors = field_errors(blocks.HeroBlock(), with_button("secondary_button", label="More", url=url))
    assert list(errors) == ["secondary_button.url"]


def test_hero_second_button_with_a_label_needs_a_target():
    errors = field_errors(blocks.HeroBlock(), with_button("secondary_button", label="More"))
    assert list(errors) == ["secondary_button.url"]


def test_hero_second_button_with_a_target_needs_a_label():
    errors = field_errors(blocks.HeroBlock(), with_button("secondary_button", url="/work/"))
    assert errors == {"secondary_button.label": "Give the button a label, or clear its page and URL."}


def test_hero_image_needs_alt_text_unless_decorative(image):
    block = blocks.HeroBlock()
    errors = field_errors(block, {**HERO, "image": image_data(image, alt_text="")})
    assert list(errors) == ["image.alt_text"]

    value = block.to_python({**HERO, "image": image_data(image, alt_text="", decorative=True)})
    block.clean(value)
    assert 'alt=""' in block.render(value)


def test_hero_api_json(image):
    block = blocks.HeroBlock()
    value = block.to_python({**HERO, "image": image_data(image)})

    data = block.get_api_representation(value, BASE)

    image_json = data.pop("image")
    assert data == {
        "heading": "Flask apps that scale",
        "lead": "Senior developers.\nLean <code>.",
        "anchor": "flask-apps-that-scale",
        "primary_button": {"label": "Talk to us", "url": "https://example.com/contact/", "page_id": None},
        "secondary_button": None,
    }
    assert_image_json(image_json, image, alt="Two developers at a whiteboard")


def test_hero_api_json_without_an_image_has_null():
    block = blocks.HeroBlock()
    assert block.get_api_representation(block.to_python(HERO), BASE)["image"] is None


# Feature list icons

FEATURES = {"heading": "Advantages", "intro": "", "kind": "advantages"}


def test_feature_items_show_their_icon_inline():
    html = render(
        blocks.FeatureListBlock(),
        {**FEATURES, "items": [{"title": "Fast", "text": "Very.", "icon": "bolt"}, {"title": "Plain", "text": "So."}]},
    )

    icon, plain = html.split('<li class="features__item">')[1:]
    assert '<svg class="icon" viewBox="0 0 24 24"' in icon and 'aria-hidden="true"' in icon
    assert "<svg" not in plain and '<span class="features__marker" aria-hidden="true">+</span>' in plain
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize("icon", [name for name, _label in blocks.ICON_CHOICES])
def test_every_icon_renders(icon):
    html = render(blocks.FeatureListBlock(), {**FEATURES, "items": [{"title": "T", "text": "t", "icon": icon}]})
    assert '<svg class="icon"' in html


def test_feature_items_stored_before_icons_existed_still_work():
    block = blocks.FeatureListBlock()
    value = block.to_python({**FEATURES, "items": [{"title": "Old item", "text": "Stored last year."}]})

    block.clean(value)

    assert "Old item" in block.render(value)
    assert block.get_api_representation(value)["items"] == [
        {"title": "Old item", "text": "Stored last year.", "icon": ""}
    ]


def test_feature_item_icon_must_be_one_of_the_set():
    block = blocks.FeatureListBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({**FEATURES, "items": [{"title": "T", "text": "t", "icon": "rocket"}]}))
    assert list(caught.value.block_errors["items"].block_errors[0].block_errors) == ["icon"]


# FAQ

FAQ = {
    "heading": "Flask FAQ",
    "items": [
        {"question": "How long <does> it take?", "answer": "<p>Six <b>weeks</b>.</p><p>Sometimes&nbsp;less.</p>"},
        {"question": "Do you maintain apps?", "answer": '<ul><li>Yes</li><li>See <a href="/care/">care</a></li></ul>'},
    ],
}


def test_faq_renders_each_question_as_an_openable_details_element():
    html = render(blocks.FAQBlock(), FAQ)

    assert '<h2 id="flask-faq">Flask FAQ</h2>' in html
    assert html.count("<details") == 2 and "<script" not in html
    assert '<summary class="faq__question">How long &lt;does&gt; it take?</summary>' in html
    assert "<p>Six <b>weeks</b>.</p>" in html


def test_faq_answers_are_sanitised():
    data = {
        "heading": "Q",
        "items": [{"question": "Q?", "answer": '<p>A<script>x()</script> <a href="javascript:x">l</a></p>'}],
    }
    html = render(blocks.FAQBlock(), data)
    assert "<script" not in html and "javascript" not in html


def test_faq_gives_plain_text_entries_for_structured_data():
    block = blocks.FAQBlock()
    assert block.to_python(FAQ).faq_page_entries() == [
        {"question": "How long <does> it take?", "answer_text": "Six weeks. Sometimes less."},
        {"question": "Do you maintain apps?", "answer_text": "Yes See care"},
    ]


def test_faq_needs_a_heading_and_at_least_one_question():
    errors = field_errors(blocks.FAQBlock(), {"heading": "", "items": []})
    assert set(errors) == {"heading", "items"}


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"question": "", "answer": "<p>A</p>"}, "items.0.question"),
        ({"question": "x" * 201, "answer": "<p>A</p>"}, "items.0.question"),
        ({"question": "Q?", "answer": ""}, "items.0.answer"),
    ],
)
def test_faq_items_need_a_short_question_and_an_answer(item, field):
    assert list(field_errors(blocks.FAQBlock(), {"heading": "FAQ", "items": [item]})) == [field]


def test_faq_api_json():
    block = blocks.FAQBlock()
    value = block.to_python(FAQ)

    assert block.get_api_representation(value, BASE) == {
        "heading": "Flask FAQ",
        "anchor": "flask-faq",
        "items": [
            {"question": "How long <does> it take?", "answer": "<p>Six <b>weeks</b>.</p><p>Sometimes&nbsp;less.</p>"},
            {
                "question": "Do you maintain apps?",
                "answer": '<ul><li>Yes</li><li>See <a href="https://example.com/care/">care</a></li></ul>',
            },
        ],
    }
    markdown = block.get_api_representation(value, {**BASE, "rich_text_format": "markdown"})
    assert markdown["items"][0]["answer"].startswith("Six **weeks**.")


# Testimonial

TESTIMONIAL = {
    "quote": "They shipped <on time>.\nEvery time.",
    "name": "Jane Doe",
    "role": "CTO",
    "company": "Acme & Co",
    "photo": None,
}


def test_testimonial_renders_a_figure_with_quote_and_source():
    html = render(blocks.TestimonialBlock(), TESTIMONIAL)

    assert re.search(r"<figure[^>]*>\s*<blockquote[^>]*>\s*<p>They shipped &lt;on time&gt;.<br>Every time.</p>", html)
    assert re.search(r"</blockquote>\s*<figcaption", html)
    assert '<span class="testimonial__name">Jane Doe</span><br>CTO, Acme &amp; Co' in html
    assert "<img" not in html


def test_testimonial_without_company_shows_just_the_role():
    html = render(blocks.TestimonialBlock(), {**TESTIMONIAL, "company": ""})
    assert "Jane Doe</span><br>CTO</span>" in html


def test_testimonial_shows_a_small_photo(image):
    html = render(blocks.TestimonialBlock(), {**TESTIMONIAL, "photo": image_data(image, alt_text="", decorative=True)})
    assert re.search(
        r'<img alt="" class="testimonial__photo" height="160" loading="lazy" src="[^"]+" width="160">', html
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quote": ""}, "quote"),
        ({"quote": "x" * 601}, "quote"),
        ({"name": ""}, "name"),
        ({"role": ""}, "role"),
        ({"company": "x" * 101}, "company"),
    ],
)
def test_testimonial_fields_are_required_and_bounded(changes, field):
    assert list(field_errors(blocks.TestimonialBlock(), {**TESTIMONIAL, **changes})) == [field]


def test_testimonial_photo_needs_alt_text_unless_decorative(image):
    errors = field_errors(blocks.TestimonialBlock(), {**TESTIMONIAL, "photo": image_data(image, alt_text="")})
    assert list(errors) == ["photo.alt_text"]


def test_testimonial_api_json(image):
    block = blocks.TestimonialBlock()
    value = block.to_python({**TESTIMONIAL, "photo": image_data(image, alt_text="Jane Doe")})

    data = block.get_api_representation(value, BASE)

    photo = data.pop("photo")
    assert data == {"quote": TESTIMONIAL["quote"], "name": "Jane Doe", "role": "CTO", "company": "Acme & Co"}
    assert_image_json(photo, image, alt="Jane Doe")
    assert block.get_api_representation(block.to_python(TESTIMONIAL), BASE)["photo"] is None


# Key figures

FIGURES = {
    "heading": "In numbers",
    "items": [{"value": "120+", "label": "Projects"}, {"value": "12", "label": "Years"}],
}


def test_key_figures_render_as_a_list_of_values_and_labels():
    html = render(blocks.KeyFiguresBlock(), FIGURES)

    assert 'aria-labelledby="in-numbers"' in html and '<h2 id="in-numbers">In numbers</h2>' in html
    assert '<span class="figures__value">120+</span> <span class="figures__label">Projects</span>' in html
    assert html.count("<li") == 2


def test_key_figures_heading_is_optional():
    block = blocks.KeyFiguresBlock()
    value = block.to_python({**FIGURES, "heading": ""})

    block.clean(value)

    html = block.render(value)
    assert "<h2" not in html and 'aria-label="Key figures"' in html


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([], "items"),
        ([{"value": "1", "label": "One"}] * 7, "items"),
        ([{"value": "", "label": "One"}], "items.0.value"),
        ([{"value": "x" * 21, "label": "One"}], "items.0.value"),
        ([{"value": "1", "label": "x" * 81}], "items.0.label"),
    ],
)
def test_key_figures_take_one_to_six_short_items(items, field):
    assert list(field_errors(blocks.KeyFiguresBlock(), {**FIGURES, "items": items})) == [field]


def test_key_figures_api_json():
    block = blocks.KeyFiguresBlock()
    assert block.get_api_representation(block.to_python(FIGURES), BASE) == {**FIGURES, "anchor": "in-numbers"}


# Code

CODE = {"language": "python", "caption": "A <tiny> app", "code": 'app = Flask("<script>")\n'}


def test_code_is_highlighted_on_the_server_and_escaped():
    html = render(blocks.CodeBlock(), CODE)

    assert '<pre class="highlight" tabindex="0"><code class="language-python">' in html
    assert '<span class="n">app</span>' in html and '<span class="s2">"&lt;script&gt;"</span>' in html
    assert "<script" not in html
    assert '<figcaption class="code__caption">A &lt;tiny&gt; app</figcaption>' in html


def test_plain_text_code_is_escaped_but_not_coloured():
    html = render(blocks.CodeBlock(), {"language": "text", "caption": "", "code": "<b>$ make</b>"})
    assert "&lt;b&gt;$ make&lt;/b&gt;" in html
    assert "<figcaption" not in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"code": ""}, "code"), ({"code": "x" * 10001}, "code"), ({"language": "cobol"}, "language")],
)
def test_code_needs_code_in_a_known_language(changes, field):
    assert list(field_errors(blocks.CodeBlock(), {**CODE, **changes})) == [field]


def test_code_api_json_gives_raw_and_highlighted_code():
    block = blocks.CodeBlock()
    data = block.get_api_representation(block.to_python(CODE), BASE)

    assert data == {
        "language": "python",
        "caption": "A <tiny> app",
        "code": 'app = Flask("<script>")\n',
        "html": data["html"],
    }
    assert data["html"].startswith('<span class="n">app</span>')


# Image


def test_image_renders_a_lazy_rendition_with_size_and_caption(image):
    html = render(
        blocks.ImageWithCaptionBlock(),
        {"image": image_data(image), "caption": "Planning <day>", "attribution": "Photo: NextBigIt"},
    )

    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'alt="Two developers at a whiteboard"' in img and 'loading="lazy"' in img
    assert 'width="1200"' in img and 'height="675"' in img
    assert re.search(r'src="/media/images/[^"]+\.width-1200\.[a-z]+"', img)
    caption = '<figcaption class="figure__caption">Planning &lt;day&gt; <small class="figure__credit">Photo: NextBigIt'
    assert caption in html


def test_decorative_image_has_empty_alt_and_no_caption_when_none_given(image):
    html = render(
        blocks.ImageWithCaptionBlock(),
        {"image": image_data(image, alt_text="", decorative=True), "caption": "", "attribution": ""},
    )
    assert 'alt=""' in html and "<figcaption" not in html


def test_image_is_required(db):
    errors = field_errors(
        blocks.ImageWithCaptionBlock(), {"image": {"image": None, "alt_text": "", "decorative": False}, "caption": ""}
    )
    assert list(errors) == ["image.image"]


def test_image_needs_alt_text_unless_decorative(image):
    errors = field_errors(blocks.ImageWithCaptionBlock(), {"image": image_data(image, alt_text=""), "caption": ""})
    assert errors == {"image.alt_text": "Please add some alt text for your image or mark it as decorative"}


@pytest.mark.parametrize(("field", "limit"), [("caption", 300), ("attribution", 200)])
def test_image_caption_and_credit_are_bounded(image, field, limit):
    data = {"image": image_data(image), "caption": "", "attribution": "", field: "x" * (limit + 1)}
    assert list(field_errors(blocks.ImageWithCaptionBlock(), data)) == [field]


def test_image_api_json(image):
    block = blocks.ImageWithCaptionBlock()
    value = block.to_python(
        {"image": image_data(image, alt_text="", decorative=True), "caption": "C", "attribution": ""}
    )

    data = block.get_api_representation(value, BASE)

    assert {key: data[key] for key in ("caption", "attribution")} == {"caption": "C", "attribution": ""}
    assert_image_json(data["image"], image, alt="")


def test_image_api_json_includes_requested_renditions(image):
    block = blocks.ImageWithCaptionBlock()
    value = block.to_python({"image": image_data(image), "caption": "", "attribution": ""})

    data = block.get_api_representation(value, {**BASE, "renditions": ["fill-400x400"]})

    assert data["image"]["renditions"]["fill-400x400"]["width"] == 400
    assert data["image"]["renditions"]["fill-400x400"]["url"].startswith("https://example.com/media/images/")


def test_an_optional_section_image_stays_optional_in_migrations():
    _path, _args, kwargs = blocks.SectionImageBlock(required=False).deconstruct()
    assert kwargs["required"] is False
    assert "required" not in blocks.SectionImageBlock().deconstruct()[2]


# The section library


def test_the_section_library_offers_every_block_with_hero_first():
    names = list(blocks.ServiceSectionsBlock().child_blocks)
    assert names[0] == "hero"
    new = ["hero", "image", "code", "key_figures", "testimonial", "faq"]
    assert {*new, "intro", "text", "feature_list", "call_to_action"} <= set(names)


def test_a_page_has_at_most_one_hero():
    block = blocks.ServiceSectionsBlock()
    value = block.to_python([{"type": "hero", "value": HERO}, {"type": "hero", "value": HERO}])
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(value)
    assert "Hero" in str(caught.value.non_block_errors)


@pytest.mark.parametrize("name", ["hero", "faq", "testimonial", "key_figures", "code", "image", "feature_list"])
def test_every_new_section_has_a_description_and_a_preview(name):
    block = blocks.ServiceSectionsBlock().child_blocks[name]
    assert block.meta.description and block.meta.icon
    preview = block.get_preview_value()
    assert block.render(preview).strip().startswith(("<section", "<figure"))


# Through the page editor


@pytest.fixture
def editor_client(client, seeded_site):
    client.force_login(get_user_model().objects.create_superuser("blocks-admin", "b@example.com", "a-long-password"))
    return client


def hero_form_value(**secondary) -> dict:
    return {
        "heading": "Flask apps that scale",
        "lead": "Senior developers.",
        "image": {"image": "", "alt_text": ""},
        "primary_button": {"label": "Talk to us", "page": "", "url": "/contact/"},
        "secondary_button": {"label": "", "page": "", "url": "", **secondary},
    }


def test_an_editor_can_add_a_hero_without_a_second_button(editor_client, flask_page):
    sections = [["hero", hero_form_value(), None], *editor_sections(flask_page)]
    data = {**service_page_form_data(flask_page, sections=sections), "action-publish": "publish"}

    response = editor_client.post(f"/admin/pages/{flask_page.pk}/edit/", data)

    assert response.status_code == 302
    hero = ServicePage.objects.get(pk=flask_page.pk).sections[0]
    assert hero.block_type == "hero" and hero.value["image"] is None
    assert hero.value["secondary_button"]["label"] == ""
    html = editor_client.get("/services/flask/").content.decode()
    assert "Flask apps that scale" in html and "button--secondary" not in html


def test_the_editor_reports_a_second_button_without_a_target(editor_client, flask_page):
    sections = [["hero", hero_form_value(label="See our work"), None], *editor_sections(flask_page)]

    response = editor_client.post(
        f"/admin/pages/{flask_page.pk}/edit/", service_page_form_data(flask_page, sections=sections)
    )

    assert response.status_code == 200
    assert "The button needs a target: choose a page or enter a URL." in response.content.decode()
