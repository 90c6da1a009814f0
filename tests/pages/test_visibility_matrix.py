"""
The visibility matrix: nothing unpublished or restricted reaches an anonymous visitor, by any channel.

`test_channel_shows_only_what_is_public[<channel>-<state>]` reads as the table: each page state of
`visibility_states` (a draft, a pending draft, unpublished, expired, scheduled, password-, login- and
group-restricted, the child of a restricted page) against each way content leaves the CMS (the
rendered page, listings, the menu, the contact form, every page endpoint of the API, also asked for
`?version=draft` without a token, snippets, settings, search, images, the sitemap; GET and HEAD).
Every response is searched for the state's secret texts and slugs; each channel also checks its own
status and, for the pending draft, that it shows the published values. Further tables cover private
images, preview tokens, visitors with access, and the shared response cache.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
import wagtail_factories
from django.contrib.auth.models import Group
from django.core import signing
from django.test import Client
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from api.preview import SALT, make_preview_token
from leads.models import ContactPage
from pages.images import LISTING_RENDITION
from pages.models import CallToAction, NavigationItem, NavigationMenu, ServicePage
from tests.api import conftest as api_fixtures
from tests.factories import ServicePageFactory, UserFactory

from .visibility_states import PASSWORD, STATES, PageState, link_everything_to, marker, restrict, secret_fields

pytestmark = pytest.mark.django_db

# The schema-checking API client of tests/api, so every API answer here also matches the OpenAPI document.
api_client = api_fixtures.api_client
openapi_document = api_fixtures.openapi_document

CONTROL_TITLE = "Kubernetes services"
SEARCH_WORD = "SECRET"  # in every hidden text of every state, and in nothing public


@dataclass
class World:
    """A small site: home, services index, one public control page, and the page in the state under test."""

    site: Site
    home: Page
    services: Page
    contact: ContactPage
    control: ServicePage
    state: PageState
    call_to_action: CallToAction

    @property
    def public_ids(self) -> set[int]:
        """Every page an anonymous visitor may see, worked out from how the site was built (not from the code)."""
        visible_state = {self.state.page.pk} if self.state.visible else set()
        return {self.home.pk, self.services.pk, self.contact.pk, self.control.pk} | visible_state

    def public_ids_below(self, page: Page) -> set[int]:
        return {pk for pk in self.public_ids if Page.objects.get(pk=pk).is_descendant_of(page)}


@pytest.fixture
def world(state_name, home_page, services_index) -> World:
    site = Site.objects.get(is_default_site=True)
    home_page.save_revision().publish()
    services_index.save_revision().publish()
    control = ServicePageFactory(
        parent=services_index,
        live=False,
        title=CONTROL_TITLE,
        slug="kubernetes",
        summary="Clusters that run themselves.",
        listing_image=wagtail_factories.ImageFactory(title="Cluster diagram"),
    )
    control.save_revision().publish()
    contact = home_page.add_child(instance=ContactPage(title="Contact", slug="contact"))
    contact.save_revision().publish()
    NavigationItem.objects.create(
        menu=NavigationMenu.for_site(site), sort_order=0, label="Kubernetes", link_page=control
    )
    state = STATES[state_name](services_index)
    call_to_action = link_everything_to(state.page, site)
    control = ServicePage.objects.get(pk=control.pk)
    return World(site, home_page, services_index, contact, control, state, call_to_action)


def everything_sent(response) -> str:
    """The headers and body of a response, as one string to search."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return f"{headers}\n\n{response.content.decode()}"


def assert_nothing_leaks(response, state: PageState) -> None:
    """None of the state's secrets in the headers or body; its slugs neither, unless the request named them."""
    sent = everything_sent(response)
    requested = response.wsgi_request.get_full_path()
    for secret in state.secrets:
        assert secret not in sent, f"{requested} leaks {secret!r}"
    for slug in state.secret_slugs:
        # A visitor who typed the address may see it echoed (a login form's `next`), nothing more.
        assert slug in requested or slug not in sent, f"{requested} leaks the slug {slug!r}"


