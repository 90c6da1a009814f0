"""
Rich text is sanitised as it is stored, whatever wrote it, and comes out safe on the site and in the API.

The property tests feed `sanitise_stored_rich_text` a hostile corpus (OWASP filter-evasion vectors,
generated spellings of javascript:/data:/vbscript: URLs and event handlers, mixed with random text
and wrapped in the editor's own tags) and rich text made by Wagtail's own editor converter. They run
a fixed set of 200 examples each (`derandomize`), so CI is deterministic.
"""

import json
import string

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st
from wagtail import blocks as wagtail_blocks
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import RichText

from pages.blocks import RICH_TEXT_FEATURES, SectionRichTextBlock
from pages.blocks.text import UNREADABLE_RICH_TEXT_MESSAGE
from pages.models import ServicePage
from pages.rich_text import STORED_ATTRIBUTES, STORED_TAGS, SanitisedRichText, sanitise_stored_rich_text
from tests.api import conftest as api_fixtures
from tests.factories import ServicePageFactory

from .admin_forms import editor_sections, service_page_form_data
from .markup import parse_html, unsafe_markup

# The API client that checks every response against the served OpenAPI document, and that document.
api_client = api_fixtures.api_client
openapi_document = api_fixtures.openapi_document

DETERMINISTIC = settings(max_examples=200, deadline=None, derandomize=True, database=None)

# --- The hostile corpus ---------------------------------------------------------------------------

OWASP_VECTORS = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<script/xss src=https://xss.example/xss.js></script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1);//<</script>",
    "<script>alert(1)",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=# onmouseover=\"alert('xss')\">",
    "<img src=`javascript:alert(1)`>",
    '<img """><script>alert(1)</script>">',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=javascript:alert(1)>x</math>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<style>@import 'https://xss.example/x.css';</style>",
    "<style>p{background:url(javascript:alert(1))}</style>",
    '<div style="background-image: url(javascript:alert(1))">x</div>',
    '<xss style="behavior: url(xss.htc);">',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="javascript:alert(1)">',
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    '<base href="javascript:alert(1)//">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<a href="x" onclick="alert(1)">x</a>',
    '<a href="x"onclick=alert(1)>x</a>',
    '<a/href="javascript:alert(1)">x</a>',
    "<a href='x' \" onmouseover='alert(1)'>x</a>",
    '<p title="a"onmouseover=alert(1)//">x</p>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<b onmouseover=alert(1)>bold</b>",
    '<a linktype="page" id="1 onclick=alert(1)">x</a>',
    '<a linktype="document" id="1">x</a>',
    '<a linktype="page" id="1" href="javascript:alert(1)">x</a>',
    '<h3 data-block-key="k" onclick="alert(1)">x</h3>',
    '<embed embedtype="image" id="1" format="left" alt="x"/>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java\0script:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="javascript :alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    '<a href="' + "".join(f"&#{ord(c):07d}" for c in "javascript:") + 'alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="\u00a0javascript:alert(1)">x</a>',
    # Nested and unclosed tags that a parser restructures once an element between them is unwrapped.
    "<h3><div><h4>x</h4></div></h3>",
    "<p><div><p>x</p></div></p>",
    "<b><p>x</b>y</p>",
    "<ul><li>a<div><li>b</div>",
    "<a href=/a>x<div><a href=/b>y</a></div></a>",
]


def _entity(character: str, spelling: str) -> str:
    return {
        "plain": character,
        "decimal": f"&#{ord(character)};",
        "padded": f"&#{ord(character):07d}",
        "hex": f"&#x{ord(character):X};",
    }[spelling]


