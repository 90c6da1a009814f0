"""The images API: renditions only, extra sizes from an allow-list, nothing from private collections."""

import pytest
import wagtail_factories
from django.contrib.auth.models import Group
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from pages.images import IMAGE_SCHEMA
from tests.caches import empty_cache

pytestmark = pytest.mark.django_db

MEDIA = "http://testserver/media/images/"


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node()


def make_image(collection, **kwargs):
    return wagtail_factories.ImageFactory(collection=collection, file__width=1600, file__height=900, **kwargs)


@pytest.fixture
def whiteboard(root_collection):
    return make_image(
        root_collection,
        title="Whiteboard",
        description="Two developers sketching an architecture",
        focal_point_x=800,
        focal_point_y=450,
        focal_point_width=200,
        focal_point_height=100,
    )


@pytest.fixture
def office(root_collection):
    return make_image(root_collection, title="Office")


@pytest.fixture
def private_collections(root_collection):
    """A login-only collection and a collection inside it (which inherits the restriction)."""
    private = root_collection.add_child(name="Private")
    inside = private.add_child(name="Inside private")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    return private, inside


def assert_rendition(data: dict, width: int, height: int) -> None:
    assert data["url"].startswith(MEDIA)
    assert "original_images/" not in data["url"]
    assert (data["width"], data["height"]) == (width, height)


def test_list_gives_renditions_alt_text_and_focal_points(api_client, whiteboard, office):
    body = api_client.get("/api/v1/images/").json()

    assert body["count"] == 2
    assert [image["title"] for image in body["results"]] == ["Office", "Whiteboard"]
    office_json, whiteboard_json = body["results"]
    assert set(office_json) == set(IMAGE_SCHEMA["properties"])
    for image in body["results"]:
        assert_rendition(image, 1600, 900)
        assert image["renditions"] == {}
        assert image["decorative"] is False
    assert whiteboard_json["id"] == whiteboard.pk
    assert whiteboard_json["alt"] == "Two developers sketching an architecture"
    assert whiteboard_json["focal_point"] == {"x": 800, "y": 450, "width": 200, "height": 100}
    assert office_json["alt"] == "Office"
    assert office_json["focal_point"] is None


def test_detail_is_the_listed_image(api_client, whiteboard, office):
    listed = api_client.get("/api/v1/images/").json()["results"][1]

    detail = api_client.get(f"/api/v1/images/{whiteboard.pk}/").json()

    assert detail == listed
    assert detail["url"] == "http://testserver" + whiteboard.get_rendition("max-1600x1600").url


def test_requested_renditions_are_added_with_their_sizes(api_client, whiteboard, office):
    query = "?renditions=fill-800x450,width-400"
    detail = api_client.get(f"/api/v1/images/{whiteboard.pk}/{query}").json()

    assert list(detail["renditions"]) == ["fill-800x450", "width-400"]
    assert_rendition(detail["renditions"]["fill-800x450"], 800, 450)
    assert_rendition(detail["renditions"]["width-400"], 400, 225)
    assert detail["renditions"]["fill-800x450"]["url"] != detail["renditions"]["width-400"]["url"]

    listing = api_client.get(f"/api/v1/images/{query}").json()
    assert [list(image["renditions"]) for image in listing["results"]] == [["fill-800x450", "width-400"]] * 2


def test_a_rendition_asked_for_twice_is_returned_once(api_client, whiteboard):
    detail = api_client.get(f"/api/v1/images/{whiteboard.pk}/", {"renditions": "width-400, fill-160x160,width-400"})

    assert list(detail.json()["renditions"]) == ["width-400", "fill-160x160"]


def test_empty_parameters_count_as_not_given(api_client, whiteboard):
    body = api_client.get("/api/v1/images/?renditions=&search=").json()

    assert body["count"] == 1
    assert body["results"][0]["renditions"] == {}


@pytest.mark.parametrize(
    "renditions",
    [
        "fill-10000x10000",
        "width-401",
        "garbage",
        "fill-800x450|format-png",
        "FILL-800x450",
        "width-400,original",
        "   ",
        ",,",
        "fill-1200x630,fill-800x450,fill-400x400,fill-160x160,width-1600,width-800",
        "width-400," * 100,
    ],
)
def test_renditions_outside_the_allow_list_are_refused(api_client, whiteboard, renditions):
    for path in ("/api/v1/images/", f"/api/v1/images/{whiteboard.pk}/"):
        response = api_client.get(path, {"renditions": renditions})

        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert [error["parameter"] for error in response.json()["errors"]] == ["renditions"]


def test_the_refusal_names_the_available_renditions(api_client, whiteboard):
    response = api_client.get("/api/v1/images/", {"renditions": "width-401"})

    (error,) = response.json()["errors"]
    assert error["detail"].startswith("Not an available rendition: width-401. Choose from: fill-1200x630, ")