def assert_not_found_problem(response) -> None:
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def result_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    ids = {page["id"] for page in body["results"]}
    assert body["count"] == len(ids), "the total counts pages the list does not show"
    return ids


def assert_live_detail(data: dict, state: PageState) -> None:
    """An API page detail that shows the published values of the pending-draft page, field by field."""
    live = state.live_values
    assert data["title"] == live["title"]
    assert data["slug"] == live["slug"]
    assert data["url_path"] == f"/services/{live['slug']}/"
    assert data["seo"] == {"title": live["seo_title"], "description": live["search_description"]}
    assert data["summary"] == live["summary"]
    assert data["sections"][0]["value"]["heading"] == live["section"]


def live_path(state: PageState) -> str:
    """The path the page has (or would have) on the site: `/services/<slug>/`."""
    return state.page.get_url_parts()[2]


# The channels. Each makes its requests, checks what is particular to it, and returns every response
# for the common check that no secret is in any of them.


def html_page(world: World, web: Client, api) -> list:
    state = world.state
    response = web.get(live_path(state))
    assert response.status_code == state.html_status
    if state.visible:
        html = response.content.decode()
        live = state.live_values
        assert f"<h1>{live['title']}</h1>" in html
        assert f"<title>{live['seo_title']}</title>" in html
        assert live["search_description"] in html and live["summary"] in html and live["section"] in html
        draft_address = web.get("/services/secret-pending-draft/")
        assert draft_address.status_code == 404
        return [response, draft_address]
    if state.html_status == 200:
        assert "Password required" in response.content.decode()
    elif state.html_status == 302:
        login_form = web.get(response["Location"])
        assert login_form.status_code == 200, f"the login redirect leads to {response['Location']}"
        assert 'name="password"' in login_form.content.decode()
        return [response, login_form]
    return [response]


def html_page_head(world: World, web: Client, api) -> list:
    state = world.state
    response = web.head(live_path(state))
    assert response.status_code == state.html_status
    assert response.content == b""
    return [response]


def services_index(world: World, web: Client, api) -> list:
    response = web.get("/services/")
    html = response.content.decode()
    assert response.status_code == 200 and CONTROL_TITLE in html
    image = world.state.page.listing_image
    if world.state.visible:
        assert f'href="/services/{world.state.live_values["slug"]}/">{world.state.live_values["title"]}</a>' in html
        assert world.state.live_values["summary"] in html
    else:
        assert image.get_rendition(LISTING_RENDITION).url not in html
    return [response]


def home_and_menu(world: World, web: Client, api) -> list:
    response = web.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/services/kubernetes/">Kubernetes</a>' in html, "the menu is not rendered"
    assert ('href="/services/observability/">Coming soon</a>' in html) == world.state.visible
    return [response]


def api_list(world: World, web: Client, api) -> list:
    response = api.get("/api/v1/pages/", {"limit": 100})
    assert result_ids(response) == world.public_ids
    if world.state.visible:
        [listed] = [page for page in response.json()["results"] if page["id"] == world.state.page.pk]
        live = world.state.live_values
        assert (listed["title"], listed["slug"]) == (live["title"], live["slug"])
    return [response]


def api_list_by_type(world: World, web: Client, api) -> list:
    response = api.get("/api/v1/pages/", {"type": "pages.ServicePage", "limit": 100, "fields": "*"})
    assert result_ids(response) == world.public_ids_below(world.services)
    if world.state.visible:
        [listed] = [page for page in response.json()["results"] if page["id"] == world.state.page.pk]
        assert_live_detail(listed, world.state)
    return [response]


def api_list_child_of_parent(world: World, web: Client, api) -> list:
    parent = world.state.page.get_parent()
    response = api.get("/api/v1/pages/", {"child_of": parent.pk})
    if parent.pk == world.services.pk:
        assert result_ids(response) == world.public_ids_below(world.services)
    else:
        # A hidden page cannot anchor a tree filter: it reads as if it did not exist.
        assert response.status_code == 400
        assert response.json()["errors"][0]["parameter"] == "child_of"
    return [response]