@st.composite
def obfuscated_url(draw) -> str:
    """javascript:, vbscript: or data: in odd case, entities, control characters and whitespace."""
    scheme = draw(st.sampled_from(["javascript", "vbscript", "data"]))
    spelt = draw(st.sampled_from(["", " ", "\x01", "&#32;", "\x0b", "\u00a0", "\t"]))
    for character in scheme + ":":
        if character.isalpha():
            character = draw(st.sampled_from([character.lower(), character.upper()]))
        spelt += draw(st.sampled_from(["", "", "", "\t", "\n", "\r", "\x00", "&#x09;", "&#10;", "&Tab;", "&NewLine;"]))
        spelt += _entity(character, draw(st.sampled_from(["plain", "plain", "decimal", "padded", "hex"])))
    payload = {
        "javascript": "alert(document.cookie)",
        "vbscript": "msgbox(1)",
        "data": "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    }[scheme]
    return spelt + payload


URL_TEMPLATES = [
    '<a href="{}">link</a>',
    "<a href='{}'>link</a>",
    "<a href={}>link</a>",
    '<A HREF="{}">link</A>',
    '<a linktype="page" id="1" href="{}">link</a>',
    '<img src="{}">',
    '<iframe src="{}"></iframe>',
    '<form action="{}"><input type=submit></form>',
    '<p><b><a href="{}">nested</a></b></p>',
]
EVENTS = ["onclick", "onerror", "onload", "onmouseover", "onfocus", "onanimationstart", "onpointerenter"]
TAGS = [*sorted(STORED_TAGS), "img", "svg", "div", "span", "body", "details", "video"]

url_vectors = st.builds(str.format, st.sampled_from(URL_TEMPLATES), obfuscated_url())
event_vectors = st.builds(
    "<{0}{1}{2}={3}alert(1){3}>x</{0}>".format,
    st.sampled_from(TAGS),
    st.sampled_from([" ", "/", "\n", "\t", ' x="y"']),
    st.builds(lambda event, upper: event.upper() if upper else event.title(), st.sampled_from(EVENTS), st.booleans()),
    st.sampled_from(["", '"', "'", "`"]),
)
text_fragments = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + " <>&\"'=/;:\n\t\x00"), max_size=12
)
hostile_pieces = st.one_of(st.sampled_from(OWASP_VECTORS), url_vectors, event_vectors, text_fragments)
hostile_html = st.recursive(
    st.lists(hostile_pieces, min_size=1, max_size=5).map("".join),
    lambda inner: st.builds(
        "{0}{1}{2}".format,
        st.sampled_from(
            ["<p>", "<b>", "<i>", "<li>", "<ul><li>", "<h3>", "<code>", '<a href="/x">', "<div>", "<p title='"]
        ),
        inner,
        st.sampled_from(["</p>", "</b>", "", "</li></ul>", "</h3>", "</a>", "</div>", "'>"]),
    ),
    max_leaves=6,
)


def assert_stored_format(html: str) -> None:
    """Only the editor's tags and attributes (so no script, style, iframe or svg), and no link that could run."""
    assert unsafe_markup(html) == []
    for element in parse_html(html).elements:
        assert element.tag in STORED_TAGS, html
        for name, value in element.attributes:
            is_page_link = (element.tag, name, value) == ("a", "linktype", "page")
            assert is_page_link or name in STORED_ATTRIBUTES.get(element.tag, set()), html


@DETERMINISTIC
@given(hostile_html)
def test_hostile_rich_text_is_stored_without_anything_that_could_run(html):
    assert_stored_format(sanitise_stored_rich_text(html).html)


@DETERMINISTIC
@given(hostile_html)
@example("<h3><div><h4>x</h4></div></h3>")
@example("<p>a<div><p>b<table><tr><td><h3><div><h4>c")
def test_sanitising_twice_gives_the_same_result(html):
    once = sanitise_stored_rich_text(html)
    twice = sanitise_stored_rich_text(once.html)

    assert twice.html == once.html
    assert twice.removals == ()


@DETERMINISTIC
@given(hostile_html)
def test_whatever_is_taken_out_is_reported(html):
    original = parse_html(html).elements
    has_foreign_markup = any(
        element.tag not in STORED_TAGS or any(name.startswith("on") for name, _ in element.attributes)
        for element in original
    )

    result = sanitise_stored_rich_text(html)

    if has_foreign_markup:
        assert result.removals
    assert all(removal.startswith("removed ") for removal in result.removals)


# --- Rich text as the editor writes it -----------------------------------------------------------

editor_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"), include_characters="\n"), max_size=30
)
SAFE_URLS = [
    "https://flask.palletsprojects.com/",
    "http://example.com/a?b=1&c=2#d",
    "mailto:team@nextbigit.com",
    "tel:+442012345678",
    "/services/flask/",
    "#pricing",
    'https://example.com/it\'s "quoted" <here>',
]
link_data = st.one_of(
    st.builds(lambda url: {"url": url}, st.sampled_from(SAFE_URLS)),
    st.builds(lambda pk: {"id": pk}, st.integers(1, 10**6)),
)


block_key_suffix = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=3, max_size=3)


