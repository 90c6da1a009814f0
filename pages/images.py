"""
Images as API consumers receive them: renditions, never database ids or original files.

`image_api_representation(image, context)` gives the URL, size and alt text of a safe
rendition (originals can be huge and carry camera metadata), the focal point editors set,
and any extra renditions the client asked for from the allow-list in
`settings.API_IMAGE_RENDITIONS` (the API validates `?renditions=` before it gets here).

`prefetch_renditions` fetches the renditions of many images in one query, so that a page with
many images costs no more queries than a page with one.
"""

from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, ReferenceIndex

from .api_context import api_base_url
from .visibility import visible_pages

# Served instead of the original: bounded in size, metadata stripped by re-encoding.
DEFAULT_RENDITION = "max-1600x1600"

# The renditions the section templates make with `{% image %}`: blocks/hero.html, blocks/image.html
# and blocks/testimonial.html. Prefetched before a page is rendered, so they must match the templates.
SECTION_TEMPLATE_RENDITIONS = ("width-800", "width-1200", "fill-160x160")
# The services index's cards (pages/service_index_page.html).
LISTING_RENDITION = "fill-640x360"


def allowed_renditions() -> list[str]:
    return list(settings.API_IMAGE_RENDITIONS)


def public_images():
    """
    Images anonymous visitors may see: none in a collection that has a view restriction or sits below
    one, and none that only hidden pages use.

    Every restriction type counts, even a password the visitor may have entered on the site: API
    responses are the same for everyone and shared caches keep them. A collection's tree path
    starts with the path of each of its ancestors, so one `EXISTS` finds restrictions anywhere above.

    An image is as hidden as the pages that use it (drafts, unpublished, expired or restricted pages,
    per `pages.visibility`): a photo uploaded for an unannounced service must not announce it. Uses come
    from Wagtail's reference index, which records what saved pages and objects refer to (a page's
    published content, not its pending drafts). Images nothing uses yet are the editors' library and
    stay listed, as do images that settings or snippets use.
    """
    restrictions_above = CollectionViewRestriction.objects.exclude(
        restriction_type=CollectionViewRestriction.NONE
    ).filter(StartsWith(OuterRef("collection__path"), F("collection__path")))
    return get_image_model().objects.exclude(Exists(restrictions_above)).exclude(used_only_by_hidden_pages())


def used_only_by_hidden_pages() -> Q:
    """True for an image that pages use, none of them visible, and nothing else uses."""
    image_model = get_image_model()
    uses = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(image_model),
        to_object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    # The index keeps object ids as text; comparing them as text is safe for every model's keys.
    visible_page_ids = visible_pages().annotate(id_text=Cast("pk", output_field=CharField())).values("id_text")
    public_uses = uses.filter(
        ~Q(base_content_type=ContentType.objects.get_for_model(Page)) | Q(object_id__in=visible_page_ids)
    )
    return Q(Exists(uses)) & ~Q(Exists(public_uses))


def renditions_prefetch(specs: Iterable[str], lookup: str = "renditions") -> Prefetch:
    """
    A `Prefetch` of the renditions `specs` of images (at `lookup`, e.g. `listing_image__renditions`).

    Like Wagtail's `ImageQuerySet.prefetch_renditions`, it puts them in each image's
    `prefetched_renditions`, where `get_rendition(s)` looks first; `image.renditions.all()` stays whole.
    """
    rendition_model = get_image_model().get_rendition_model()
    renditions = rendition_model.objects.filter(filter_spec__in=list(specs))
    return Prefetch(lookup, queryset=renditions, to_attr="prefetched_renditions")


def prefetch_renditions(images: Iterable, specs: Iterable[str]) -> None:
    """
    Fetch the renditions `specs` of all `images` in one query.

    Wagtail's `get_rendition(s)` looks in prefetched renditions first; without them every image
    asks the rendition cache and then the database. With them, a rendition not made yet is still
    made on first use (and added to the prefetched ones), so only specs used later belong in `specs`:
    any other spec costs a query per image.
    """
    images = [image for image in images if image is not None]
    if images:
        prefetch_related_objects(images, renditions_prefetch(specs))


def _absolute(url: str, context: dict | None) -> str:
    return urljoin(api_base_url(context), url)


def alt_text(image) -> str:
    """The alt text for this use of `image`: empty when decorative, else the contextual or default text."""
    if getattr(image, "decorative", False):
        return ""
    return getattr(image, "contextual_alt_text", None) or image.default_alt_text


def focal_point(image) -> dict | None:
    if image.focal_point_x is None:
        return None
    return {
        "x": image.focal_point_x,
        "y": image.focal_point_y,
        "width": image.focal_point_width,
        "height": image.focal_point_height,
    }


def image_api_representation(image, context: dict | None = None) -> dict | None:
    """The JSON of one image, with the default rendition and those requested in `context["renditions"]`."""
    if image is None:
        return None
    requested = list((context or {}).get("renditions") or [])
    renditions = image.get_renditions(DEFAULT_RENDITION, *requested)
    default = renditions[DEFAULT_RENDITION]
    return {
        "id": image.pk,
        "title": image.title,
        "url": _absolute(default.url, context),
        "width": default.width,
        "height": default.height,
        "alt": alt_text(image),
        "decorative": bool(getattr(image, "decorative", False)),
        "focal_point": focal_point(image),
        "renditions": {
            spec: {
                "url": _absolute(renditions[spec].url, context),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for spec in requested
        },
    }


RENDITION_SCHEMA = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
    },
    "required": ["url", "width", "height"],
}

IMAGE_SCHEMA = {
    "type": "object",
    "description": "An image as a rendition (never the original file), with alt text and focal point.",
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "url": {"type": "string", "format": "uri", "description": f"A `{DEFAULT_RENDITION}` rendition."},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "alt": {"type": "string", "description": "Alt text; empty when the image is decorative."},
        "decorative": {"type": "boolean"},
        "focal_point": {
            "type": ["object", "null"],
            "properties": {
                "x": {"type": "integer"},
                "y": {"type": "integer"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
            "required": ["x", "y", "width", "height"],
        },
        "renditions": {
            "type": "object",
            "description": "Renditions requested with `?renditions=`, keyed by filter spec.",
            "additionalProperties": RENDITION_SCHEMA,
        },
    },
    "required": ["id", "title", "url", "width", "height", "alt", "decorative", "focal_point", "renditions"],
}