def api_list_ancestor_of_page(world: World, web: Client, api) -> list:
    response = api.get("/api/v1/pages/", {"ancestor_of": world.state.page.pk})
    if world.state.visible:
        assert result_ids(response) == {world.home.pk, world.services.pk}
    else:
        assert response.status_code == 400
        assert response.json()["errors"][0]["parameter"] == "ancestor_of"
    return [response]


def api_list_by_slug(world: World, web: Client, api) -> list:
    responses = [api.get("/api/v1/pages/", {"slug": slug}) for slug in world.state.secret_slugs]
    for response in responses:
        assert result_ids(response) == set()
    if world.state.visible:
        published = api.get("/api/v1/pages/", {"slug": world.state.live_values["slug"]})
        assert result_ids(published) == {world.state.page.pk}
        responses.append(published)
    return responses


def api_list_descendant_of_home(world: World, web: Client, api) -> list:
    response = api.get("/api/v1/pages/", {"descendant_of": world.home.pk, "limit": 100})
    assert result_ids(response) == world.public_ids - {world.home.pk}
    return [response]


def api_search(world: World, web: Client, api) -> list:
    hidden_words = api.get("/api/v1/pages/", {"search": SEARCH_WORD})
    assert result_ids(hidden_words) == set()
    published_words = api.get("/api/v1/pages/", {"search": "observable"})
    assert result_ids(published_words) == ({world.state.page.pk} if world.state.visible else set())
    return [hidden_words, published_words]


def api_detail(world: World, web: Client, api) -> list:
    response = api.get(f"/api/v1/pages/{world.state.page.pk}/")
    if world.state.visible:
        assert response.status_code == 200
        assert_live_detail(response.json(), world.state)
    else:
        assert_not_found_problem(response)
    return [response]


def api_detail_head(world: World, web: Client, api) -> list:
    response = api.head(f"/api/v1/pages/{world.state.page.pk}/")
    assert response.status_code == (200 if world.state.visible else 404)
    assert response.content == b""
    return [response]


def api_find(world: World, web: Client, api) -> list:
    state = world.state
    response = api.get("/api/v1/pages/find/", {"path": live_path(state)})
    if state.visible:
        assert response.status_code == 200
        assert_live_detail(response.json(), state)
        draft_address = api.get("/api/v1/pages/find/", {"path": "/services/secret-pending-draft/"})
        assert_not_found_problem(draft_address)
        return [response, draft_address]
    assert_not_found_problem(response)
    return [response]


def api_section(world: World, web: Client, api) -> list:
    state = world.state
    response = api.get(f"/api/v1/pages/{state.page.pk}/sections/{state.section_id}/")
    if state.visible:
        assert response.status_code == 200
        assert response.json()["value"]["heading"] == state.live_values["section"]
    else:
        assert_not_found_problem(response)
    return [response]


def api_draft_version_without_a_token(world: World, web: Client, api) -> list:
    """`?version=draft` is for API tokens of editors; anyone else gets a 401 and nothing of any draft."""
    state = world.state
    draft = {"version": "draft"}
    responses = [
        api.get(f"/api/v1/pages/{state.page.pk}/", draft),
        api.get("/api/v1/pages/find/", {"path": live_path(state), **draft}),
        api.get(f"/api/v1/pages/{state.page.pk}/sections/{state.section_id}/", draft),
    ]
    for response in responses:
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert "X-Cache" not in response or response["X-Cache"] != "HIT"
    return responses


def contact_form(world: World, web: Client, api) -> list:
    """The contact form names the service a visitor came from (`/contact/?service=<slug>`): only a visible one."""
    slug = world.state.live_values["slug"] if world.state.visible else world.state.page.slug
    response = web.get("/contact/", {"service": slug})
    html = response.content.decode()
    assert response.status_code == 200
    if world.state.visible:
        assert 'About: <a href="/services/observability/">Observability services</a>' in html
    else:
        assert "About:" not in html
    return [response]


def api_navigation(world: World, web: Client, api) -> list:
    response = api.get("/api/v1/navigation/")
    items = response.json()["items"]
    assert items[0] == {
        "label": "Kubernetes",
        "url": "http://testserver/services/kubernetes/",
        "page_id": world.control.pk,
    }
    linking = [item for item in items if item["page_id"] == world.state.page.pk]
    if world.state.visible:
        assert [item["url"] for item in linking] == ["http://testserver/services/observability/"]
    else:
        assert linking == [], "the menu offers a page visitors cannot see"
    return [response]