@st.composite
def editor_contentstate(draw) -> dict:
    """Draftail's JSON for paragraphs, h3/h4 and lists with bold, italic, code and links (the toolbar's features)."""
    blocks, entity_map = [], {}
    for index in range(draw(st.integers(1, 5))):
        text = draw(editor_text)
        styles, entities = [], []
        if text:
            for style in draw(st.lists(st.sampled_from(["BOLD", "ITALIC", "CODE"]), max_size=3, unique=True)):
                offset = draw(st.integers(0, len(text) - 1))
                styles.append({"offset": offset, "length": draw(st.integers(1, len(text) - offset)), "style": style})
        if text and draw(st.booleans()):
            offset = draw(st.integers(0, len(text) - 1))
            key = len(entity_map)
            entity_map[str(key)] = {"type": "LINK", "mutability": "MUTABLE", "data": draw(link_data)}
            entities.append({"key": key, "offset": offset, "length": draw(st.integers(1, len(text) - offset))})
        block_type = draw(
            st.sampled_from(["unstyled", "header-three", "header-four", "unordered-list-item", "ordered-list-item"])
        )
        blocks.append(
            {
                "key": f"k{index}{draw(block_key_suffix)}",
                "type": block_type,
                "depth": 0,
                "text": text,
                "inlineStyleRanges": styles,
                "entityRanges": entities,
            }
        )
    return {"blocks": blocks, "entityMap": entity_map}


def markup_outline(html: str) -> list[tuple]:
    """Each element of `html` with its attributes and text, so that spellings of the same markup compare equal."""
    return [(element.tag, sorted(element.attributes), element.text) for element in parse_html(html).elements]


@DETERMINISTIC
@given(editor_contentstate())
def test_what_the_editor_writes_is_kept_as_it_is(contentstate):
    source = ContentstateConverter(RICH_TEXT_FEATURES).to_database_format(json.dumps(contentstate))

    result = sanitise_stored_rich_text(source)

    assert result.removals == ()
    assert markup_outline(result.html) == markup_outline(source)


# --- What is reported ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "removals"),
    [
        ("<p>Hi<script>alert(1)</script></p>", ("removed <script> element",)),
        ('<p><a href="/x" onclick="steal()">x</a></p>', ("removed onclick attribute from <a>",)),
        ('<a href="javascript:alert(1)">x</a>', ("removed unsafe link javascript:alert(1)",)),
        ('<a href="java\0script:x()">x</a>', ("removed unsafe link java\\x00script:x()",)),
        ('<a href="javascript:' + "a" * 80 + '">x</a>', ("removed unsafe link javascript:" + "a" * 48 + "…",)),
        ("<div>kept</div><img src=x onerror=alert(1)>", ("removed <div> tag, kept its text", "removed <img> element")),
        ("<p>a<!-- note --></p>", ("removed HTML comment",)),
        ('<b onclick="1">a</b><b onclick="2">b</b>', ("removed onclick attribute from <b> (2 times)",)),
        (
            '<a linktype="page" id="3 onclick=x">x</a>',
            ("removed linktype attribute from <a>", "removed id attribute from <a>"),
        ),
        ('<svg onload="x()"><circle onclick="y()"/></svg>', ("removed <svg> element",)),
    ],
)
def test_removals_say_what_was_taken_out(html, removals):
    assert sanitise_stored_rich_text(html).removals == removals


def test_normalising_the_markup_is_not_a_removal():
    result = sanitise_stored_rich_text('<p data-block-key="a1">It&#x27;s<br/>here&nbsp;<b>now</b></p>')

    assert result.removals == ()
    assert result.html == '<p data-block-key="a1">It\'s<br>here&nbsp;<b>now</b></p>'


def test_page_links_and_safe_links_are_kept():
    html = (
        '<p><a linktype="page" id="3">Flask</a>, <a href="https://example.com/?a=1&amp;b=2">docs</a>, '
        '<a href="mailto:team@example.com">mail</a>, <a href="tel:+4420">call</a>, <a href="#top">top</a>, '
        '<a href="/services/">services</a></p>'
    )

    assert sanitise_stored_rich_text(html) == SanitisedRichText(html=html, removals=())


# --- The blocks --------------------------------------------------------------------------------


HOSTILE = '<p>Hi <a href="javascript:alert(1)" onclick="steal()">there</a><script>alert(1)</script></p>'
HOSTILE_STORED = "<p>Hi <a>there</a></p>"


