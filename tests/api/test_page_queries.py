"""Filtering, searching, ordering, field selection and single sections. Every response is schema-checked."""

import pytest
from wagtail.models import Locale, PageViewRestriction

from pages.models import ServiceIndexPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(flask_page, service_page_factory):
    """Flask plus two more services under the same index."""
    index = flask_page.get_parent()
    django_page = service_page_factory(parent=index, slug="django", title="Django development services")
    fastapi = service_page_factory(parent=index, slug="fastapi", title="FastAPI development services")
    return {"flask": flask_page, "django": django_page, "fastapi": fastapi, "index": index.specific}


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [page["slug"] for page in response.json()["results"]]


def test_tree_filters(api_client, services, seeded_site):
    index, flask = services["index"], services["flask"]
    assert slugs(api_client.get(f"/api/v1/pages/?child_of={index.pk}")) == ["flask", "django", "fastapi"]
    assert slugs(api_client.get(f"/api/v1/pages/?child_of={seeded_site.root_page_id}")) == ["services", "contact"]
    assert slugs(api_client.get(f"/api/v1/pages/?descendant_of={seeded_site.root_page_id}")) == [
        "services",
        "flask",
        "django",
        "fastapi",
        "contact",
    ]
    assert slugs(api_client.get(f"/api/v1/pages/?ancestor_of={flask.pk}")) == ["home", "services"]


def test_tree_filters_combine_with_type_and_slug(api_client, services):
    index = services["index"]
    response = api_client.get(f"/api/v1/pages/?descendant_of={index.pk}&type=pages.ServicePage&slug=django")
    assert slugs(response) == ["django"]


def test_a_private_or_unknown_page_cannot_anchor_a_tree_filter(api_client, services):
    PageViewRestriction.objects.create(page=services["index"], restriction_type=PageViewRestriction.LOGIN)
    for anchor in (services["index"].pk, 999999):
        response = api_client.get(f"/api/v1/pages/?child_of={anchor}")
        assert response.status_code == 400
        assert response.json()["errors"] == [{"parameter": "child_of", "detail": f"No live page has the id {anchor}."}]


def test_search_finds_section_text(api_client, services):
    assert slugs(api_client.get("/api/v1/pages/?search=negotiate")) == ["flask"]
    assert "flask" in slugs(api_client.get("/api/v1/pages/?search=Flask&type=pages.ServicePage"))
    assert slugs(api_client.get("/api/v1/pages/?search=zebracorn")) == []


def test_search_never_finds_drafts_or_private_pages(api_client, services):
    draft = services["django"]
    draft.unpublish()
    PageViewRestriction.objects.create(page=services["fastapi"], restriction_type=PageViewRestriction.LOGIN)

    found = slugs(api_client.get("/api/v1/pages/?search=development&type=pages.ServicePage"))
    assert found == ["flask"]
    assert api_client.get("/api/v1/pages/?search=development&type=pages.ServicePage").json()["count"] == 1


def test_a_huge_search_term_is_refused_quickly(api_client, seeded_site):
    response = api_client.get("/api/v1/pages/", {"search": "flask " * 20_000})
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "search"


def test_locale_filter(api_client, services):
    assert len(slugs(api_client.get("/api/v1/pages/?locale=en"))) == 6
    response = api_client.get("/api/v1/pages/?locale=xx")
    assert response.status_code == 400 and response.json()["errors"][0]["parameter"] == "locale"
    assert Locale.objects.filter(language_code="en").exists()


def test_ordering_by_several_fields(api_client, services):
    by_title = slugs(api_client.get("/api/v1/pages/?type=pages.ServicePage&ordering=title"))
    assert by_title == ["django", "fastapi", "flask"]
    descending = slugs(api_client.get("/api/v1/pages/?type=pages.ServicePage&ordering=-title"))
    assert descending == ["flask", "fastapi", "django"]
    combined = slugs(api_client.get("/api/v1/pages/?ordering=-first_published_at,title&type=pages.ServicePage"))
    assert sorted(combined) == ["django", "fastapi", "flask"]


@pytest.mark.parametrize("ordering", ["password", "-secret", "title,-owner"])
def test_ordering_by_unknown_fields_is_refused(api_client, seeded_site, ordering):
    response = api_client.get("/api/v1/pages/", {"ordering": ordering})
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "ordering"


def test_pagination_bounds(api_client, services):
    first = api_client.get("/api/v1/pages/?limit=4&offset=0").json()
    assert first["count"] == 6 and len(first["results"]) == 4
    assert "offset=4" in first["next"] and first["previous"] is None
    last = api_client.get("/api/v1/pages/?limit=4&offset=4").json()
    assert len(last["results"]) == 2 and last["next"] is None and "offset=0" not in last["previous"]
    beyond = api_client.get("/api/v1/pages/?limit=2&offset=50").json()
    assert beyond["results"] == [] and beyond["count"] == 6


