"""Site settings, navigation and shared calls to action: editable in the admin, served by the API and the site."""

import pytest

from leads.models import ContactPage
from pages.models import CallToAction, NavigationItem, NavigationMenu, SiteSettings

pytestmark = pytest.mark.django_db


def test_settings_endpoint_serves_the_company_details(api_client, seeded_site):
    settings = SiteSettings.for_site(seeded_site)
    settings.contact_phone = "+44 20 7946 0000"
    settings.save()

    body = api_client.get("/api/v1/settings/").json()

    assert body["company_name"] == "NextBigIt"
    assert body["contact_email"] == "hello@nextbigit.com"
    assert body["contact_phone"] == "+44 20 7946 0000"
    assert body["social_links"] == [
        {"service": "linkedin", "label": "LinkedIn", "url": "https://www.linkedin.com/company/nextbigit/"}
    ]
    cta = body["default_call_to_action"]
    assert cta["name"] == "Hire our developers"
    assert cta["button"] == {"label": "Talk to us", "url": "http://testserver/contact/", "page_id": None}


def test_settings_show_in_the_site_footer(client, seeded_site):
    settings = SiteSettings.for_site(seeded_site)
    settings.company_name = "NextBigIt Ltd"
    settings.footer_text = "Made with care in Europe."
    settings.save()

    html = client.get("/services/flask/").content.decode()

    assert "NextBigIt Ltd" in html and "Made with care in Europe." in html
    assert 'href="mailto:hello@nextbigit.com"' in html


def test_navigation_is_what_editors_arranged(api_client, client, seeded_site, flask_page):
    menu = NavigationMenu.for_site(seeded_site)
    NavigationItem.objects.create(menu=menu, sort_order=3, label="Flask", link_page=flask_page)
    NavigationItem.objects.create(menu=menu, sort_order=4, label="Blog", link_url="https://blog.example.com/")

    body = api_client.get("/api/v1/navigation/").json()
    assert body["items"] == [
        {"label": "Home", "url": "http://testserver/", "page_id": seeded_site.root_page_id},
        {"label": "Services", "url": "http://testserver/services/", "page_id": flask_page.get_parent().pk},
        {"label": "Contact", "url": "http://testserver/contact/", "page_id": ContactPage.objects.get().pk},
        {"label": "Flask", "url": "http://testserver/services/flask/", "page_id": flask_page.pk},
        {"label": "Blog", "url": "https://blog.example.com/", "page_id": None},
    ]
    html = client.get("/services/flask/").content.decode()
    assert '<a href="/services/flask/" aria-current="page">Flask</a>' in html
    assert '<a href="https://blog.example.com/">Blog</a>' in html


def test_calls_to_action_are_listed_and_served_one_by_one(api_client, seeded_site):
    extra = CallToAction.objects.create(
        name="Audit", heading="Get a code audit", text="We review your app.", button_label="Book", link_url="/audit/"
    )

    listing = api_client.get("/api/v1/snippets/calls-to-action/").json()
    assert [item["name"] for item in listing["results"]] == ["Audit", "Hire our developers"]

    detail = api_client.get(f"/api/v1/snippets/calls-to-action/{extra.pk}/").json()
    assert detail == {
        "id": extra.pk,
        "name": "Audit",
        "heading": "Get a code audit",
        "text": "We review your app.",
        "anchor": "get-a-code-audit",
        "button": {"label": "Book", "url": "http://testserver/audit/", "page_id": None},
    }
    assert api_client.get("/api/v1/snippets/calls-to-action/999/").status_code == 404
    assert api_client.get("/api/v1/snippets/calls-to-action/x/").status_code == 400


def test_site_endpoints_reject_unknown_parameters(api_client, seeded_site):
    response = api_client.get("/api/v1/settings/?verbose=1")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"parameter": "verbose", "detail": "Unknown query parameter."}]
