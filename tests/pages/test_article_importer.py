"""The article importer on its own: headings, feature lists, lost headings, Markdown."""

from pages.importers import MissingHeading, parse_article
from pages.importers.article import PLACEHOLDER_HEADING

ARTICLE = """Intro paragraph about the thing.

Why it matters

It matters a lot. Really.

Advantages of Thing

Here are the benefits:


A paragraph whose heading was lost.

Fast

It is fast.


Hire our developers today and ship sooner.
"""


def test_headings_lists_and_call_to_action_are_recognised():
    result = parse_article(ARTICLE, supplied_headings={"A paragraph whose": "Reliable"})

    assert [section["type"] for section in result.sections] == ["intro", "text", "feature_list", "call_to_action"]
    assert result.sections[0]["value"]["lead"] == "Intro paragraph about the thing."
    assert result.sections[1]["value"] == {"heading": "Why it matters", "body": "<p>It matters a lot. Really.</p>"}
    features = result.sections[2]["value"]
    assert features["intro"] == "Here are the benefits:"
    assert features["items"] == [
        {"title": "Reliable", "text": "A paragraph whose heading was lost."},
        {"title": "Fast", "text": "It is fast."},
    ]
    assert result.missing_headings == [
        MissingHeading(section="call to action", paragraph_start="Hire our developers today and ship sooner.")
    ]


def test_lost_headings_are_reported_and_marked():
    result = parse_article(ARTICLE)

    assert [gap.paragraph_start for gap in result.missing_headings] == [
        "A paragraph whose heading was lost.",
        "Hire our developers today and ship sooner.",
    ]
    assert result.sections[2]["value"]["items"][0]["title"] == PLACEHOLDER_HEADING


def test_disadvantages_make_a_disadvantages_list():
    result = parse_article("Disadvantages of Thing\n\nSlow\n\nIt is slow.\n")
    assert result.sections[0]["value"]["kind"] == "disadvantages"
    assert result.sections[0]["value"]["items"] == [{"title": "Slow", "text": "It is slow."}]


def test_markdown_headings_and_escaping():
    result = parse_article("# Title line\n\nBody with <script>alert(1)</script> text.\n")
    assert result.sections == [
        {
            "type": "text",
            "value": {"heading": "Title line", "body": "<p>Body with &lt;script&gt;alert(1)&lt;/script&gt; text.</p>"},
        }
    ]