def expected_button_url(world: World) -> str | None:
    return "http://testserver/services/observability/" if world.state.visible else None


def api_snippets(world: World, web: Client, api) -> list:
    listing = api.get("/api/v1/snippets/calls-to-action/")
    detail = api.get(f"/api/v1/snippets/calls-to-action/{world.call_to_action.pk}/")
    assert detail.status_code == 200
    assert [item["button"]["url"] for item in listing.json()["results"]] == [expected_button_url(world)]
    assert detail.json()["button"]["url"] == expected_button_url(world)
    return [listing, detail]


def api_settings(world: World, web: Client, api) -> list:
    response = api.get("/api/v1/settings/")
    assert response.json()["default_call_to_action"]["button"]["url"] == expected_button_url(world)
    return [response]


def sitemap(world: World, web: Client, api) -> list:
    response = web.get("/sitemap-pages.xml")
    xml = response.content.decode()
    assert response.status_code == 200 and "<loc>http://testserver/services/kubernetes/</loc>" in xml
    assert ("<loc>http://testserver/services/observability/</loc>" in xml) == world.state.visible
    return [response]


def api_images(world: World, web: Client, api) -> list:
    image = world.state.page.listing_image
    listing = api.get("/api/v1/images/", {"limit": 100})
    listed = {item["id"] for item in listing.json()["results"]}
    assert listing.json()["count"] == len(listed)
    assert world.control.listing_image_id in listed
    detail = api.get(f"/api/v1/images/{image.pk}/")
    if world.state.visible:
        assert image.pk in listed and detail.status_code == 200
    else:
        assert image.pk not in listed, "an image only a hidden page uses is listed"
        assert_not_found_problem(detail)
    return [listing, detail]


CHANNELS = {
    channel.__name__: channel
    for channel in [
        html_page,
        html_page_head,
        services_index,
        home_and_menu,
        api_list,
        api_list_by_type,
        api_list_child_of_parent,
        api_list_ancestor_of_page,
        api_list_descendant_of_home,
        api_list_by_slug,
        api_search,
        api_detail,
        api_detail_head,
        api_find,
        api_section,
        api_draft_version_without_a_token,
        contact_form,
        api_navigation,
        api_snippets,
        api_settings,
        sitemap,
        api_images,
    ]
}


@pytest.mark.parametrize("state_name", STATES)
@pytest.mark.parametrize("channel", CHANNELS)
def test_channel_shows_only_what_is_public(channel, world, client, api_client):
    responses = CHANNELS[channel](world, client, api_client)
    for response in responses:
        assert_nothing_leaks(response, world.state)


def test_an_expired_page_is_gone_with_its_sub_pages_before_publish_scheduled_runs(client, home_page):
    """Routable pages too: the contact form's thank-you page (`/contact/thanks/`) expires with the form."""
    contact = home_page.add_child(instance=ContactPage(title="Contact", slug="contact"))
    contact.save_revision().publish()
    assert client.get("/contact/thanks/").status_code == 200

    ContactPage.objects.filter(pk=contact.pk).update(expire_at=timezone.now() - timedelta(seconds=1))

    assert client.get("/contact/").status_code == 404
    assert client.get("/contact/thanks/").status_code == 404


# What a visitor with access saw is never served to anyone else.


def authenticate_with_password(client: Client, password_form) -> None:
    action = re.search(r'<form action="([^"]+)"', password_form.content.decode()).group(1)
    return_url = password_form.wsgi_request.path
    response = client.post(action, {"password": PASSWORD, "return_url": return_url})
    assert response.status_code == 302 and response["Location"] == return_url