def test_field_selection_on_the_list(api_client, services):
    only = api_client.get("/api/v1/pages/?fields=title").json()["results"][0]
    assert set(only) == {"id", "type", "title"}

    without = api_client.get("/api/v1/pages/?fields=-detail_url,-html_url").json()["results"][0]
    assert "detail_url" not in without and "html_url" not in without and "title" in without

    everything = api_client.get("/api/v1/pages/?type=pages.ServicePage&fields=*").json()["results"]
    assert {"sections", "summary", "seo"} <= set(everything[0])
    assert everything[0]["sections"][0]["type"] == "intro"

    chosen = api_client.get("/api/v1/pages/?type=pages.ServicePage&fields=summary,title").json()["results"]
    assert set(chosen[0]) == {"id", "type", "title", "summary"}


def test_field_selection_on_the_detail(api_client, flask_page):
    body = api_client.get(f"/api/v1/pages/{flask_page.pk}/?fields=*,-sections").json()
    assert "sections" not in body and "summary" in body

    body = api_client.get("/api/v1/pages/find/?path=/services/flask/&fields=title,sections").json()
    assert set(body) == {"id", "type", "title", "sections"}


@pytest.mark.parametrize("fields", ["password", "title,nope", "-owner"])
def test_unknown_fields_are_refused(api_client, flask_page, fields):
    response = api_client.get(f"/api/v1/pages/{flask_page.pk}/", {"fields": fields})
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "fields"


def test_detail_only_fields_need_a_single_type_on_the_list(api_client, services):
    response = api_client.get("/api/v1/pages/?fields=sections")
    assert response.status_code == 400
    assert "Available:" in response.json()["errors"][0]["detail"]


def test_one_section_by_its_id(api_client, flask_page):
    detail = api_client.get(f"/api/v1/pages/{flask_page.pk}/").json()
    wanted = detail["sections"][2]

    response = api_client.get(f"/api/v1/pages/{flask_page.pk}/sections/{wanted['id']}/")

    assert response.status_code == 200
    assert response.json() == wanted


def test_a_section_in_markdown(api_client, flask_page):
    text_section = next(section for section in flask_page.sections if section.block_type == "text")
    response = api_client.get(f"/api/v1/pages/{flask_page.pk}/sections/{text_section.id}/?rich_text_format=markdown")
    assert response.json()["value"]["body"].startswith("Flask is a web framework")


def test_unknown_or_malformed_section_ids(api_client, flask_page):
    missing = api_client.get(f"/api/v1/pages/{flask_page.pk}/sections/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404
    malformed = api_client.get(f"/api/v1/pages/{flask_page.pk}/sections/not-a-uuid/")
    assert malformed.status_code == 400 and malformed.json()["errors"][0]["parameter"] == "block_id"


def test_sections_of_a_draft_page_are_not_served(api_client, flask_page):
    section_id = flask_page.sections[0].id
    flask_page.unpublish()
    assert api_client.get(f"/api/v1/pages/{flask_page.pk}/sections/{section_id}/").status_code == 404


def test_rich_text_as_markdown_on_the_detail(api_client, flask_page):
    body = api_client.get(f"/api/v1/pages/{flask_page.pk}/?rich_text_format=markdown").json()
    text = next(section for section in body["sections"] if section["type"] == "text")
    assert "<p>" not in text["value"]["body"]
    assert text["value"]["body"].startswith("Flask is a web framework")


def test_renditions_requested_on_the_detail_reach_images_in_sections(api_client, flask_page):
    import wagtail_factories

    image = wagtail_factories.ImageFactory(file__width=1600, file__height=900)
    image_block = flask_page.sections.stream_block.child_blocks["image"]
    raw = {"image": {"image": image.pk, "decorative": True, "alt_text": ""}, "caption": "", "attribution": ""}
    flask_page.sections.append(("image", image_block.to_python(raw)))
    flask_page.save_revision().publish()

    body = api_client.get(f"/api/v1/pages/{flask_page.pk}/?renditions=fill-800x450").json()

    image_json = body["sections"][-1]["value"]["image"]
    assert image_json["renditions"]["fill-800x450"]["width"] == 800
    assert image_json["url"].startswith("http://testserver/media/images/")
    refused = api_client.get(f"/api/v1/pages/{flask_page.pk}/?renditions=fill-801x450")
    assert refused.status_code == 400 and refused.json()["errors"][0]["parameter"] == "renditions"


@pytest.mark.parametrize("ordering", ["slug", "-slug", "title", "-last_published_at", "id"])
def test_search_results_can_be_sorted_by_any_ordering_field(api_client, seeded_site, service_page_factory, ordering):
    index = seeded_site.root_page.get_children().type(ServiceIndexPage).first()
    service_page_factory(parent=index, slug="flask-migrations", title="Flask migrations")
    expected = sorted(["flask", "flask-migrations"], reverse=ordering == "-slug") if "slug" in ordering else None

    response = api_client.get(f"/api/v1/pages/?search=flask&ordering={ordering}")

    assert response.status_code == 200
    slugs = [page["slug"] for page in response.json()["results"]]
    assert set(slugs) >= {"flask", "flask-migrations"}
    if expected:
        assert [slug for slug in slugs if slug in expected] == expected
