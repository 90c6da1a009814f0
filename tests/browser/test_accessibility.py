"""
Accessibility of the public site, in a real Chromium: axe-core's WCAG 2.2 A/AA rules on each page, plus the
checks a person using a keyboard or a screen reader would notice first (headings, skip link, focus, alt text).

axe-core comes from npm (package.json / package-lock.json; `make test` runs `npm ci`) and is injected into each
page from node_modules on disk, so nothing is loaded from another host.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import wagtail_factories
from django.test import Client
from playwright.sync_api import Page, expect
from wagtail.rich_text import RichText

from pages.blocks import ServiceSectionsBlock
from pages.models import CallToAction, ServiceIndexPage
from pages.seed import load_initial_data
from tests.factories import service_page_with_every_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
BLOCKING_IMPACTS = {"serious", "critical"}
NODES_SHOWN = 3

ALL_SECTIONS_SLUG = "every-section"
HERO_ALT = "Two developers planning a release at a whiteboard"
FIGURE_ALT = "A release checklist pinned to a board"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class SitePage:
    """A page of the public site the checks run on.

    `may_be_missing`: the page is being built in another change; it is checked once a page exists at `path`
    in the seeded content, and skipped (with the reason) until then.
    """

    name: str
    path: str
    status: int = 200
    may_be_missing: bool = False


FLASK = SitePage("flask", "/services/flask/")
EVERY_SECTION = SitePage("every-section", f"/services/{ALL_SECTIONS_SLUG}/")
# Add pages here; every check below runs on each of them.
SITE_PAGES = [
    SitePage("home", "/"),
    SitePage("services", "/services/"),
    FLASK,
    EVERY_SECTION,
    SitePage("not-found", "/no-page-here/", status=404),
    SitePage("contact", "/contact/", may_be_missing=True),
]


def build_page_with_every_section() -> None:
    """A published service page under the services index with one of each section type, images included."""
    image = wagtail_factories.ImageFactory(title="Whiteboard", file__width=1600, file__height=900)

    def copy_of_image():
        """ImageBlock keeps its alt text and 'decorative' flag on the image object: one object per block."""
        return type(image).objects.get(pk=image.pk)

    page = service_page_with_every_section(
        ServiceIndexPage.objects.get(),
        slug=ALL_SECTIONS_SLUG,
        title="Every section, for the accessibility checks",
        summary="One of each section an editor can add.",
        listing_image=image,
        shared_call_to_action=CallToAction.objects.get(),
        sections={
            "hero": {
                "heading": "Software that grows with you",
                "with_image": True,
                "image__image": copy_of_image(),
                "image__alt_text": HERO_ALT,
                "secondary_button__label": "See our work",
                "secondary_button__url": "/services/",
            },
            "intro": {"lead": "A lead paragraph that opens the page."},
            "text": {
                "heading": "What we do",
                "body": RichText(
                    '<p>Some <b>bold</b> words, <a href="/services/">a link</a> and <code>code</code>.</p>'
                    "<h3>A sub-heading</h3><ul><li>One</li><li>Two</li></ul>"
                ),
            },
            "image": {
                "image__image": copy_of_image(),
                "image__alt_text": FIGURE_ALT,
                "attribution": "Photo: NextBigIt",
            },
            "code": {"code": 'from flask import Flask\n\n# A comment\napp = Flask(__name__)\nPORT = int("8000")\n'},
            "feature_list": [
                {"heading": "Advantages", "items__0__icon": "bolt", "items__1__title": "Plain marker"},
                {"heading": "Disadvantages", "kind": "disadvantages", "items__0__title": "A drawback"},
            ],
            "key_figures": {
                "items__0__value": "120+",
                "items__1__value": "12",
                "items__1__label": "Years in business",
            },
            "testimonial": {"with_photo": True, "photo__image": copy_of_image(), "photo__decorative": True},
            "faq": {"items__0__question": "How long does it take?", "items__1__question": "What does it cost?"},
            "call_to_action": {"heading": "Hire our developers"},
        },
    )
    page.save_revision().publish()
    missing = set(ServiceSectionsBlock.base_blocks) - {section.block_type for section in page.sections}
    assert not missing, f"Add these section types to the accessibility test page: {sorted(missing)}"


@pytest.fixture
def seeded(live_server) -> None:
    """The real content (`load_initial_data`) plus the page with every section type."""
    load_initial_data()
    build_page_with_every_section()


@pytest.fixture
def site_page(request: pytest.FixtureRequest, seeded) -> SitePage:
    """The page under test, once the content is in; a page still being built elsewhere is skipped until it exists."""
    site_page: SitePage = request.param
    if site_page.may_be_missing:
        status = Client().get(site_page.path).status_code
        if status == 404:
            pytest.skip(f"no page at {site_page.path} in the seeded content yet; it is checked as soon as one exists")
    return site_page


every_page = pytest.mark.parametrize("site_page", SITE_PAGES, indirect=True, ids=[p.name for p in SITE_PAGES])


def open_page(page: Page, site_page: SitePage) -> None:
    response = page.goto(site_page.path)
    assert response is not None
    assert response.status == site_page.status, f"{site_page.path}: HTTP {response.status}"


def describe_violation(violation: dict) -> str:
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']} - {violation['helpUrl']}"]
    for node in violation["nodes"][:NODES_SHOWN]:
        lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
        if node.get("failureSummary"):
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    if len(violation["nodes"]) > NODES_SHOWN:
        lines.append(f"    … and {len(violation['nodes']) - NODES_SHOWN} more")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page: Page) -> None:
    """Run axe-core's WCAG 2.2 A/AA rules on the page; fail on any serious or critical violation."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}): `make test` (or `npm ci`) installs it.", pytrace=False)
    # Evaluated, not added as a <script>: the site's Content-Security-Policy refuses inline scripts.
    page.evaluate(AXE_JS.read_text())
    results = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    blocking = [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]
    if blocking:
        report = "\n".join(describe_violation(violation) for violation in blocking)
        pytest.fail(f"axe-core found {len(blocking)} serious/critical violation(s) on {page.url}:\n{report}")