@pytest.mark.parametrize("state_name", ["password", "login", "group", "child_of_restricted"])
def test_what_a_visitor_with_access_saw_is_not_served_to_others(world, client, state_name):
    state = world.state
    url = live_path(state)
    if state_name == "password":
        authenticate_with_password(client, client.get(url))
    else:
        member = UserFactory()
        member.groups.add(*Group.objects.filter(name="Clients"))
        client.force_login(member)
    seen = client.get(url)
    assert seen.status_code == 200 and marker(state_name) in seen.content.decode()

    anonymous = Client().get(url)

    assert anonymous.status_code == state.html_status
    assert anonymous.get("X-Cache") != "HIT"
    assert_nothing_leaks(anonymous, state)


# Images in a private collection


@pytest.fixture
def private_image(db):
    """An image in a collection below one that is open to logged-in users only."""
    root = Collection.get_first_root_node()
    private = root.add_child(name="Board papers")
    inside = private.add_child(name="Quarterly")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    return wagtail_factories.ImageFactory(collection=inside, title=f"{marker('private_collection')} image")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/images/",
        "/api/v1/images/?search=SECRET",
        "/api/v1/images/{id}/",
        "/api/v1/images/{id}/?renditions=width-400",
    ],
)
def test_an_image_in_a_private_collection_is_never_served(api_client, private_image, url):
    wagtail_factories.ImageFactory(title="Public photo")

    response = api_client.get(url.format(id=private_image.pk))

    assert marker("private_collection") not in everything_sent(response)
    if "{id}" in url:
        assert_not_found_problem(response)
    else:
        assert private_image.pk not in {image["id"] for image in response.json()["results"]}
        assert response.json()["count"] == len(response.json()["results"])


def test_a_collection_made_private_drops_its_images_from_cached_answers(client, db):
    collection = Collection.get_first_root_node().add_child(name="Launch")
    image = wagtail_factories.ImageFactory(collection=collection, title="Launch photo")
    for url in ("/api/v1/images/", f"/api/v1/images/{image.pk}/"):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"

    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)

    assert client.get(f"/api/v1/images/{image.pk}/").status_code == 404
    assert "Launch photo" not in client.get("/api/v1/images/").content.decode()


# Preview tokens


@pytest.fixture
def two_drafts(services_index):
    """Two never-published pages, A and B, each with a saved draft."""
    pages = []
    for name in ("preview_a", "preview_b"):
        page = ServicePageFactory(parent=services_index, live=False, **secret_fields(name))
        pages.append((page, page.save_revision()))
    return pages


def preview(api_client, token: str):
    return api_client.get("/api/v1/preview/", {"token": token})


def test_a_preview_token_shows_its_own_draft_and_nothing_of_another(api_client, two_drafts):
    (page_a, revision_a), _ = two_drafts

    response = preview(api_client, make_preview_token(page_a, revision_a))

    assert response.status_code == 200 and response.json()["id"] == page_a.pk
    assert marker("preview_a") in response.content.decode()
    assert marker("preview_b") not in everything_sent(response)
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Cache" not in response, "a preview went through the shared response cache"


def test_a_genuine_token_naming_another_pages_revision_reveals_nothing(api_client, two_drafts):
    """Even a correctly signed token cannot pair page A with page B's revision."""
    (page_a, _), (_, revision_b) = two_drafts
    crossed = signing.dumps([page_a.pk, revision_b.pk], salt=SALT, compress=True)

    response = preview(api_client, crossed)

    assert_not_found_problem(response)
    assert marker("preview_a") not in everything_sent(response)
    assert marker("preview_b") not in everything_sent(response)


@pytest.mark.parametrize(
    ("case", "status"),
    [("no token", 400), ("tampered", 403), ("expired", 401)],
)
def test_a_preview_without_a_valid_token_is_a_problem_without_content(api_client, two_drafts, settings, case, status):
    page, revision = two_drafts[0]
    token = make_preview_token(page, revision)
    if case == "no token":
        response = api_client.get("/api/v1/preview/")
    elif case == "tampered":
        response = preview(api_client, token[:-1] + ("A" if token[-1] != "A" else "B"))
    else:
        with time_machine.travel(timezone.now() + timedelta(seconds=settings.PREVIEW_TOKEN_MAX_AGE + 1)):
            response = preview(api_client, token)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["Cache-Control"] == "private, no-store"
    assert marker("preview_a") not in everything_sent(response)
    assert "sections" not in response.json()


