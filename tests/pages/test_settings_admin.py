"""Editors change the menu and the company details in Wagtail's settings screens, and the site follows."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from pages.models import NavigationMenu, SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, seeded_site):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-test-password"))
    return client


def test_the_menu_is_edited_in_the_admin(admin_client, client, seeded_site, flask_page):
    url = f"/admin/settings/pages/navigationmenu/{seeded_site.pk}/"
    assert admin_client.get(url).status_code == 200
    home, services, contact = NavigationMenu.for_site(seeded_site).items.order_by("sort_order")
    items = [
        {"id": str(home.pk), "label": "Home", "link_page": str(home.link_page_id), "link_url": "", "ORDER": "2"},
        {"id": str(services.pk), "label": "Services", "link_page": "", "link_url": "", "DELETE": "1"},
        {"id": str(contact.pk), "label": "Contact", "link_page": "", "link_url": "", "DELETE": "1"},
        {"label": "Flask", "link_page": str(flask_page.pk), "link_url": "", "ORDER": "1"},
    ]
    data = nested_form_data({"items": inline_formset(items, initial=3)})

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert [item.label for item in NavigationMenu.for_site(seeded_site).items.order_by("sort_order")] == [
        "Flask",
        "Home",
    ]
    html = client.get("/").content.decode()
    assert html.index(">Flask</a>") < html.index(">Home</a>")


def test_a_menu_item_needs_exactly_one_target(admin_client, seeded_site, flask_page):
    url = f"/admin/settings/pages/navigationmenu/{seeded_site.pk}/"
    data = nested_form_data(
        {"items": inline_formset([{"label": "Both", "link_page": str(flask_page.pk), "link_url": "/x/"}])}
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Choose a page or enter a URL for the menu item, not both." in response.content.decode()


def test_company_details_are_edited_in_the_admin(admin_client, client, seeded_site):
    url = f"/admin/settings/pages/sitesettings/{seeded_site.pk}/"
    settings = SiteSettings.for_site(seeded_site)
    data = nested_form_data(
        {
            "company_name": "NextBigIt Group",
            "contact_email": "sales@example.com",
            "contact_phone": "",
            "footer_text": "",
            "default_call_to_action": str(settings.default_call_to_action_id),
            "social_links": inline_formset([], initial=0),
        }
    )

    assert admin_client.post(url, data).status_code == 302
    assert "NextBigIt Group" in client.get("/").content.decode()