@every_page
def test_axe_finds_no_serious_violations(page: Page, site_page: SitePage):
    page.set_viewport_size(DESKTOP)
    open_page(page, site_page)
    assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_flask_page_at_phone_and_desktop_sizes(page: Page, seeded, viewport: dict):
    page.set_viewport_size(viewport)
    open_page(page, FLASK)
    assert_no_serious_axe_violations(page)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {viewport['width']}px wide"


@every_page
def test_one_h1_and_no_skipped_heading_levels(page: Page, site_page: SitePage):
    open_page(page, site_page)
    headings = page.eval_on_selector_all(
        "h1, h2, h3, h4, h5, h6", "(elements) => elements.map((h) => [Number(h.tagName[1]), h.textContent.trim()])"
    )
    outline = "\n".join(f"{'  ' * (level - 1)}h{level} {text}" for level, text in headings)
    assert [level for level, _text in headings].count(1) == 1, f"expected exactly one h1:\n{outline}"
    previous = 0
    for level, text in headings:
        assert level <= previous + 1, f"h{previous} is followed by h{level} ('{text}'):\n{outline}"
        previous = level


@every_page
def test_every_image_has_alt_text(page: Page, site_page: SitePage):
    open_page(page, site_page)
    without_alt = page.eval_on_selector_all("img:not([alt])", "(images) => images.map((img) => img.outerHTML)")
    assert not without_alt, "images without an alt attribute:\n" + "\n".join(without_alt)


def test_images_on_the_every_section_page_carry_their_alt_text(page: Page, seeded):
    """Described images read their alt text; the decorative portrait is hidden from screen readers (alt="")."""
    open_page(page, EVERY_SECTION)
    expect(page.locator(".hero__image")).to_have_attribute("alt", HERO_ALT)
    expect(page.locator(".figure img")).to_have_attribute("alt", FIGURE_ALT)
    expect(page.locator(".testimonial__photo")).to_have_attribute("alt", "")


@every_page
def test_skip_link_comes_first_and_moves_focus_to_main(page: Page, site_page: SitePage):
    open_page(page, site_page)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


FOCUS_RING = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
        && style.outlineColor !== 'rgba(0, 0, 0, 0)';
    return {html: element.outerHTML.slice(0, 120), visible: outline || style.boxShadow !== 'none'};
}"""
MAX_TABS = 200


@every_page
def test_focus_is_visible_on_every_focusable_element(page: Page, site_page: SitePage):
    """Tab through the whole page: whatever has keyboard focus shows an outline or a ring."""
    open_page(page, site_page)
    seen, invisible = [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_RING)
        if focused is None or (seen and focused["html"] == seen[0]):
            break
        seen.append(focused["html"])
        if not focused["visible"]:
            invisible.append(focused["html"])
    assert seen, "nothing on the page takes keyboard focus"
    assert not invisible, "focused without a visible outline or ring:\n" + "\n".join(invisible)