# The shared response cache: a copy cached while the page was public is never served once it is hidden.


def make_hidden(page: ServicePage, how: str) -> None:
    if how == "unpublished":
        page.unpublish()
    elif how == "password":
        restrict(page, PageViewRestriction.PASSWORD, password="pw")
    elif how == "login":
        restrict(page, PageViewRestriction.LOGIN)
    elif how == "group":
        restrict(page, PageViewRestriction.GROUPS, groups=[Group.objects.create(name="Clients")])
    elif how == "parent_restricted":
        restrict(page.get_parent(), PageViewRestriction.LOGIN)


# Each channel's URL, and what the page's own address answers once the page is hidden, by how it was hidden
# (the other channels stay 200: /services/ becomes a login redirect only when its own index is restricted).
CACHED_CHANNELS = {
    "html_page": "/services/secret-cached/",
    "services_index": "/services/",
    "home_and_menu": "/",
    "api_list": "/api/v1/pages/",
    "api_detail": "/api/v1/pages/{id}/",
    "api_find": "/api/v1/pages/find/?path=/services/secret-cached/",
    "api_search": "/api/v1/pages/?search=SECRET",
    "api_navigation": "/api/v1/navigation/",
    "api_snippets": "/api/v1/snippets/calls-to-action/",
    "api_settings": "/api/v1/settings/",
    "api_images": "/api/v1/images/",
    "api_image_detail": "/api/v1/images/{image_id}/",
    "sitemap": "/sitemap-pages.xml",
}
HIDDEN_HTML_STATUS = {"unpublished": 404, "expired": 404, "password": 200, "login": 302, "group": 302}
PAGE_OWN_CHANNELS = {"api_detail", "api_find", "api_image_detail"}


def expected_status(channel: str, transition: str) -> int:
    if channel in PAGE_OWN_CHANNELS:
        return 404
    if channel == "html_page" or (channel == "services_index" and transition == "parent_restricted"):
        return HIDDEN_HTML_STATUS.get(transition, 302)
    return 200


@pytest.fixture
def cached_public_page(home_page, services_index):
    """A public page due to expire in an hour, in the menu and a call to action, with an image only it uses."""
    home_page.save_revision().publish()
    services_index.save_revision().publish()
    page = ServicePageFactory(parent=services_index, live=False, **secret_fields("cached"))
    page.expire_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()
    link_everything_to(page, Site.objects.get(is_default_site=True))
    return ServicePage.objects.get(pk=page.pk)


@pytest.mark.parametrize("transition", [*HIDDEN_HTML_STATUS, "parent_restricted"])
@pytest.mark.parametrize("channel", CACHED_CHANNELS)
def test_a_cached_copy_is_not_served_once_the_page_is_hidden(client, cached_public_page, channel, transition):
    page = cached_public_page
    url = CACHED_CHANNELS[channel].format(id=page.pk, image_id=page.listing_image_id)
    public = client.get(url)
    assert public.status_code == 200
    assert client.get(url)["X-Cache"] == "HIT"
    assert marker("cached") in public.content.decode() or "secret-cached" in public.content.decode()

    if transition == "expired":
        # No signal and no publish_scheduled: only the clock moves past the expiry date.
        with time_machine.travel(page.expire_at + timedelta(seconds=1)):
            response = client.get(url)
    else:
        make_hidden(ServicePage.objects.get(pk=page.pk), transition)
        response = client.get(url)

    assert response.get("X-Cache") != "HIT", f"{url} was served from the cache after the page was hidden"
    assert response.status_code == expected_status(channel, transition)
    sent = everything_sent(response)
    assert marker("cached") not in sent
    assert "secret-cached" in url or "secret-cached" not in sent


def test_every_hidden_state_at_once_leaves_no_image_in_the_api(api_client, services_index):
    """With every hidden state on one site, the images API lists none of the images only they use."""
    hidden = [build(services_index) for name, build in STATES.items() if name != "pending_draft"]

    listed = api_client.get("/api/v1/images/", {"limit": 100}).json()

    assert listed["count"] == len(listed["results"]) == 0
    assert get_image_model().objects.count() == len(hidden)
