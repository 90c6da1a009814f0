"""Search engines and sharing: head tags, JSON-LD and robots.txt (the sitemap: test_sitemap.py)."""

import json
import re
from html.parser import HTMLParser

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import Site

from pages.models import HomePage, ServiceIndexPage, ServicePage, SiteSettings, SocialLink
from pages.seo import page_seo, truncate_description

from .admin_forms import service_page_form_data

pytestmark = pytest.mark.django_db

FLASK_URL = "http://testserver/services/flask/"


class HeadParser(HTMLParser):
    """Collects the title, meta and link tags of <head>, and the body of every <script> on the page."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.scripts: list[dict] = []
        self._in: str | None = None
        self._in_head = True

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in = tag
            self.scripts.append({"type": attrs.get("type"), "text": ""})
        elif not self._in_head:
            return
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs["rel"], []).append(attrs["href"])
        elif tag == "title":
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None
        if tag == "head":
            self._in_head = False

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.scripts[-1]["text"] += data


def head_of(client, url: str) -> HeadParser:
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def one(parser: HeadParser, key: str) -> str:
    values = parser.meta.get(key, [])
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


def json_ld_graph(parser: HeadParser) -> dict[str, dict]:
    """The JSON-LD nodes of a page, by type; every script must be JSON-LD and parse."""
    assert parser.scripts, "no JSON-LD"
    nodes = {}
    for script in parser.scripts:
        assert script["type"] == "application/ld+json"
        data = json.loads(script["text"])
        assert data["@context"] == "https://schema.org"
        for node in data["@graph"]:
            assert node["@type"] not in nodes, f"{node['@type']} appears twice"
            nodes[node["@type"]] = node
    return nodes


def add_faq(page: ServicePage, items: list[dict]) -> None:
    """Adds an FAQ section as the admin would store it, and publishes the page."""
    faq_block = ServicePage._meta.get_field("sections").stream_block.child_blocks["faq"]
    page.sections.append(("faq", faq_block.to_python({"heading": "Questions", "items": items})))
    page.save_revision().publish()


# <title> and meta description


def test_title_is_the_seo_title_else_the_page_title_and_company(client, flask_page):
    assert head_of(client, "/services/flask/").title == flask_page.seo_title

    flask_page.seo_title = ""
    flask_page.save_revision().publish()
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.company_name = "Acme & Co"
    settings.save()

    html = client.get("/services/flask/").content.decode()
    assert "<title>Flask development services | Acme &amp; Co</title>" in html


def test_description_is_the_search_description_else_the_summary(client, flask_page):
    parser = head_of(client, "/services/flask/")
    assert one(parser, "description") == flask_page.search_description
    assert one(parser, "og:description") == flask_page.search_description
    assert one(parser, "twitter:description") == flask_page.search_description

    flask_page.search_description = ""
    flask_page.save_revision().publish()

    assert one(head_of(client, "/services/flask/"), "description") == flask_page.summary


def test_long_summaries_are_shortened_at_a_word(client, flask_page):
    flask_page.search_description = ""
    flask_page.summary = "Flask developers who ship " + "lean, scalable web applications " * 10
    flask_page.save_revision().publish()

    description = one(head_of(client, "/services/flask/"), "description")

    assert len(description) <= 155
    assert description.endswith("…")
    assert flask_page.summary.startswith(description[:-1])
    assert flask_page.summary[len(description) - 1] == " ", "cut inside a word"


def test_truncation_keeps_short_text_and_collapses_whitespace():
    assert truncate_description("  Two\n lines  ") == "Two lines"
    assert truncate_description("x" * 200) == "x" * 154 + "…"


def test_home_and_services_index_describe_themselves_with_their_intro(client, flask_page):
    home = HomePage.objects.get()
    index = ServiceIndexPage.objects.get()

    assert one(head_of(client, "/"), "description") == truncate_description(home.intro)
    assert one(head_of(client, "/services/"), "description") == index.intro


# Canonical URL, Open Graph and Twitter cards


def test_canonical_is_the_page_url_unless_the_editor_overrides_it(client, flask_page):
    parser = head_of(client, "/services/flask/?utm_source=newsletter")
    assert parser.links["canonical"] == [FLASK_URL]
    assert one(parser, "og:url") == FLASK_URL

    flask_page.canonical_url = "https://blog.example.com/flask/"
    flask_page.save_revision().publish()

    parser = head_of(client, "/services/flask/")
    assert parser.links["canonical"] == ["https://blog.example.com/flask/"]
    assert one(parser, "og:url") == "https://blog.example.com/flask/"


def test_open_graph_and_twitter_without_an_image(client, flask_page):
    parser = head_of(client, "/services/flask/")

    assert one(parser, "og:type") == "article"
    assert one(parser, "og:title") == flask_page.seo_title
    assert one(parser, "og:site_name") == "NextBigIt"
    assert "og:image" not in parser.meta
    assert one(parser, "twitter:card") == "summary"
    assert one(parser, "twitter:title") == flask_page.seo_title
    assert "twitter:image" not in parser.meta

    home = head_of(client, "/")
    assert one(home, "og:type") == "website"
    assert one(home, "og:url") == "http://testserver/"


def test_the_social_image_is_a_1200x630_rendition_with_absolute_url(client, flask_page):
    image = wagtail_factories.ImageFactory(title="Developers at a whiteboard", file__width=1600, file__height=1000)
    flask_page.social_image = image
    flask_page.save_revision().publish()

    parser = head_of(client, "/services/flask/")

    url = one(parser, "og:image")
    assert url.startswith("http://testserver/") and "fill-1200x630" in url
    assert one(parser, "og:image:width") == "1200"
    assert one(parser, "og:image:height") == "630"
    assert one(parser, "og:image:alt") == "Developers at a whiteboard"
    assert one(parser, "twitter:card") == "summary_large_image"
    assert one(parser, "twitter:image") == url
    assert one(parser, "twitter:image:alt") == "Developers at a whiteboard"


def test_a_service_without_social_image_shares_its_listing_image(client, flask_page):
    listing = wagtail_factories.ImageFactory(title="Listing", file__width=1600, file__height=1000)
    flask_page.listing_image = listing
    flask_page.save_revision().publish()

    parser = head_of(client, "/services/flask/")

    assert listing.get_rendition("fill-1200x630").url in one(parser, "og:image")
    assert one(parser, "og:image:alt") == "Listing"
    assert one(parser, "twitter:card") == "summary_large_image"


def test_head_values_are_escaped(client, flask_page):
    flask_page.seo_title = 'Flask "fast" <b>apps</b>'
    flask_page.search_description = 'Quotes " and <tags> & ampersands'
    flask_page.save_revision().publish()

    html = client.get("/services/flask/").content.decode()

    assert "<b>apps</b>" not in html
    assert '<meta property="og:title" content="Flask &quot;fast&quot; &lt;b&gt;apps&lt;/b&gt;">' in html
    assert 'content="Quotes &quot; and &lt;tags&gt; &amp; ampersands"' in html


def test_the_404_page_has_no_page_specific_tags(client, seeded_site):
    html = client.get("/services/cobol/").content.decode()

    assert "<title>Page not found | NextBigIt</title>" in html
    assert 'rel="canonical"' not in html and "og:" not in html


# JSON-LD


def test_every_page_describes_the_organization(client, flask_page):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_phone = "+44 20 7946 0000"
    settings.save()
    SocialLink.objects.create(settings=settings, sort_order=5, service="github", url="https://github.com/nextbigit")

    for url in ["/", "/services/", "/services/flask/"]:
        org = json_ld_graph(head_of(client, url))["Organization"]
        assert org == {
            "@type": "Organization",
            "@id": "http://testserver/#organization",
            "name": "NextBigIt",
            "url": "http://testserver/",
            "email": "hello@nextbigit.com",
            "telephone": "+44 20 7946 0000",
            "sameAs": ["https://www.linkedin.com/company/nextbigit/", "https://github.com/nextbigit"],
        }


def test_the_organization_leaves_out_what_is_not_set(client, seeded_site):
    settings = SiteSettings.for_site(seeded_site)
    settings.contact_email = ""
    settings.save()
    settings.social_links.all().delete()

    org = json_ld_graph(head_of(client, "/"))["Organization"]

    assert set(org) == {"@type", "@id", "name", "url"}


def test_a_service_page_has_service_and_breadcrumbs(client, flask_page):
    nodes = json_ld_graph(head_of(client, "/services/flask/"))

    assert nodes["Service"] == {
        "@type": "Service",
        "@id": f"{FLASK_URL}#service",
        "name": "Flask development services",
        "description": flask_page.summary,
        "provider": {"@id": nodes["Organization"]["@id"]},
        "url": FLASK_URL,
    }
    crumbs = nodes["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://testserver/"),
        (2, "Services", "http://testserver/services/"),
        (3, "Flask development services", FLASK_URL),
    ]
    assert all(c["@type"] == "ListItem" for c in crumbs)
    assert "FAQPage" not in nodes


def test_home_and_services_index_have_no_service_or_breadcrumbs(client, flask_page):
    assert set(json_ld_graph(head_of(client, "/"))) == {"Organization"}
    assert set(json_ld_graph(head_of(client, "/services/"))) == {"Organization"}


def test_previewing_a_new_page_shows_the_address_it_will_have(client, flask_page):
    editor = get_user_model().objects.create_superuser("seo-editor", "seo@example.com", "a-long-test-password")
    client.force_login(editor)
    preview_url = f"/admin/pages/add/pages/servicepage/{flask_page.get_parent().pk}/preview/"
    data = service_page_form_data(
        flask_page, title="Django development", slug="django", seo_title="", search_description=""
    )

    assert client.post(preview_url, data).json()["is_valid"] is True
    parser = head_of(client, preview_url)

    assert parser.title == "Django development | NextBigIt"
    assert one(parser, "description") == flask_page.summary
    assert parser.links["canonical"][0].endswith("/services/django/")
    crumbs = json_ld_graph(parser)["BreadcrumbList"]["itemListElement"]
    assert [crumb["name"] for crumb in crumbs] == ["Home", "Services", "Django development"]


def test_a_page_without_an_address_gets_no_canonical_or_breadcrumbs(rf, flask_page):
    outside_the_tree = ServicePage(title="Loose", slug="loose", summary="Not in the page tree.", sections=[])

    seo = page_seo(outside_the_tree, rf.get("/"))

    assert seo.canonical_url is None and seo.description == "Not in the page tree."
    assert '"Organization"' in seo.json_ld and '"Service"' not in seo.json_ld


def test_an_faq_section_adds_an_faq_page(client, flask_page):
    add_faq(
        flask_page,
        [
            {"question": "How long does it take?", "answer": "<p>Six to <b>ten</b> weeks &amp; a review.</p>"},
            {"question": "Can you take over my app?", "answer": "<p>Yes.</p><ul><li>Review</li><li>Plan</li></ul>"},
        ],
    )

    faq = json_ld_graph(head_of(client, "/services/flask/"))["FAQPage"]

    assert faq["@id"] == f"{FLASK_URL}#faq"
    assert faq["mainEntity"] == [
        {
            "@type": "Question",
            "name": "How long does it take?",
            "acceptedAnswer": {"@type": "Answer", "text": "Six to ten weeks & a review."},
        },
        {
            "@type": "Question",
            "name": "Can you take over my app?",
            "acceptedAnswer": {"@type": "Answer", "text": "Yes. Review Plan"},
        },
    ]


def test_content_cannot_break_out_of_the_json_ld_script(client, flask_page):
    attack = "</script><script>alert(1)</script>"
    add_faq(flask_page, [{"question": attack, "answer": "<p>No &lt;/script&gt; here either.</p>"}])

    response = client.get("/services/flask/")
    html = response.content.decode()

    assert "<script>alert(1)" not in html
    assert len(re.findall(r"<script\b", html)) == 1
    parser = HeadParser()
    parser.feed(html)
    faq = json_ld_graph(parser)["FAQPage"]
    assert faq["mainEntity"][0]["name"] == attack
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"] == "No </script> here either."


# robots.txt


def test_robots_allows_the_site_and_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines and "Disallow: /admin/" in lines and "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_shuts_crawlers_out_of_staging(client, db, settings):
    settings.ROBOTS_DISALLOW_ALL = True

    lines = client.get("/robots.txt").content.decode().splitlines()

    assert "Disallow: /" in lines and "Allow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