def test_the_block_stores_rich_text_sanitised():
    block = SectionRichTextBlock()

    assert block.get_prep_value(RichText(HOSTILE)) == HOSTILE_STORED
    assert block.get_prep_value(HOSTILE) == HOSTILE_STORED


def test_cleaning_sanitises_before_checking_that_there_is_an_answer():
    block = SectionRichTextBlock()

    assert block.clean(RichText(HOSTILE)).source == HOSTILE_STORED
    with pytest.raises(ValidationError):
        block.clean(RichText("<script>alert(1)</script>"))


@DETERMINISTIC
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(-2, 5), st.text(max_size=8)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(
                st.sampled_from(["blocks", "entityMap", "text", "type", "key", "inlineStyleRanges", "entityRanges"]),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=15,
    ).map(json.dumps)
    | st.text(max_size=20)
)
def test_a_hand_made_editor_post_is_a_form_error_never_a_crash(posted):
    block = SectionRichTextBlock()

    value = block.value_from_datadict({"body": posted}, {}, "body")

    try:
        cleaned = block.clean(value)
    except ValidationError as error:
        assert error.messages in (["This field is required."], [UNREADABLE_RICH_TEXT_MESSAGE])
    else:
        assert_stored_format(cleaned.source)


def test_every_rich_text_the_site_stores_goes_through_the_sanitising_block():
    def rich_text_blocks(block):
        if isinstance(block, wagtail_blocks.RichTextBlock):
            yield block
        children = [block.child_block] if isinstance(block, wagtail_blocks.ListBlock) else []
        for child in [*children, *getattr(block, "child_blocks", {}).values()]:
            yield from rich_text_blocks(child)

    models = [*apps.get_app_config("pages").get_models(), *apps.get_app_config("api").get_models()]
    fields = [field for model in models for field in model._meta.get_fields()]

    assert not [field for field in fields if isinstance(field, RichTextField)]
    found = [
        block for field in fields if isinstance(field, StreamField) for block in rich_text_blocks(field.stream_block)
    ]
    assert found and all(isinstance(block, SectionRichTextBlock) for block in found)


# --- End to end: every way in, every way out -----------------------------------------------------


def stored_sections(page) -> list[dict]:
    """The page's sections as the database row holds them, not as Python values built from them."""
    stored = (
        ServicePage.objects.filter(pk=page.pk)
        .annotate(stored=Cast("sections", output_field=TextField()))
        .values_list("stored", flat=True)
        .get()
    )
    return json.loads(stored)


def revision_sections(page) -> list[dict]:
    """The sections of the page's latest revision, as stored."""
    sections = ServicePage.objects.get(pk=page.pk).get_latest_revision().content["sections"]
    return json.loads(sections) if isinstance(sections, str) else sections


def rich_texts(sections: list[dict]) -> list[str]:
    """Every stored rich text of text and FAQ sections, in page order."""
    found = []
    for section in sections:
        if section["type"] == "text":
            found.append(section["value"]["body"])
        elif section["type"] == "faq":
            found.extend(item["value"]["answer"] for item in section["value"]["items"])
    return found


@pytest.fixture
def admin_client(client, seeded_site):
    user = get_user_model().objects.create_superuser("sanitising-admin", "admin@example.com", "a-long-test-password")
    client.force_login(user)
    return client


def _link_block(text: str, *entities: tuple[int, int, dict]) -> tuple[dict, dict]:
    """A Draftail paragraph of `text` whose (offset, length, data) ranges are LINK entities."""
    entity_map = {
        str(key): {"type": "LINK", "mutability": "MUTABLE", "data": data} for key, (_, _, data) in enumerate(entities)
    }
    ranges = [{"key": key, "offset": offset, "length": length} for key, (offset, length, _) in enumerate(entities)]
    block = {
        "key": "xss01",
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": ranges,
    }
    return block, entity_map