def test_images_in_a_restricted_collection_or_below_it_are_hidden(
    api_client, root_collection, private_collections, whiteboard
):
    private, inside = private_collections
    hidden = [make_image(private, title="Board minutes"), make_image(inside, title="Board photo")]
    open_sibling = root_collection.add_child(name="Press kit")
    logo = make_image(open_sibling, title="Logo")

    body = api_client.get("/api/v1/images/").json()

    assert body["count"] == 2
    assert [image["id"] for image in body["results"]] == [logo.pk, whiteboard.pk]
    assert api_client.get("/api/v1/images/", {"search": "minutes"}).json()["count"] == 0
    for image in hidden:
        response = api_client.get(f"/api/v1/images/{image.pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    assert api_client.get(f"/api/v1/images/{logo.pk}/").status_code == 200


@pytest.mark.parametrize(
    "restriction_type",
    [CollectionViewRestriction.PASSWORD, CollectionViewRestriction.LOGIN, CollectionViewRestriction.GROUPS],
)
def test_every_kind_of_restriction_hides_images(api_client, root_collection, restriction_type):
    private = root_collection.add_child(name="Private")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=restriction_type, password="secret"
    )
    restriction.groups.add(Group.objects.create(name="Staff"))
    image = make_image(private.add_child(name="Deeper").add_child(name="Deepest"))

    assert api_client.get("/api/v1/images/").json()["count"] == 0
    assert api_client.get(f"/api/v1/images/{image.pk}/").status_code == 404


def test_a_public_restriction_record_hides_nothing(api_client, root_collection):
    collection = root_collection.add_child(name="Public")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.NONE)
    image = make_image(collection)

    assert api_client.get(f"/api/v1/images/{image.pk}/").status_code == 200


def test_search_matches_every_word_of_the_title(api_client, whiteboard, office, root_collection):
    make_image(root_collection, title="Office whiteboard")

    assert [image["title"] for image in api_client.get("/api/v1/images/?search=WHITEBOARD").json()["results"]] == [
        "Office whiteboard",
        "Whiteboard",
    ]
    assert [image["title"] for image in api_client.get("/api/v1/images/?search=board+off").json()["results"]] == [
        "Office whiteboard"
    ]


@pytest.mark.parametrize("search", ["   ", "x" * 101])
def test_search_must_be_some_words_of_bounded_length(api_client, search):
    response = api_client.get("/api/v1/images/", {"search": search})

    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == ["search"]


def test_list_is_paginated(api_client, root_collection):
    for title in "ABCDE":
        make_image(root_collection, title=title)

    body = api_client.get("/api/v1/images/?limit=2&offset=2").json()

    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
    assert [image["title"] for image in body["results"]] == ["C", "D"]
    assert body["next"] == "http://testserver/api/v1/images/?limit=2&offset=4"


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/images/?size=big", "size"),
        ("/api/v1/images/?limit=0", "limit"),
        ("/api/v1/images/1/?limit=2", "limit"),
        ("/api/v1/images/1/?search=x", "search"),
        ("/api/v1/images/x/", "id"),
        ("/api/v1/images/-1/", "id"),
        ("/api/v1/images/%C2%B2/", "id"),
    ],
)
def test_bad_parameters_are_named(api_client, whiteboard, path, parameter):
    response = api_client.get(path)

    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == [parameter]


@pytest.mark.parametrize("image_id", ["999999", "0", "99999999999999999999"])
def test_unknown_image_ids_are_not_found(api_client, whiteboard, image_id):
    response = api_client.get(f"/api/v1/images/{image_id}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# Per request, besides images and renditions: the site lookup and the Last-Modified log queries.
QUERY_BUDGET = 8


def forget_cached_renditions() -> None:
    """Wagtail also caches renditions; measure what a cold cache costs, as after a deploy or an eviction."""
    empty_cache(get_image_model().get_rendition_model().cache_backend)


def rendition_queries(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if "wagtailimages_rendition" in query["sql"]]


def test_listing_takes_the_same_queries_for_3_or_12_images(
    api_client, root_collection, private_collections, django_assert_max_num_queries
):
    url = "/api/v1/images/?renditions=fill-800x450,width-400&limit=20"

    def queries_for_listing(expected_count: int) -> int:
        # The first request creates the missing renditions; the measured one finds them all.
        assert api_client.get(url).json()["count"] == expected_count
        forget_cached_renditions()
        with django_assert_max_num_queries(QUERY_BUDGET) as captured:
            assert len(api_client.get(url).json()["results"]) == expected_count
        assert len(rendition_queries(captured)) == 1
        return len(captured)

    for number in range(3):
        make_image(root_collection, title=f"Image {number}")
    make_image(private_collections[1], title="Hidden")
    with_3 = queries_for_listing(3)
    for number in range(3, 12):
        make_image(root_collection, title=f"Image {number}")

    assert queries_for_listing(12) == with_3


def test_detail_fetches_all_renditions_at_once(api_client, whiteboard, django_assert_max_num_queries):
    def queries_for_renditions(specs: str) -> int:
        url = f"/api/v1/images/{whiteboard.pk}/?renditions={specs}"
        api_client.get(url)
        forget_cached_renditions()
        with django_assert_max_num_queries(QUERY_BUDGET) as captured:
            assert api_client.get(url).status_code == 200
        assert len(rendition_queries(captured)) == 1
        return len(captured)

    with_1 = queries_for_renditions("width-400")

    assert queries_for_renditions("fill-800x450,width-400,fill-160x160") == with_1


def test_the_schema_types_images_and_the_renditions_parameter(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    assert schema["components"]["schemas"]["Image"] == IMAGE_SCHEMA
    listing = schema["paths"]["/api/v1/images/"]["get"]
    assert listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("PaginatedImageList")
    parameters = {parameter["name"]: parameter for parameter in listing["parameters"]}
    assert set(parameters) == {"limit", "offset", "renditions", "search"}
    assert "`fill-800x450`" in parameters["renditions"]["description"]
    detail = schema["paths"]["/api/v1/images/{id}/"]["get"]
    assert {parameter["name"] for parameter in detail["parameters"]} == {"id", "renditions"}
    assert {"200", "400", "404"} <= set(detail["responses"])