@pytest.mark.django_db
def test_the_admin_form_with_the_editor_bypassed_stores_and_serves_no_unsafe_link(admin_client, api_client, flask_page):
    text = "Call <img src=x onerror=alert(1)> us"
    block, entity_map = _link_block(
        text,
        (0, 4, {"url": "javascript:alert(1)"}),
        (len(text) - 2, 2, {"id": '1" onmouseover="alert(1)'}),
    )
    sections = editor_sections(flask_page)
    assert sections[1][0] == "text"
    sections[1][1]["body"] = json.dumps({"blocks": [block], "entityMap": entity_map})

    response = admin_client.post(
        f"/admin/pages/{flask_page.pk}/edit/",
        {**service_page_form_data(flask_page, sections=sections), "action-publish": "publish"},
    )

    assert response.status_code == 302
    stored = '<p data-block-key="xss01"><a>Call</a> &lt;img src=x onerror=alert(1)&gt; <a>us</a></p>'
    assert rich_texts(revision_sections(flask_page))[0] == stored
    assert rich_texts(stored_sections(flask_page))[0] == stored
    page_html = Client().get("/services/flask/").content.decode()  # as a visitor sees it
    assert unsafe_markup(page_html) == []
    assert "Call</a> &lt;img src=x onerror=alert(1)&gt; <a>us</a>" in page_html
    body = api_client.get(f"/api/v1/pages/{flask_page.pk}/").json()["sections"][1]["value"]["body"]
    assert body == "<p><a>Call</a> &lt;img src=x onerror=alert(1)&gt; <a>us</a></p>"


@pytest.mark.django_db
def test_an_unreadable_editor_post_is_a_form_error(admin_client, flask_page):
    sections = editor_sections(flask_page)
    sections[1][1]["body"] = '{"blocks": "<script>alert(1)</script>"}'
    revisions_before = flask_page.revisions.count()

    response = admin_client.post(
        f"/admin/pages/{flask_page.pk}/edit/", service_page_form_data(flask_page, sections=sections)
    )

    assert response.status_code == 200
    assert UNREADABLE_RICH_TEXT_MESSAGE in response.content.decode()
    assert flask_page.revisions.count() == revisions_before


@pytest.mark.django_db
def test_sections_built_from_raw_json_as_load_initial_data_does_are_stored_clean(services_index):
    raw = [
        {"type": "text", "value": {"heading": "Why us", "body": HOSTILE}},
        {"type": "faq", "value": {"heading": "FAQ", "items": [{"question": "Safe?", "answer": HOSTILE}]}},
    ]
    # What `pages.importers.import_service_page` does with the parsed article.
    sections = ServicePage._meta.get_field("sections").stream_block.to_python(raw)
    page = ServicePage(title="Raw", slug="raw", summary="Raw JSON.", sections=sections)
    services_index.add_child(instance=page)
    page.save_revision().publish()

    assert rich_texts(revision_sections(page)) == [HOSTILE_STORED, HOSTILE_STORED]
    assert rich_texts(stored_sections(page)) == [HOSTILE_STORED, HOSTILE_STORED]


@pytest.mark.django_db
def test_sections_assigned_in_code_are_stored_clean(service_page):
    service_page.sections = [
        ("text", {"heading": "Tuples", "body": RichText(HOSTILE)}),
        ("faq", {"heading": "FAQ", "items": [{"question": "Q?", "answer": HOSTILE}]}),
    ]
    service_page.save_revision().publish()

    assert rich_texts(stored_sections(service_page)) == [HOSTILE_STORED, HOSTILE_STORED]

    service_page.sections = json.dumps([{"type": "text", "value": {"heading": "JSON", "body": HOSTILE}}])
    service_page.save()

    assert rich_texts(stored_sections(service_page)) == [HOSTILE_STORED]


@pytest.mark.django_db
def test_a_hostile_value_from_a_factory_is_stored_clean_and_served_clean(client, api_client, services_index):
    page = ServicePageFactory(
        parent=services_index,
        slug="hostile",
        sections__0__text__body=RichText(HOSTILE),
        sections__1__faq__items__0__answer=RichText(HOSTILE),
    )
    page.save_revision().publish()

    assert rich_texts(stored_sections(page)) == [HOSTILE_STORED, HOSTILE_STORED]
    html = client.get("/services/hostile/").content.decode()
    assert unsafe_markup(html) == []
    assert html.count("<p>Hi <a>there</a></p>") == 2
    sections = api_client.get(f"/api/v1/pages/{page.pk}/").json()["sections"]
    assert [sections[0]["value"]["body"], sections[1]["value"]["items"][0]["answer"]] == [HOSTILE_STORED] * 2
    markdown = api_client.get(f"/api/v1/pages/{page.pk}/?rich_text_format=markdown").json()["sections"]
    assert "javascript" not in markdown[0]["value"]["body"] and "alert" not in markdown[0]["value"]["body"]
